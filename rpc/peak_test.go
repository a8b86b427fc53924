package rpc_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
)

// peakResults is the size of the answer the peak-memory benchmarks decode.
const peakResults = 100000

// webspaceGet is a webspace/get response of n results made up on the fly,
// so that the body itself takes no memory.
type webspaceGet struct {
	n, i int
	buf  []byte
	tail bool
}

func (r *webspaceGet) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		switch {
		case r.i == 0 && !r.tail && r.buf == nil:
			r.buf = []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<packet version=\"1.6.9.1\"><webspace><get>\n")
		case r.i < r.n:
			r.buf = fmt.Appendf(r.buf[:0], `<result><status>ok</status><filter-id>%d</filter-id><id>%d</id><data><gen_info>`+
				`<cr_date>2024-01-01</cr_date><name>site%d.example.com</name><ascii-name>site%d.example.com</ascii-name>`+
				`<status>0</status><real_size>%d</real_size><owner-id>1</owner-id><dns_ip_address>10.0.0.1</dns_ip_address>`+
				`<htype>vrt_hst</htype><guid>6f1b5b1e-0000-4000-8000-%012d</guid><vendor-guid>00000000-0000-0000-0000-000000000000</vendor-guid>`+
				`<external-id></external-id><description>Subscription number %d</description></gen_info></data></result>`+"\n",
				r.i, r.i, r.i, r.i, r.i*1024, r.i, r.i)
			r.i++
		case !r.tail:
			r.buf = append(r.buf[:0], "</get></webspace></packet>\n"...)
			r.tail = true
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func peakInvoker() rpc.Invoker {
	return rpc.InvokerFunc(func(ctx context.Context, version string, ops ...*rpc.Op) error {
		return rpc.DecodeResponse(&webspaceGet{n: peakResults}, ops...)
	})
}

var peakOp = &rpc.Op{Operator: "webspace", Operation: "get", ReadOnly: true}

// measurePeak runs f once per iteration and reports the highest heap in
// use above the heap before it (HeapInuse, sampled every millisecond and
// once more by f through sample, at its fullest) as peak-B.
func measurePeak(b *testing.B, f func(sample func())) {
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		var high atomic.Uint64
		sample := func() {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > base && ms.HeapInuse-base > high.Load() {
				high.Store(ms.HeapInuse - base)
			}
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					sample()
				}
			}
		}()
		b.StartTimer()
		f(sample)
		b.StopTimer()
		close(stop)
		wg.Wait()
		peak = max(peak, high.Load())
		b.StartTimer()
	}
	b.ReportMetric(float64(peak), "peak-B")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*peakResults), "ns/result")
}

// BenchmarkPeakStream100k streams 100,000 webspace/get results into
// plesk1691.WebspaceGetResult one at a time and reports the peak heap.
// Compare with BenchmarkPeakWhole100k, which collects them.
func BenchmarkPeakStream100k(b *testing.B) {
	inv := peakInvoker()
	measurePeak(b, func(sample func()) {
		n := 0
		for r, err := range rpc.Stream[plesk1691.WebspaceGetResult](context.Background(), inv, "", peakOp) {
			if err != nil || r.Data == nil || r.Data.GenInfo == nil {
				b.Fatal(r, err)
			}
			if n++; n == peakResults/2 {
				sample()
			}
		}
		if n != peakResults {
			b.Fatalf("%d results", n)
		}
	})
}

// BenchmarkPeakWhole100k decodes the same 100,000 results whole, with Do,
// and reports the peak heap: the yardstick of BenchmarkPeakStream100k.
func BenchmarkPeakWhole100k(b *testing.B) {
	inv := peakInvoker()
	measurePeak(b, func(sample func()) {
		res, err := rpc.Do[plesk1691.WebspaceGetResult](context.Background(), inv, "", peakOp)
		if err != nil || len(res) != peakResults {
			b.Fatal(len(res), err)
		}
		sample() // every result is alive here
		runtime.KeepAlive(res)
	})
}
