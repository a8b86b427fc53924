package rpc

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// delServer is a Plesk on loopback that answers any packet of customer
// operations with one ok result each, and counts the packets and the
// operations delivered to it.
func delServer(t *testing.T) (srv *httptest.Server, packets, ops *atomic.Int32) {
	t.Helper()
	packets, ops = new(atomic.Int32), new(atomic.Int32)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || !authorized(r) {
			http.Error(w, "refused", http.StatusForbidden)
			return
		}
		packets.Add(1)
		var out strings.Builder
		out.WriteString(`<packet version="1.6.9.1"><customer>`)
		for _, name := range []string{"del", "get"} {
			n := strings.Count(string(body), "<"+name+">") + strings.Count(string(body), "<"+name+"/>")
			ops.Add(int32(n))
			for range n {
				fmt.Fprintf(&out, `<%s><result><status>ok</status><id>1</id></result></%s>`, name, name)
			}
		}
		out.WriteString(`</customer></packet>`)
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, out.String())
	}))
	t.Cleanup(srv.Close)
	return srv, packets, ops
}

type delFilter struct {
	XMLName xml.Name `xml:"del"`
	ID      int      `xml:"filter>id"`
}

// delOp deletes customer id: an operation that must never reach Plesk twice.
func delOp(id int) *Op {
	return &Op{Operator: "customer", Operation: "del", Request: &delFilter{ID: id}}
}

// TestBatchSentOnceBySharedSenders: many goroutines calling Send on one
// batch holding a del deliver it once. Exactly one Send succeeds; each of
// the others fails with ErrBatchSent; the results are there for all once
// their Send returned. On main this raced, and the del was delivered
// twice in one run.
func TestBatchSentOnceBySharedSenders(t *testing.T) {
	srv, packets, ops := delServer(t)
	c := mustClient(t, srv.URL, WithSecretKey(testKey))
	const senders = 16
	for round := range 20 {
		before := packets.Load()
		b := NewBatch(c, "1.6.9.1")
		p := Add[item](b, delOp(round+1))
		var wins, refused atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				switch err := b.Send(context.Background()); {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, ErrBatchSent):
					refused.Add(1)
				default:
					t.Errorf("Send: %v", err)
				}
				// Results may be read from any goroutine once its Send
				// has returned: the first Send may still be running.
				if res, err := p.Results(); err == nil && len(res) != 1 {
					t.Errorf("results %v", res)
				}
			}()
		}
		close(start)
		wg.Wait()
		if wins.Load() != 1 || refused.Load() != senders-1 {
			t.Fatalf("round %d: %d Sends succeeded, %d refused; want 1 and %d", round, wins.Load(), refused.Load(), senders-1)
		}
		if n := packets.Load() - before; n != 1 {
			t.Fatalf("round %d: the batch was delivered %d times", round, n)
		}
		if res, err := p.Results(); err != nil || len(res) != 1 {
			t.Errorf("round %d: results %v, %v", round, res, err)
		}
		if err := b.Send(context.Background()); !errors.Is(err, ErrBatchSent) {
			t.Errorf("a later Send: err = %v, want ErrBatchSent", err)
		}
	}
	if ops.Load() != 20 {
		t.Errorf("%d operations delivered, want 20", ops.Load())
	}
}

