package esl

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// A job whose BACKGROUND_JOB never comes fails with ErrJobTimeout after
// JobTimeout and is forgotten; a job answered in time is not affected.
func TestConnBgAPIJobTimeout(t *testing.T) {
	c := dialConn(t, ConnOptions{JobTimeout: 200 * time.Millisecond}, func(p *peer) {
		p.expect("event plain BACKGROUND_JOB\n\n")
		p.send(frReply("+OK event listener enabled plain"))
		for i := range 2 {
			_, id, _ := strings.Cut(p.read(), "Job-UUID: ")
			id = strings.TrimSpace(id)
			p.send("Content-Type: command/reply\nReply-Text: +OK Job-UUID: " + id + "\nJob-UUID: " + id + "\n\n")
			if i == 1 { // only the second job gets its result
				p.send(frEvent("+OK done\n", "Event-Name", "BACKGROUND_JOB", "Job-UUID", id))
			}
		}
		p.read()
	})
	ctx := context.Background()
	lost, err := c.BgAPI(ctx, "originate nowhere &park")
	if err != nil {
		t.Fatal(err)
	}
	ok, err := c.BgAPI(ctx, "status")
	if err != nil {
		t.Fatal(err)
	}
	if body, err := ok.Wait(ctx); body != "+OK done\n" || err != nil {
		t.Fatalf("answered job: %q, %v", body, err)
	}
	wctx, cancel := context.WithTimeout(ctx, testWait)
	defer cancel()
	if _, err := lost.Wait(wctx); !errors.Is(err, ErrJobTimeout) {
		t.Fatalf("lost job: %v, want ErrJobTimeout", err)
	}
	c.mu.Lock()
	n := len(c.jobs)
	c.mu.Unlock()
	if n != 0 {
		t.Errorf("%d jobs still registered", n)
	}
}
