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
)

// Target 3b: bgapi with 100 jobs in flight on one connection, ours (100
// callers each running BgAPI + Job.Wait) against a bare socket that
// pipelines "bgapi" commands with its own Job-UUIDs and matches the
// BACKGROUND_JOB events by hand. Each job echoes a token that is checked.
// One op is one job.
func BenchmarkBgAPI(b *testing.B) {
	b.Run("esl", benchBgAPIOurs)
	b.Run("bare", benchBgAPIBare)
}

func benchBgAPIOurs(b *testing.B) {
	c := dialOurs(b, startServer(b, nil, 0).addr())
	ctx := context.Background()
	var next, wrong atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	t0 := time.Now()
	runCallers(func(int) {
		for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
			tok := strconv.FormatInt(i, 10)
			job, err := c.BgAPI(ctx, "echo "+tok)
			if err != nil {
				wrong.Add(1)
				continue
			}
			if res, err := job.Wait(ctx); err != nil || res != tok {
				wrong.Add(1)
			}
		}
	})
	reportJobs(b, t0, wrong.Load())
}

// reportJobs stops the timer and reports the job rate.
func reportJobs(b *testing.B, t0 time.Time, wrong int64) {
	elapsed := time.Since(t0)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "jobs/s")
	if wrong != 0 {
		b.Fatalf("%d jobs failed or gave a wrong result", wrong)
	}
}

func benchBgAPIBare(b *testing.B) {
	rc, err := dialRaw(startServer(b, nil, 0).addr())
	if err != nil {
		b.Fatal(err)
	}
	defer rc.nc.Close()
	p := &pipeline{rc: rc, sem: make(chan struct{}, callers), want: map[string]string{}}
	b.ReportAllocs()
	b.ResetTimer()
	t0 := time.Now()
	werr := make(chan error, 1)
	go func() { werr <- p.send(b.N) }()
	wrong, err := p.collect(b.N)
	if err != nil {
		b.Fatal(err)
	}
	if err := <-werr; err != nil {
		b.Fatal(err)
	}
	reportJobs(b, t0, wrong)
}

// pipeline is the bare bgapi client: one writer keeps up to 100 jobs in
// flight, the reader matches results to Job-UUIDs.
type pipeline struct {
	rc   *rawConn
	sem  chan struct{}
	mu   sync.Mutex
	want map[string]string // Job-UUID -> expected result
}

// send writes n bgapi commands, each with its own Job-UUID.
func (p *pipeline) send(n int) error {
	var buf []byte
	for i := range n {
		p.sem <- struct{}{}
		tok := strconv.Itoa(i)
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		p.mu.Lock()
		p.want[id] = tok
		p.mu.Unlock()
		buf = append(buf[:0], "bgapi echo "...)
		buf = append(buf, tok...)
		buf = append(buf, "\nJob-UUID: "...)
		buf = append(buf, id...)
		buf = append(buf, "\n\n"...)
		if _, err := p.rc.nc.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// collect reads replies and BACKGROUND_JOB events until n jobs are done;
// it counts refused commands and wrong or unknown results.
func (p *pipeline) collect(n int) (wrong int64, err error) {
	for done := 0; done < n; {
		f, err := p.rc.read()
		if err != nil {
			return wrong, err
		}
		switch string(f.ctype) {
		case "command/reply":
			if !bytes.HasPrefix(f.reply, []byte("+OK")) {
				wrong++
			}
		case "text/event-plain":
			id, result := jobOf(f.body)
			p.mu.Lock()
			tok, ok := p.want[string(id)]
			delete(p.want, string(id))
			p.mu.Unlock()
			if !ok || string(result) != tok {
				wrong++
			}
			<-p.sem
			done++
		}
	}
	return wrong, nil
}

// jobOf finds the Job-UUID and the result of a plain BACKGROUND_JOB body.
func jobOf(body []byte) (id, result []byte) {
	if _, rest, ok := bytes.Cut(body, []byte("\nJob-UUID: ")); ok {
		id, _, _ = bytes.Cut(rest, []byte("\n"))
	}
	_, result, _ = bytes.Cut(body, []byte("\n\n"))
	return id, result
}
