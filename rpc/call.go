package rpc

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
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
	// Stream: where to ask get_protos when a result says the protocol
	// version is not supported.
	ctx context.Context
	inv Invoker
}

func newSink[T any](op *Op, yield func(T, error) bool) *typedSink[T] {
	s := &typedSink[T]{op: *op, yield: yield}
	s.op.sink = s
	return s
}

// codeNotFound is Plesk's "object does not exist".
const codeNotFound = 1013

// meansAll reports whether body, the encoded request of a read, holds a
// <filter> element with no child element, as an empty filter or MatchAll
// writes it: a filter that means "every object". Such a read that finds
// nothing succeeds with no results, whichever way Plesk says it found
// nothing (no result, an ok result with only filter-id, error 1013); a
// filter that names objects still reports ErrNoMatch or ErrNotFound. The
// decision is made on the XML, not on Go zero values, so it holds for any
// request type. validateOps makes it, on the body it encoded.
func meansAll(body []byte) bool {
	m := &allScan{}
	// A body the Decoder cannot read to its end decides by what it read.
	_ = readRequest(body, m, m.reset)
	return m.found && !m.decided
}

// allScan is the reading of meansAll; decided is set when a filter is
// found to name something.
type allScan struct {
	depth                    int
	inFilter, found, decided bool
}

func (m *allScan) reset() { *m = allScan{} }

func (m *allScan) start(name []byte, _ int) bool {
	m.depth++
	switch {
	case m.inFilter:
		m.decided = true // the filter names something
		return false
	case m.depth == 2 && string(name) == "filter":
		m.inFilter, m.found = true, true
	}
	return true
}

func (m *allScan) text(_, anyText bool) bool {
	if m.inFilter && anyText {
		m.decided = true // a filter that is a value
		return false
	}
	return true
}

func (m *allScan) end() bool {
	if m.depth == 2 {
		m.inFilter = false
	}
	m.depth--
	return true
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
		if s.op.all {
			return nil // a filter that means all found nothing: no results
		}
		return s.emit(nil, noMatchError(&s.op, r.header().FilterID))
	}
	// The verdict, decided once from the header; the value follows it.
	h := r.header()
	ok, problem := h.verdict()
	if s.op.all && !ok && problem == "" && h.ErrCode == codeNotFound {
		// "Object not found" for a filter that means all: there is none.
		if s.yield == nil {
			s.results = s.results[:len(s.results)-1]
		}
		return nil
	}
	setStatus(t, ok)
	if withholdErrText(t, r.w.holds, h.ErrText == withheld) {
		h.ErrText = withheld
	}
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
	if s.n == 0 && !s.op.all {
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
	if op == nil {
		return nil, validateOps([]*Op{op})
	}
	s := newSink[T](op, nil)
	if err := validateOps([]*Op{&s.op}); err != nil {
		return nil, err
	}
	err := inv.Invoke(ctx, version, &s.op)
	err = s.finish(err)
	explainProtocol(ctx, inv, op, err)
	return s.collected(), err
}

