package rpc

import (
	"context"
	"fmt"
	"strings"

	"github.com/pleskgo/plesk/rpc/internal/opmark"
)

// Invoker sends one packet holding ops, in order, and feeds each op the
// results Plesk returned for it. An error from Invoke fails the packet as a
// whole (transport failure, <system> error, a response that does not
// answer the request); errors of single results reach the op instead.
//
// *Client implements Invoker. A test can fake the wire with InvokerFunc and
// DecodeResponse.
type Invoker interface {
	Invoke(ctx context.Context, version string, ops ...*Op) error
}

// InvokerFunc adapts a function to Invoker.
type InvokerFunc func(ctx context.Context, version string, ops ...*Op) error

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, version string, ops ...*Op) error {
	return f(ctx, version, ops...)
}

// Op is one operation of a packet: <Operator><Operation>Request</Operation></Operator>.
//
// Operation may be a slash-separated path for operations nested in a
// group, e.g. Operator "webspace" and Operation "db-servers/add" send
// <webspace><db-servers><add>…</add></db-servers></webspace>.
//
// Request is encoded with encoding/xml as the operation element; nil sends
// an empty element, and is refused on an operation that changes state
// (ReadOnly false), whose request cannot then be checked for a filter: send
// Empty{} for an operation that has no content. Do, Stream and Add copy the
// Op, so one Op value may be reused and shared between goroutines.
//
// ReadOnly declares that the operation only reads the state of the server.
// Generated operation methods set it from the classification of their
// schema set (schemas/<version>/operations.txt, see pleskgen); the runtime
// keeps no list of operation names. Only packets whose ops are all
// ReadOnly are retried (WithReadRetry), and a filter that selects nothing
// explicitly is refused unless the op is ReadOnly. The zero value, false,
// counts as changing state: an Op made by hand is never retried and its
// empty filters are refused until it says otherwise.
type Op struct {
	Operator  string
	Operation string
	Request   any
	ReadOnly  bool

	sink      sink
	validated bool // by Do, Stream or Batch.Send: Client.Invoke need not again
	// body is the operation element as validation encoded and checked it;
	// EncodeRequest writes it as it is, so what was checked is what is
	// sent and a request is encoded once.
	body []byte
	// needsFilter: the schema requires a <filter> in the request (set by
	// generated code, through rpcimpl).
	needsFilter bool
	// all: a read whose filter means every object (see meansAll), decided
	// by validation on body.
	all bool
}

func init() {
	opmark.RequireFilter = func(op any) {
		if o, ok := op.(*Op); ok && o != nil {
			o.needsFilter = true
		}
	}
}

func (op *Op) String() string { return op.Operator + "/" + op.Operation }

// Result is the header Plesk puts at the top of every <result>. It decodes
// with encoding/xml, so Do[Result] returns just the headers.
type Result struct {
	Status   string `xml:"status"` // "ok" or "error"
	ErrCode  int    `xml:"errcode,omitempty"`
	ErrText  string `xml:"errtext,omitempty"`
	FilterID string `xml:"filter-id,omitempty"` // untyped in the schema: kept as a string
	ID       string `xml:"id,omitempty"`
}

// sink receives the answer to one op while the response is decoded.
type sink interface {
	// result is called once per <result>; it must read the result through
	// r. Returning an error aborts the decode and Invoke returns it.
	result(r *resultReader) error
	// end is called when the operation element closes.
	end() error
}

// validate checks that the op can be written as XML element names.
func (op *Op) validate() error {
	if op == nil {
		return fmt.Errorf("rpc: nil *Op")
	}
	if !validName(op.Operator) {
		return fmt.Errorf("rpc: invalid operator name %q", op.Operator)
	}
	for rest, more := op.Operation, true; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		if !validName(seg) {
			return fmt.Errorf("rpc: invalid operation name %q for operator %q", op.Operation, op.Operator)
		}
	}
	return nil
}

// validName accepts the element names Plesk uses: ASCII letters, digits,
// '-', '_' and '.', not starting with a digit, '-' or '.'.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		case '0' <= c && c <= '9', c == '-', c == '.':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}
