package esl

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// jobEvents returns n BACKGROUND_JOB frames numbered from first, shaped
// like burstEvents' (checkEvent reads them), with Job-UUID job-<i>.
func jobEvents(first, n int) []byte {
	var b strings.Builder
	for i := first; i < first+n; i++ {
		body := fmt.Sprintf("Event-Name: BACKGROUND_JOB\nJob-UUID: job-%d\nSeq: %d\nUnique-ID: id-%d\nPad: %s\n\n",
			i, i, i, strings.Repeat(string(rune('a'+i%26)), 1200+i%300))
		fmt.Fprintf(&b, "Content-Length: %d\nContent-Type: text/event-plain\n\n%s", len(body), body)
	}
	return []byte(b.String())
}

// TestBorrowedJobEventsLent: a Borrow subscription gets BACKGROUND_JOB
// events lent when no job of this connection waits for them (a stream
// that carries other clients' job results), while the one event a job of
// ours waits for stays owned by the job and intact after its chunk's
// neighbours are released and the chunks reused.
func TestBorrowedJobEventsLent(t *testing.T) {
	const bursts, per = 6, 700
	const waited = per + 5 // in the second burst
	var data [][]byte
	for k := range bursts {
		data = append(data, jobEvents(k*per, per))
	}
	next := make(chan struct{}, 1)
	c := burstConn(t, ConnOptions{}, data, next)
	job := newJob(fmt.Sprintf("job-%d", waited))
	if err := c.addJob(job); err != nil {
		t.Fatal(err)
	}
	sub := c.Subscribe(SubscribeOptions{Borrow: true, Queue: bursts * per})
	lent := drainBorrowed(t, sub, bursts*per, per, next, func(i int, ev *Event) {
		if i == waited && ev.lease != nil {
			t.Error("the event a job waits for was lent")
		}
	})
	if lent < bursts*per/2 {
		t.Fatalf("only %d of %d BACKGROUND_JOB events no job waited for were lent", lent, bursts*per)
	}
	if c.chunks.reused.Load() == 0 {
		t.Fatal("no read chunk was reused")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := job.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if err := checkEvent(job.Event(), waited); err != nil {
		t.Fatalf("the job's event: %v", err)
	}
}
