package esl

import (
	"bufio"
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

// queueState reports the write queue: whether a writer is active, how
// many commands wait unwritten, and how many calls wait for a reply.
func (c *Conn) queueState() (writing bool, queued, pending int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wq.writing, len(c.wq.ends), len(c.pending)
}

// waitQueue polls the write queue until it has the given shape.
func waitQueue(t *testing.T, c *Conn, queued, pending int) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for time.Now().Before(deadline) {
		if w, q, p := c.queueState(); w && q == queued && p == pending {
			return
		}
		time.Sleep(time.Millisecond)
	}
	w, q, p := c.queueState()
	t.Fatalf("write queue: writing %v, %d queued, %d pending; want %d queued, %d pending", w, q, p, queued, pending)
}

type apiResult struct {
	body string
	err  error
}

// goAPI runs c.API on a goroutine.
func goAPI(ctx context.Context, c *Conn, cmd string) <-chan apiResult {
	ch := make(chan apiResult, 1)
	go func() {
		body, err := c.API(ctx, cmd)
		ch <- apiResult{body, err}
	}()
	return ch
}

func recvAPI(t *testing.T, ch <-chan apiResult) apiResult {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(testWait):
		t.Fatal("api call did not return")
	}
	return apiResult{}
}

// A command queued behind a blocked write is withdrawn when its context
// ends: it never reaches the wire; the next queued command is written by
// its own caller and the replies go to the right callers.
func TestConnQueuedCommandWithdrawn(t *testing.T) {
	server, client := net.Pipe() // unbuffered: a write blocks until read
	c := NewConn(client, ConnOptions{})
	defer c.Close()
	a := goAPI(context.Background(), c, "a")
	waitQueue(t, c, 0, 1) // a's batch is being written
	ctxB, cancelB := context.WithCancel(context.Background())
	b := goAPI(ctxB, c, "b")
	waitQueue(t, c, 1, 2)
	cc := goAPI(context.Background(), c, "c")
	waitQueue(t, c, 2, 3)
	cancelB()
	if r := recvAPI(t, b); !errors.Is(r.err, context.Canceled) {
		t.Fatalf("b: %q, %v; want Canceled", r.body, r.err)
	}
	waitQueue(t, c, 1, 2)
	p := &peer{t: t, nc: server, br: bufio.NewReader(server)}
	if !p.expect("api a\n\n") || !p.expect("api c\n\n") {
		return
	}
	go p.send(frAPI("ra") + frAPI("rc"))
	if r := recvAPI(t, a); r.body != "ra" || r.err != nil {
		t.Errorf("a: %q, %v", r.body, r.err)
	}
	if r := recvAPI(t, cc); r.body != "rc" || r.err != nil {
		t.Errorf("c: %q, %v", r.body, r.err)
	}
	if n := c.LateReplies(); n != 0 {
		t.Errorf("LateReplies = %d", n)
	}
}

// A writer whose context ends while its write is blocked (nothing sent)
// withdraws only its own command; the command queued behind it is still
// written, by its own caller, and the connection stays up.
func TestConnWriterGivesUpNextWrites(t *testing.T) {
	server, client := net.Pipe()
	c := NewConn(client, ConnOptions{})
	defer c.Close()
	ctxA, cancelA := context.WithCancel(context.Background())
	a := goAPI(ctxA, c, "a")
	waitQueue(t, c, 0, 1)
	cc := goAPI(context.Background(), c, "c")
	waitQueue(t, c, 1, 2)
	cancelA()
	if r := recvAPI(t, a); !errors.Is(r.err, context.Canceled) {
		t.Fatalf("a: %q, %v; want Canceled", r.body, r.err)
	}
	p := &peer{t: t, nc: server, br: bufio.NewReader(server)}
	if !p.expect("api c\n\n") {
		return
	}
	go p.send(frAPI("rc"))
	if r := recvAPI(t, cc); r.body != "rc" || r.err != nil {
		t.Errorf("c: %q, %v", r.body, r.err)
	}
	if err := c.Err(); err != nil {
		t.Errorf("conn ended: %v", err)
	}
}

// A bgapi refused with -ERR fails with a *CommandError; a reply that
// names another Job-UUID rekeys the job, so its BACKGROUND_JOB still
// completes it.
func TestConnBgAPIRefusedAndRekeyed(t *testing.T) {
	c := dialConn(t, ConnOptions{}, func(p *peer) {
		p.expect("event plain BACKGROUND_JOB\n\n")
		p.send(frReply("+OK event listener enabled plain"))
		p.read()
		p.send(frReply("-ERR no reply"))
		p.read()
		p.send("Content-Type: command/reply\nReply-Text: +OK Job-UUID: theirs\nJob-UUID: theirs\n\n")
		p.send(frEvent("+OK done\n", "Event-Name", "BACKGROUND_JOB", "Job-UUID", "theirs"))
		p.read()
	})
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	_, err := c.BgAPI(ctx, "status")
	var ce *CommandError
	if !errors.As(err, &ce) || ce.Text != "no reply" {
		t.Fatalf("refused bgapi: err = %v, want CommandError", err)
	}
	j, err := c.BgAPI(ctx, "status")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := j.Wait(ctx); got != "+OK done\n" || err != nil || j.UUID != "theirs" {
		t.Errorf("rekeyed job %s: %q, %v", j.UUID, got, err)
	}
}
