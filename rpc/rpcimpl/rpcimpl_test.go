package rpcimpl_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/rpcimpl"
)

type req struct {
	Name string `xml:"name"`
	_    rpcimpl.Extra
}

// TestNilRequestRefused: a nil request pointer given to a generated method
// is refused before the invoker sees it, in a call, a stream and a batch.
func TestNilRequestRefused(t *testing.T) {
	called := 0
	inv := rpc.InvokerFunc(func(context.Context, string, ...*rpc.Op) error { called++; return nil })
	op := &rpcimpl.Operation{Version: "1.6.9.1", Operator: "customer", Operation: "add"}
	var nilReq *req
	if _, err := rpcimpl.Do[rpc.Result](context.Background(), inv, op, nilReq); !errors.Is(err, rpc.ErrInvalidRequest) {
		t.Errorf("Do: %v", err)
	}
	for _, err := range rpcimpl.Stream[rpc.Result](context.Background(), inv, op, nilReq) {
		if !errors.Is(err, rpc.ErrInvalidRequest) {
			t.Errorf("Stream: %v", err)
		}
	}
	b := rpc.NewBatch(inv, "1.6.9.1")
	rpcimpl.Add[rpc.Result](b, op, nilReq)
	if err := b.Send(context.Background()); !errors.Is(err, rpc.ErrInvalidRequest) {
		t.Errorf("Batch: %v", err)
	}
	if called != 0 {
		t.Errorf("the invoker was called %d times", called)
	}
}
