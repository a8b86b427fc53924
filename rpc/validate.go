package rpc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
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
		op.validated, op.body = false, nil
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
		v, ok := op.Request.(validator)
		if !ok {
			continue
		}
		if err := v.Validate(); err != nil {
			errs = append(errs, validationErrors(op, err))
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
	last := op.Operation[strings.LastIndexByte(op.Operation, '/')+1:]
	var buf bytes.Buffer
	ew := writerPool.Get().(*encWriter)
	ew.bw.Reset(&buf)
	stop := xmlstruct.Watch(ew.enc, func() int { return buf.Len() + ew.bw.Buffered() })
	err := ew.enc.EncodeElement(op.Request, xml.StartElement{Name: xml.Name{Local: last}})
	if err == nil {
		err = ew.bw.Flush()
	}
	marks := stop()
	ew.bw.Reset(nil)
	if err != nil {
		// The encoder may hold an error or open tags: not pooled again.
		if v, ok := op.Request.(validator); ok {
			if verr := v.Validate(); verr != nil {
				return validationErrors(op, verr)
			}
		}
		return &ValidationError{Operator: op.Operator, Operation: op.Operation,
			Problem: "cannot be encoded: " + err.Error(), err: err}
	}
	writerPool.Put(ew)
	if path, problem := scanFilters(buf.Bytes(), marks, op.needsFilter); problem != "" {
		return fail(path, problem)
	}
	op.body = buf.Bytes()
	return nil
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
	type frame struct {
		filter, matchAll, flag bool
		text                   bool // non-blank character data of its own
		children               bool // any child element
		selecting              bool // a child element that selects
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	var stack []frame
	var names []string // the element path below the operation element
	topFilter := false
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", "the request is not well-formed XML: " + err.Error()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if n := len(stack); n > 0 {
				stack[n-1].children = true
			}
			f := frame{filter: t.Name.Local == "filter", flag: slices.Contains(marks.Flags, off)}
			if f.filter {
				f.matchAll = slices.Contains(marks.MatchAll, off)
				topFilter = topFilter || len(stack) == 1
			}
			stack = append(stack, f)
			if len(stack) > 1 {
				names = append(names, t.Name.Local)
			}
		case xml.CharData:
			if len(stack) > 0 && len(bytes.Trim(t, " \t\r\n")) > 0 {
				stack[len(stack)-1].text = true
			}
		case xml.EndElement:
			f := stack[len(stack)-1]
			if f.filter {
				switch {
				case f.matchAll && (f.children || f.text):
					return strings.Join(names, "/"), problemAmbiguous
				case !f.matchAll && !f.selecting:
					return strings.Join(names, "/"), problemEmptyFilter
				}
			}
			stack = stack[:len(stack)-1]
			if len(names) > 0 {
				names = names[:len(names)-1]
			}
			if n := len(stack); n > 0 && (f.text || f.flag || f.selecting) {
				stack[n-1].selecting = true
			}
		}
	}
	if needsFilter && !topFilter {
		return "filter", problemNoFilter
	}
	return "", ""
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
