package rpc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"slices"
	"strings"

	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
)

// ValidationError is a request the runtime refused to send: what is wrong
// with it, and where. Every validation failure of a request, whether found
// by the request type's Validate method or by the runtime, is one; it
// satisfies errors.Is(err, ErrInvalidRequest).
type ValidationError struct {
	Operator  string // "webspace"
	Operation string // "del", or a path inside a group: "db-servers/add"
	Path      string // the element inside the operation: "filter", "gen_setup/name"; empty for the operation itself
	Problem   string // what is wrong

	err error // the error of Validate this one wraps, if any
}

// Error reads "webspace/del: filter: <problem>"; the error of a Validate
// method called directly, which knows no operation, "filter: <problem>".
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Operator != "" || e.Operation != "" {
		b.WriteString(e.Operator)
		b.WriteByte('/')
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// Is makes every validation failure match ErrInvalidRequest.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

// Unwrap returns the error of the request's Validate method that this one
// wraps, if it was not a *ValidationError itself.
func (e *ValidationError) Unwrap() error { return e.err }

// validator is what a request type implements to check itself; generated
// request types do.
type validator interface {
	Validate() error
}

// validateOps checks every op before anything is sent: its names; for an
// operation that changes state, the request as it will be written (see
// checkFilters); that the request holds nothing its schema does not
// declare (content kept from a decoded packet); then the request's own
// Validate, when its type has it. A *ValidationError returned by Validate
// gets the op's Operator and Operation; any other error is wrapped into
// one. Do, Stream, Batch.Send and Client.Invoke call it, on ops of their
// own (copies of the caller's): it keeps on each op the encoded request it
// checked, and marks the ops validated when all passed. It is the one
// place a request is refused.
func validateOps(ops []*Op) error {
	var errs []error
	for _, op := range ops {
		if op == nil {
			errs = append(errs, &ValidationError{Problem: "nil *Op"})
			continue
		}
		op.validated, op.body, op.all = false, nil, false
		if err := op.validate(); err != nil {
			errs = append(errs, &ValidationError{Operator: op.Operator, Operation: op.Operation,
				Problem: strings.TrimPrefix(err.Error(), "rpc: ")})
			continue
		}
		if !op.ReadOnly {
			if err := checkFilters(op); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if isNil(op.Request) {
			continue
		}
		if err := checkContent(op); err != nil {
			errs = append(errs, err)
			continue
		}
		if v, ok := op.Request.(validator); ok {
			if err := v.Validate(); err != nil {
				errs = append(errs, validationErrors(op, err))
				continue
			}
		}
		if op.ReadOnly {
			// Encoded once here too: the body sent, and what decides
			// whether the filter means all. A request that cannot be
			// encoded fails in EncodeRequest, as it always did.
			if body, _, err := encodeOp(op, false); err == nil {
				op.body, op.all = body, meansAll(body)
			}
		}
	}
	if len(errs) > 0 {
		for _, op := range ops {
			if op != nil {
				op.body = nil
			}
		}
		return errors.Join(errs...)
	}
	for _, op := range ops {
		op.validated = true
	}
	return nil
}

// checkFilters is the match-all guard of an operation that changes state.
// Plesk reads a <filter> without a child element as "every object", and so
// does it read a request without the <filter> it requires. What decides is
// the request as it will be written, not its Go value: the request is
// encoded here (and the encoding kept on op, to be sent as it is), then
// every <filter> element in it must hold a child element, unless a filter
// value whose MatchAll field is set wrote it, and then it must hold none.
// A nil request cannot be checked and is refused: Empty{} is the request
// of an operation without content.
func checkFilters(op *Op) error {
	fail := func(path, problem string) error {
		return &ValidationError{Operator: op.Operator, Operation: op.Operation, Path: path, Problem: problem}
	}
	if isNil(op.Request) {
		if op.needsFilter {
			return fail("", "nil request")
		}
		return fail("", "a nil request on an operation that changes state cannot be checked for a "+
			"filter that selects every object; pass rpc.Empty{} to send the operation without content")
	}
	body, marks, err := encodeOp(op, true)
	if err != nil {
		if v, ok := op.Request.(validator); ok {
			if verr := v.Validate(); verr != nil {
				return validationErrors(op, verr)
			}
		}
		return &ValidationError{Operator: op.Operator, Operation: op.Operation,
			Problem: "cannot be encoded: " + err.Error(), err: err}
	}
	if path, problem := scanFilters(body, marks, op.needsFilter); problem != "" {
		return fail(path, problem)
	}
	op.body = body
	return nil
}

// encodeOp encodes op's request as its operation element, as
// EncodeRequest writes it; with watch, it also notes where filters whose
// MatchAll is set and flags were written (see xmlstruct.Watch).
func encodeOp(op *Op, watch bool) ([]byte, xmlstruct.Marks, error) {
	last := op.Operation[strings.LastIndexByte(op.Operation, '/')+1:]
	buf := bytes.NewBuffer(make([]byte, 0, 512))
	ew := writerPool.Get().(*encWriter)
	ew.bw.Reset(buf)
	var stop func() xmlstruct.Marks
	if watch {
		stop = xmlstruct.Watch(ew.enc, func() int { return buf.Len() + ew.bw.Buffered() })
	}
	err := ew.enc.EncodeElement(op.Request, xml.StartElement{Name: xml.Name{Local: last}})
	if err == nil {
		err = ew.bw.Flush()
	}
	var marks xmlstruct.Marks
	if stop != nil {
		marks = stop()
	}
	ew.bw.Reset(nil)
	if err != nil {
		// The encoder may hold an error or open tags: not pooled again.
		return nil, marks, err
	}
	writerPool.Put(ew)
	return buf.Bytes(), marks, nil
}

// Problems of the match-all guard.
const (
	problemEmptyFilter = "selects nothing explicitly (on the wire it holds no element with a value), " +
		"which Plesk may read as every object; set what to match, or set the filter's MatchAll " +
		"(rpc.MatchAll) to mean all of them"
	problemNoFilter = "absent, which Plesk reads as every object; set what to match, " +
		"or set the filter's MatchAll (rpc.MatchAll) to mean all of them"
	problemAmbiguous = "MatchAll is set and the filter also has content; set one or the other"
)

// scanFilters reads the encoded operation element and returns the path and
// problem of the first <filter> that would select every object by
// accident, or be read so. A child element of a filter selects when it
// holds text other than white space, or such an element, at any depth, or
// is a flag (rpc.Empty, such as <all/>, marks.Flags); a filter without a
// selecting child (nothing, empty or blank values, comments, processing
// instructions, attributes, text of its own) is refused unless a filter
// whose MatchAll is set wrote it (marks.MatchAll), and such a filter must
// hold nothing at all. With needsFilter, the operation element must hold a
// <filter> of its own.
func scanFilters(body []byte, marks xmlstruct.Marks, needsFilter bool) (string, string) {
	fs := &filterScan{marks: marks}
	fs.stack, fs.names = fs.stackBuf[:0], fs.namesBuf[:0]
	if err := readRequest(body, fs, fs.reset); err != nil {
		return "", "the request is not well-formed XML: " + err.Error()
	}
	if fs.problem != "" {
		return fs.path, fs.problem
	}
	if needsFilter && !fs.topFilter {
		return "filter", problemNoFilter
	}
	return "", ""
}

// filterScan is the reading of scanFilters.
type filterScan struct {
	marks     xmlstruct.Marks
	stack     []filterFrame
	names     [][]byte // the element path below the operation element
	topFilter bool
	path      string // of the first problem
	problem   string
	// Room for the usual depth, allocated with the scan.
	stackBuf [8]filterFrame
	namesBuf [8][]byte
}

type filterFrame struct {
	filter, matchAll, flag bool
	text                   bool // non-blank character data of its own
	children               bool // any child element
	selecting              bool // a child element that selects
}

func (s *filterScan) reset() {
	s.stack, s.names = s.stackBuf[:0], s.namesBuf[:0]
	s.topFilter, s.path, s.problem = false, "", ""
}

func (s *filterScan) start(name []byte, off int) bool {
	if n := len(s.stack); n > 0 {
		s.stack[n-1].children = true
	}
	f := filterFrame{filter: string(name) == "filter", flag: slices.Contains(s.marks.Flags, off)}
	if f.filter {
		f.matchAll = slices.Contains(s.marks.MatchAll, off)
		s.topFilter = s.topFilter || len(s.stack) == 1
	}
	s.stack = append(s.stack, f)
	if len(s.stack) > 1 {
		s.names = append(s.names, name)
	}
	return true
}

func (s *filterScan) text(xmlText, _ bool) bool {
	if len(s.stack) > 0 && xmlText {
		s.stack[len(s.stack)-1].text = true
	}
	return true
}

func (s *filterScan) end() bool {
	f := s.stack[len(s.stack)-1]
	if f.filter {
		switch {
		case f.matchAll && (f.children || f.text):
			s.path, s.problem = s.joinNames(), problemAmbiguous
			return false
		case !f.matchAll && !f.selecting:
			s.path, s.problem = s.joinNames(), problemEmptyFilter
			return false
		}
	}
	s.stack = s.stack[:len(s.stack)-1]
	if len(s.names) > 0 {
		s.names = s.names[:len(s.names)-1]
	}
	if n := len(s.stack); n > 0 && (f.text || f.flag || f.selecting) {
		s.stack[n-1].selecting = true
	}
	return true
}

func (s *filterScan) joinNames() string {
	return string(bytes.Join(s.names, []byte{'/'}))
}

// checkContent is the runtime's check that a request holds nothing its
// schema does not declare.
func checkContent(op *Op) error {
	if d, ok := xmlstruct.FirstUndeclared(op.Request); ok {
		fail := func(path, problem string) error {
			return &ValidationError{Operator: op.Operator, Operation: op.Operation, Path: path, Problem: problem}
		}
		if d.Kind == xmlstruct.Untyped {
			return fail(d.Path, "holds a value that is not of the declared type")
		}
		return fail(d.Path, "the schema does not declare this content here")
	}
	return nil
}

// validationErrors fills in the op of the *ValidationError values in err
// (one, or several joined) and wraps any other error into one.
func validationErrors(op *Op, err error) error {
	if multi, ok := err.(interface{ Unwrap() []error }); ok {
		if _, isVE := err.(*ValidationError); !isVE {
			var out []error
			for _, e := range multi.Unwrap() {
				if e != nil {
					out = append(out, validationErrors(op, e))
				}
			}
			if len(out) > 0 {
				return errors.Join(out...)
			}
		}
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		if ve.Operator == "" {
			ve.Operator = op.Operator
		}
		if ve.Operation == "" {
			ve.Operation = op.Operation
		}
		return err
	}
	return &ValidationError{Operator: op.Operator, Operation: op.Operation, Problem: err.Error(), err: err}
}
