package bench

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// Target 3a: sequential "api status" round trips, ours against a bare
// socket on the same fake server; p50/p99 per call.
func BenchmarkAPI(b *testing.B) {
	b.Run("esl", benchAPIOurs)
	b.Run("bare", benchAPIBare)
	b.Run("handoff", benchAPIHandoff)
}

// dialOurs connects an esl.Client to the fake server.
func dialOurs(tb testing.TB, addr string) *esl.Client {
	tb.Helper()
	c, err := esl.Dial(context.Background(), addr, esl.Options{Password: "ClueCon"})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

func benchAPIOurs(b *testing.B) {
	c := dialOurs(b, startServer(b, nil, 0).addr())
	ctx := context.Background()
	lat := make(latencies, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range lat {
		t0 := time.Now()
		body, err := c.API(ctx, "status")
		lat[i] = time.Since(t0)
		if err != nil || body != statusBody {
			b.Fatalf("api status: %q, %v", body, err)
		}
	}
	b.StopTimer()
	lat.report(b)
}

func benchAPIBare(b *testing.B) {
	rc, err := dialRaw(startServer(b, nil, 0).addr())
	if err != nil {
		b.Fatal(err)
	}
	defer rc.nc.Close()
	cmd := []byte("api status\n\n")
	want := []byte(statusBody)
	lat := make(latencies, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range lat {
		t0 := time.Now()
		if _, err := rc.nc.Write(cmd); err != nil {
			b.Fatal(err)
		}
		f, err := rc.read()
		lat[i] = time.Since(t0)
		if err != nil || string(f.ctype) != "api/response" || !bytes.Equal(f.body, want) {
			b.Fatalf("api status: %q %q, %v", f.ctype, f.body, err)
		}
	}
	b.StopTimer()
	lat.report(b)
}

// benchAPIHandoff is the floor of any design with one reader goroutine
// per socket: the bare socket of benchAPIBare, but its frames are read by
// a goroutine of their own and handed to the caller over a channel, which
// is the least such a design can do. It shows what the goroutine hand-off
// alone costs on this machine.
func benchAPIHandoff(b *testing.B) {
	rc, err := dialRaw(startServer(b, nil, 0).addr())
	if err != nil {
		b.Fatal(err)
	}
	defer rc.nc.Close()
	frames := make(chan rawFrame, 1)
	go func() {
		defer close(frames)
		for {
			f, err := rc.read()
			if err != nil {
				return
			}
			frames <- f
		}
	}()
	cmd := []byte("api status\n\n")
	lat := make(latencies, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range lat {
		t0 := time.Now()
		if _, err := rc.nc.Write(cmd); err != nil {
			b.Fatal(err)
		}
		f := <-frames
		lat[i] = time.Since(t0)
		if string(f.ctype) != "api/response" || string(f.body) != statusBody {
			b.Fatalf("api status: %q %q", f.ctype, f.body)
		}
	}
	b.StopTimer()
	lat.report(b)
}

// callers is the number of concurrent callers on one connection.
const callers = 100

// BenchmarkAPIConcurrent: 100 goroutines share one connection; each call
// asks the server to echo a token of its own and checks the answer. One op
// is one call.
func BenchmarkAPIConcurrent(b *testing.B) {
	c := dialOurs(b, startServer(b, nil, 0).addr())
	var next, wrong atomic.Int64
	lat := make(latencies, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	t0 := time.Now()
	runCallers(func(g int) {
		for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
			tok := strconv.Itoa(g) + "-" + strconv.FormatInt(i, 10)
			s := time.Now()
			body, err := c.API(context.Background(), "echo "+tok)
			lat[i] = time.Since(s)
			if err != nil || body != tok {
				wrong.Add(1)
			}
		}
	})
	elapsed := time.Since(t0)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
	b.ReportMetric(float64(wrong.Load()), "wrong")
	lat.report(b)
	if wrong.Load() != 0 {
		b.Fatalf("%d wrong answers", wrong.Load())
	}
}

// runCallers runs fn on 100 goroutines and waits for them.
func runCallers(fn func(g int)) {
	var wg sync.WaitGroup
	for g := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(g)
		}()
	}
	wg.Wait()
}

// TestAPIConcurrentAnswers: 100 callers on one connection, 100 calls
// each, every answer is the caller's own token.
func TestAPIConcurrentAnswers(t *testing.T) {
	c := dialOurs(t, startServer(t, nil, 0).addr())
	var wrong, calls atomic.Int64
	var firstErr sync.Once
	runCallers(func(g int) {
		for i := range 100 {
			tok := fmt.Sprintf("caller%d-call%d", g, i)
			body, err := c.API(context.Background(), "echo "+tok)
			calls.Add(1)
			if err != nil || body != tok {
				wrong.Add(1)
				firstErr.Do(func() { t.Errorf("caller %d: got %q, %v; want %q", g, body, err, tok) })
			}
		}
	})
	if wrong.Load() != 0 || calls.Load() != callers*100 {
		t.Fatalf("%d wrong answers in %d calls", wrong.Load(), calls.Load())
	}
}