// collected returns the results; for a read whose filter means all, an
// empty slice rather than nil when there are none.
func (s *typedSink[T]) collected() []T {
	if s.results == nil && s.op.all && s.answered {
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
		var zero T
		if op == nil {
			yield(zero, validateOps([]*Op{op}))
			return
		}
		s := newSink(op, yield)
		if err := validateOps([]*Op{&s.op}); err != nil {
			yield(zero, err)
			return
		}
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
//
// A Batch is safe for concurrent use: goroutines may Add to one batch and
// call Send, Len and Results at the same time. It is sent at most once,
// whatever the interleaving: the first Send to begin sends the operations
// added before it began; every other Send fails with ErrBatchSent and
// sends nothing; an operation added once a Send has begun is not sent,
// and its Results fail with ErrBatchSent.
type Batch struct {
	inv     Invoker
	version string

	mu    sync.Mutex
	ops   []*Op
	state batchState
	err   error         // the error of Send, once state is batchDone
	done  chan struct{} // closed when Send has returned
}

type batchState uint8

const (
	batchOpen    batchState = iota // taking operations
	batchSending                   // Send has begun
	batchDone                      // Send has returned
)

// ErrBatchSent is the error of a Send after the first on the same batch,
// and of the Results of an operation added to a batch after its Send
// began: such an operation was never sent.
var ErrBatchSent = errors.New("rpc: batch already sent")

// NewBatch starts an empty batch to be sent with inv.
func NewBatch(inv Invoker, version string) *Batch {
	return &Batch{inv: inv, version: version, done: make(chan struct{})}
}

// Len returns the number of operations in the batch: those added before
// Send began, which its packet holds.
func (b *Batch) Len() int {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.ops)
}

// Send sends the packet once. Its error is the failure of the packet as a
// whole (transport, <system> error); errors of single operations are
// reported by each Pending. Every request is validated first: if any is
// invalid, nothing is sent and the error joins a *ValidationError per
// invalid operation. A second Send, concurrent or later, sends nothing
// and returns an error satisfying errors.Is(err, ErrBatchSent).
func (b *Batch) Send(ctx context.Context) error {
	if b == nil || b.done == nil {
		return errors.New("rpc: Send on a batch not made by NewBatch")
	}
	b.mu.Lock()
	if b.state != batchOpen {
		b.mu.Unlock()
		return ErrBatchSent
	}
	b.state = batchSending
	ops := b.ops[:len(b.ops):len(b.ops)] // later Adds append to another array
	b.mu.Unlock()

	err := validateOps(ops)
	if err == nil {
		if b.inv == nil {
			err = errors.New("rpc: the batch has no invoker")
		} else {
			err = b.inv.Invoke(ctx, b.version, ops...)
		}
	}
	// One get_protos for every error of the packet that says the
	// protocol version is not supported.
	errs := []error{err}
	for _, op := range ops {
		if op == nil {
			continue
		}
		if k, ok := op.sink.(interface{ kept() []error }); ok {
			errs = append(errs, k.kept()...)
		}
	}
	explainProtocol(ctx, b.inv, nil, errors.Join(errs...))
	b.mu.Lock()
	b.err, b.state = err, batchDone
	b.mu.Unlock()
	close(b.done)
	return err
}

// kept returns the errors collected for the op.
func (s *typedSink[T]) kept() []error { return s.errs }

// Pending is an operation of a Batch; its results are there after Send.
type Pending[T any] struct {
	b    *Batch
	s    *typedSink[T]
	late bool // added after Send began: never sent
}

// Add appends op to b and returns the handle of its results. An operation
// added once Send has begun is not sent: its Results fail with
// ErrBatchSent. A nil op is reported by Send, as an invalid operation.
func Add[T any](b *Batch, op *Op) *Pending[T] {
	var s *typedSink[T]
	if op == nil {
		s = &typedSink[T]{}
	} else {
		s = newSink[T](op, nil)
	}
	p := &Pending[T]{b: b, s: s}
	if b == nil || b.done == nil {
		p.late = true
		return p
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state != batchOpen {
		p.late = true
		return p
	}
	if op == nil {
		b.ops = append(b.ops, nil) // validation names it
	} else {
		b.ops = append(b.ops, &s.op)
	}
	return p
}

// Results returns the results of the operation as Do would. If the packet
// failed before this operation was fully answered, the error includes the
// failure of the packet. Called before Send has returned, it returns an
// error and no results; it does not wait.
func (p *Pending[T]) Results() ([]T, error) {
	if p.late {
		if p.b == nil || p.b.done == nil {
			return nil, errors.New("rpc: the operation was added to a batch not made by NewBatch")
		}
		what := "the operation"
		if p.s.op.Operator != "" || p.s.op.Operation != "" {
			what = p.s.op.String()
		}
		return nil, fmt.Errorf("%w: %s was added after Send began and was not sent", ErrBatchSent, what)
	}
	select {
	case <-p.b.done:
	default:
		return nil, errors.New("rpc: Results called before Send returned")
	}
	// Send has returned (the closed channel orders its writes before
	// these reads): nothing writes the sink or the error any more.
	var err error
	if !p.s.answered {
		err = p.b.err
	}
	return p.s.collected(), p.s.finish(err)
}
