package rpc

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"iter"
)

// typedSink decodes each <result> of one op into a T. Do and Batch collect
// the results; Stream hands each to yield.
type typedSink[T any] struct {
	op       Op                  // a copy of the caller's op, whose sink is this
	yield    func(T, error) bool // Stream; nil to collect
	cur      T                   // Stream: the result being decoded
	results  []T                 // Do, Batch
	errs     []error             // Do, Batch: the first maxKeptErrors
	dropped  int                 // Do, Batch: errors counted, not kept
	n        int                 // results seen
	answered bool                // the operation element closed
	stopped  bool                // yield returned false
	all      bool                // a read whose filter means all: finding nothing is no error
	// Stream: where to ask get_protos when a result says the protocol
	// version is not supported.
	ctx context.Context
	inv Invoker
}

func newSink[T any](op *Op, yield func(T, error) bool) *typedSink[T] {
	s := &typedSink[T]{op: *op, yield: yield, all: meansAll(op)}
	s.op.sink = s
	return s
}

// codeNotFound is Plesk's "object does not exist".
const codeNotFound = 1013

// meansAll reports whether op is a read whose filter means "every object":
// its request, encoded, holds a <filter> element with no child element, as
// an empty filter or MatchAll writes it. Such a read that finds nothing
// succeeds with no results, whichever way Plesk says it found nothing (no
// result, an ok result with only filter-id, error 1013); a filter that
// names objects still reports ErrNoMatch or ErrNotFound. The decision is
// made on the XML, not on Go zero values, so it holds for any request type.
func meansAll(op *Op) bool {
	if op == nil || isNil(op.Request) || !IsReadOperation(op.Operator, op.Operation) {
		return false
	}
	var buf bytes.Buffer
	if err := xml.NewEncoder(&buf).EncodeElement(op.Request, xml.StartElement{Name: xml.Name{Local: "op"}}); err != nil {
		return false // the request cannot be sent either; Invoke says why
	}
	d := xml.NewDecoder(&buf)
	depth, inFilter, found := 0, false, false
	for {
		tok, err := d.Token()
		if err != nil {
			return found
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case inFilter:
				return false // the filter names something
			case depth == 2 && tok.Name.Local == "filter":
				inFilter, found = true, true
			}
		case xml.EndElement:
			if depth == 2 {
				inFilter = false
			}
			depth--
		case xml.CharData:
			if inFilter && len(bytes.TrimSpace(tok)) > 0 {
				return false // a filter that is a value
			}
		}
	}
}

func (s *typedSink[T]) result(r *resultReader) error {
	// Decode in place: into the next slot of results, or into cur.
	var t *T
	if s.yield != nil {
		var zero T
		s.cur = zero
		t = &s.cur
	} else {
		var zero T
		s.results = append(s.results, zero)
		t = &s.results[len(s.results)-1]
	}
	decodeErr, fatal := r.decode(t)
	if fatal != nil {
		if s.yield == nil {
			s.results = s.results[:len(s.results)-1]
		}
		return fatal
	}
	s.n++
	if r.noMatch() {
		if s.yield == nil {
			s.results = s.results[:len(s.results)-1]
		}
		if s.all {
			return nil // a filter that means all found nothing: no results
		}
		return s.emit(nil, noMatchError(&s.op, r.header().FilterID))
	}
	// The verdict, decided once from the header; the value follows it.
	h := r.header()
	ok, problem := h.verdict()
	if s.all && !ok && problem == "" && h.ErrCode == codeNotFound {
		// "Object not found" for a filter that means all: there is none.
		if s.yield == nil {
			s.results = s.results[:len(s.results)-1]
		}
		return nil
	}
	setStatus(t, ok)
	var err error
	if !ok {
		err = &Error{
			Operator: s.op.Operator, Operation: s.op.Operation,
			Code: h.ErrCode, Text: h.ErrText, FilterID: h.FilterID, ID: h.ID,
			problem: problem,
		}
	}
	if decodeErr != nil {
		err = errors.Join(err, decodeErr)
	}
	if h.statuses == 0 && s.yield == nil {
		// No answer at all: the error is kept, not the value. (A body of
		// nothing but <result/> must not become a slice of many times
		// its size.)
		s.results = s.results[:len(s.results)-1]
		return s.emit(nil, err)
	}
	return s.emit(t, err)
}

// emit hands on a decoded result (already in results when collecting), or
// just an error when t is nil.
func (s *typedSink[T]) emit(t *T, err error) error {
	if s.yield == nil {
		if err != nil {
			if len(s.errs) < maxKeptErrors {
				s.errs = append(s.errs, err)
			} else {
				s.dropped++
			}
		}
		return nil
	}
	var zero T
	if t == nil {
		t = &zero
	}
	explainProtocol(s.ctx, s.inv, &s.op, err)
	if !s.yield(*t, err) {
		s.stopped = true
		return errStop
	}
	return nil
}

func (s *typedSink[T]) end() error {
	s.answered = true
	if s.n == 0 && !s.all {
		return s.emit(nil, noMatchError(&s.op, ""))
	}
	return nil
}

