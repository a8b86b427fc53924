package rpc

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// Retries: only reads are retried, and a server's Retry-After is honoured
// within bounds.

// TestStateChangesAreNotRetried: an op that does not declare itself
// ReadOnly is never sent twice, whatever its name says
// (server/get-and-reset-counter reads and resets); a declared read is
// retried.
func TestStateChangesAreNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithSecretKey(testKey), WithReadRetry(RetryPolicy{Attempts: 4, MinBackoff: time.Microsecond, MaxBackoff: time.Millisecond}))
	for _, tt := range []struct {
		op    *Op
		sends int32
	}{
		{&Op{Operator: "server", Operation: "get-and-reset-counter", Request: Empty{}}, 1},
		{&Op{Operator: "webspace", Operation: "db-servers/add", Request: Empty{}}, 1},
		{&Op{Operator: "server", Operation: "get", Request: Empty{}}, 1},
		{&Op{Operator: "server", Operation: "get", ReadOnly: true}, 4},
		{&Op{Operator: "webspace", Operation: "db-servers/list", ReadOnly: true}, 4},
	} {
		hits.Store(0)
		if _, err := Do[item](context.Background(), c, "", tt.op); !errors.Is(err, ErrHTTPStatus) {
			t.Errorf("%s: err = %v", tt.op, err)
		}
		if n := hits.Load(); n != tt.sends {
			t.Errorf("%s sent %d times, want %d", tt.op, n, tt.sends)
		}
	}
}

// TestRetryAfter: the wait a 503 asks for is honoured; a wait longer than
// the policy allows, or than the context leaves, ends the call at once.
func TestRetryAfter(t *testing.T) {
	var hits atomic.Int32
	var after atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", after.Load().(string))
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		pleskHandler(t, okGet)(w, r)
	}))
	defer srv.Close()
	policy := RetryPolicy{Attempts: 3, MinBackoff: time.Microsecond, MaxBackoff: 20 * time.Second}
	c := mustClient(t, srv.URL, WithSecretKey(testKey), WithReadRetry(policy))

	// Honoured: the second try comes no sooner than a second later (a
	// lower bound only, which load cannot break).
	hits.Store(0)
	after.Store("1")
	began := time.Now()
	if _, err := Do[item](context.Background(), c, "", getOp()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d < time.Second || hits.Load() != 2 {
		t.Errorf("retried after %v with %d requests, want at least 1s and 2", d, hits.Load())
	}

	// Beyond the policy's MaxBackoff: not retried early, not waited for.
	hits.Store(0)
	after.Store("3600")
	_, err := Do[item](context.Background(), c, "", getOp())
	var te *TransportError
	if !errors.As(err, &te) || te.RetryAfter != time.Hour || hits.Load() != 1 {
		t.Errorf("err = %v (RetryAfter %v), %d requests; want the 503 at once", err, te.RetryAfter, hits.Load())
	}

	// Beyond the context's deadline: the 503, not a deadline error.
	hits.Store(0)
	after.Store("15")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = Do[item](ctx, c, "", getOp())
	if !errors.Is(err, ErrHTTPStatus) || errors.Is(err, context.DeadlineExceeded) || hits.Load() != 1 {
		t.Errorf("err = %v, %d requests; want the 503 at once", err, hits.Load())
	}

	if d := retryAfter(time.Now().Add(90*time.Second).UTC().Format(http.TimeFormat), time.Now()); d < 80*time.Second || d > 91*time.Second {
		t.Errorf("an HTTP-date Retry-After gives %v", d)
	}
	for _, v := range []string{"", "-3", "soon", "0"} {
		if d := retryAfter(v, time.Now()); d != 0 {
			t.Errorf("Retry-After %q gives %v", v, d)
		}
	}
}