// TestBatchAddRacingSend: goroutines Add to a batch while others Send it.
// Whatever the interleaving, one packet is delivered, holding exactly the
// operations whose Results succeed, as many as Len says; every other
// operation reports ErrBatchSent from Results and was never sent.
func TestBatchAddRacingSend(t *testing.T) {
	srv, packets, ops := delServer(t)
	c := mustClient(t, srv.URL, WithSecretKey(testKey))
	const adders, perAdder, senders = 8, 8, 8
	for round := range 10 {
		packetsBefore, opsBefore := packets.Load(), ops.Load()
		b := NewBatch(c, "1.6.9.1")
		Add[item](b, delOp(1000)) // one op at least, whoever wins
		var mu sync.Mutex
		var pending []*Pending[item]
		var wg sync.WaitGroup
		start := make(chan struct{})
		for a := range adders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for i := range perAdder {
					p := Add[item](b, delOp(a*perAdder+i+1))
					mu.Lock()
					pending = append(pending, p)
					mu.Unlock()
					_ = b.Len()
				}
			}()
		}
		var wins atomic.Int32
		for range senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if err := b.Send(context.Background()); err == nil {
					wins.Add(1)
				} else if !errors.Is(err, ErrBatchSent) {
					t.Errorf("Send: %v", err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if wins.Load() != 1 || packets.Load()-packetsBefore != 1 {
			t.Fatalf("round %d: %d Sends succeeded, %d packets delivered; want 1 and 1", round, wins.Load(), packets.Load()-packetsBefore)
		}
		sent := 1 // the first del
		for _, p := range pending {
			res, err := p.Results()
			switch {
			case err == nil && len(res) == 1:
				sent++
			case errors.Is(err, ErrBatchSent) && res == nil && strings.Contains(err.Error(), "customer/del was added after Send began"):
			default:
				t.Errorf("results %v, %v: neither sent nor refused", res, err)
			}
		}
		if delivered := int(ops.Load() - opsBefore); delivered != sent || b.Len() != sent {
			t.Errorf("round %d: %d operations delivered, %d report results, Len %d", round, delivered, sent, b.Len())
		}
	}
}

// TestBatchMisuse: Results before Send, a nil op, and a batch that is not
// NewBatch's are errors, never panics; Add on a sent batch does not panic
// either, and its operation is not sent.
func TestBatchMisuse(t *testing.T) {
	srv, packets, _ := delServer(t)
	c := mustClient(t, srv.URL, WithSecretKey(testKey))

	b := NewBatch(c, "1.6.9.1")
	p := Add[item](b, delOp(1))
	if _, err := p.Results(); err == nil || !strings.Contains(err.Error(), "before Send") {
		t.Errorf("Results before Send: err = %v", err)
	}
	if err := b.Send(context.Background()); err != nil {
		t.Fatal(err)
	}
	late := Add[item](b, delOp(2))
	if _, err := late.Results(); !errors.Is(err, ErrBatchSent) {
		t.Errorf("an op added after Send: err = %v, want ErrBatchSent", err)
	}
	if packets.Load() != 1 {
		t.Errorf("%d packets, want 1", packets.Load())
	}
	if _, err := Add[item](b, nil).Results(); !errors.Is(err, ErrBatchSent) || !strings.Contains(err.Error(), "the operation was added") {
		t.Errorf("a nil op added after Send: err = %v", err)
	}

	nilOp := NewBatch(c, "1.6.9.1")
	Add[item](nilOp, delOp(3))
	pn := Add[item](nilOp, nil)
	if err := nilOp.Send(context.Background()); !errors.Is(err, ErrInvalidRequest) || !strings.Contains(err.Error(), "nil *Op") {
		t.Errorf("a nil op: err = %v, want a validation error naming it", err)
	}
	if _, err := pn.Results(); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("the nil op's results: err = %v", err)
	}
	if packets.Load() != 1 {
		t.Errorf("a batch with a nil op was sent")
	}

	var zero Batch
	if err := zero.Send(context.Background()); err == nil {
		t.Error("Send on a zero Batch succeeded")
	}
	if _, err := Add[item](&zero, delOp(4)).Results(); err == nil {
		t.Error("an op added to a zero Batch has results")
	}
	var nilBatch *Batch
	if err := nilBatch.Send(context.Background()); err == nil || nilBatch.Len() != 0 {
		t.Errorf("Send on a nil *Batch: err = %v", err)
	}
	if _, err := Add[item](nilBatch, delOp(5)).Results(); err == nil {
		t.Error("an op added to a nil *Batch has results")
	}
}