// Do sends one operation in its own packet and returns every <result> of
// it decoded into T, in order. T is a struct with encoding/xml tags (or an
// xml.Unmarshaler) decoded from the whole <result> element.
//
// Results that failed are in the slice too (T holds their status, errcode
// and errtext), except a <result> with no <status> at all, which answers
// nothing and is reported by its error alone; the error joins one *Error per failed result and a
// *DecodeError per result that did not fit T, the first 100 of them, and
// says how many more there were. A filter that names objects and matched
// nothing gives no result and an error satisfying ErrNoMatch; a read whose
// filter means all (an encoded <filter> with no child element) that finds nothing returns no result and
// no error. When the packet as a whole
// fails (transport, <system> error), the slice holds the results decoded
// before the failure.
//
// Whether a result failed is decided once, from its header: it succeeded
// only with exactly one <status>ok</status> and no <errcode>. A missing or
// repeated status, an unknown one, or an errcode beside ok is a failure
// whose *Error says what was contradictory. When T has a status field
// (xml:"status", of a string kind), it is set to that verdict, "ok" or
// "error", so the value and the error never disagree.
//
// The request is validated before anything is sent (see ValidationError).
func Do[T any](ctx context.Context, inv Invoker, version string, op *Op) ([]T, error) {
	if err := validateOps([]*Op{op}); err != nil {
		return nil, err
	}
	s := newSink[T](op, nil)
	s.op.validated = true
	err := inv.Invoke(ctx, version, &s.op)
	err = s.finish(err)
	explainProtocol(ctx, inv, op, err)
	return s.collected(), err
}

// collected returns the results; for a read whose filter means all, an
// empty slice rather than nil when there are none.
func (s *typedSink[T]) collected() []T {
	if s.results == nil && s.all && s.answered {
		return []T{}
	}
	return s.results
}

// finish joins the errors of the op with err, the error of the packet.
func (s *typedSink[T]) finish(err error) error {
	if err == nil && !s.answered {
		err = fmt.Errorf("rpc: the invoker did not answer %s", &s.op)
	}
	errs := s.errs
	if s.dropped > 0 {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("rpc: %s: %d more failed results, not listed", &s.op, s.dropped))
	}
	if err != nil {
		return errors.Join(append(errs[:len(errs):len(errs)], err)...)
	}
	return errors.Join(errs...)
}

// Stream sends one operation in its own packet and yields its results one
// at a time while the response is read, so memory stays bounded whatever
// the number of results. Each pair is a result and its error, as Do
// reports them; a zero-match yields one zero T with an ErrNoMatch error
// (nothing at all for a read whose filter means all, its <filter> encoded with no child element),
// and a failure of the packet ends the sequence with a zero T and the
// error. Breaking out of the loop abandons the rest of the response.
func Stream[T any](ctx context.Context, inv Invoker, version string, op *Op) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if err := validateOps([]*Op{op}); err != nil {
			var zero T
			yield(zero, err)
			return
		}
		s := newSink(op, yield)
		s.op.validated = true
		s.ctx, s.inv = ctx, inv
		err := inv.Invoke(ctx, version, &s.op)
		if s.stopped {
			return
		}
		if err == nil && !s.answered {
			err = fmt.Errorf("rpc: the invoker did not answer %s", &s.op)
		}
		if err != nil {
			explainProtocol(ctx, inv, op, err)
			var zero T
			yield(zero, err)
		}
	}
}

// Batch builds one packet of many operations, of any operators, sent in
// the order they were added. Plesk runs them in order, each on its own:
// there is no rollback.
//
//	b := rpc.NewBatch(client, "1.6.9.1")
//	a := rpc.Add[CustomerGetResult](b, opA)
//	d := rpc.Add[WebspaceGetResult](b, opB)
//	if err := b.Send(ctx); err != nil { … }
//	customers, err := a.Results()
type Batch struct {
	inv     Invoker
	version string
	ops     []*Op
	sent    bool
	err     error
}

// NewBatch starts an empty batch to be sent with inv.
func NewBatch(inv Invoker, version string) *Batch {
	return &Batch{inv: inv, version: version}
}

// Len returns the number of operations added so far.
func (b *Batch) Len() int { return len(b.ops) }

// Send sends the packet once. Its error is the failure of the packet as a
// whole (transport, <system> error); errors of single operations are
// reported by each Pending. Every request is validated first: if any is
// invalid, nothing is sent and the error joins a *ValidationError per
// invalid operation.
func (b *Batch) Send(ctx context.Context) error {
	if b.sent {
		return errors.New("rpc: batch already sent")
	}
	b.sent = true
	if b.err = validateOps(b.ops); b.err != nil {
		return b.err
	}
	for _, op := range b.ops {
		op.validated = true
	}
	b.err = b.inv.Invoke(ctx, b.version, b.ops...)
	// One get_protos for every error of the packet that says the
	// protocol version is not supported.
	errs := []error{b.err}
	for _, op := range b.ops {
		if k, ok := op.sink.(interface{ kept() []error }); ok {
			errs = append(errs, k.kept()...)
		}
	}
	explainProtocol(ctx, b.inv, nil, errors.Join(errs...))
	return b.err
}

// kept returns the errors collected for the op.
func (s *typedSink[T]) kept() []error { return s.errs }

// Pending is an operation of a Batch; its results are there after Send.
type Pending[T any] struct {
	b *Batch
	s *typedSink[T]
}

// Add appends op to b and returns the handle of its results. Adding to a
// sent batch panics.
func Add[T any](b *Batch, op *Op) *Pending[T] {
	if b.sent {
		panic("rpc: Add on a batch already sent")
	}
	s := newSink[T](op, nil)
	b.ops = append(b.ops, &s.op)
	return &Pending[T]{b: b, s: s}
}

// Results returns the results of the operation as Do would. If the packet
// failed before this operation was fully answered, the error includes the
// failure of the packet.
func (p *Pending[T]) Results() ([]T, error) {
	if !p.b.sent {
		return nil, errors.New("rpc: Results called before Send")
	}
	var err error
	if !p.s.answered {
		err = p.b.err
	}
	return p.s.collected(), p.s.finish(err)
}
