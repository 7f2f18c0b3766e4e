package esl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConnConcurrentAPIInOrder(t *testing.T) {
	const callers = 100
	c := dialConn(t, ConnOptions{}, func(p *peer) {
		for i := 0; i < callers; i++ {
			cmd := p.read()
			n, ok := strings.CutPrefix(cmd, "api echo ")
			if !ok {
				t.Errorf("server got %q", cmd)
				return
			}
			// an event between replies must not be taken for a reply
			p.send(frEvent("", "Event-Name", "HEARTBEAT") + frAPI(strings.TrimSuffix(n, "\n\n")))
		}
	})
	var wg sync.WaitGroup
	wrong := make(chan string, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), testWait)
			defer cancel()
			got, err := c.API(ctx, "echo "+strconv.Itoa(i))
			if err != nil || got != strconv.Itoa(i) {
				wrong <- fmt.Sprintf("caller %d got %q, %v", i, got, err)
			}
		}()
	}
	wg.Wait()
	close(wrong)
	for w := range wrong {
		t.Error(w)
	}
}

func TestConnAbandonedCallerDoesNotStealReply(t *testing.T) {
	gaveUp := make(chan struct{})
	c := dialConn(t, ConnOptions{}, func(p *peer) {
		p.expect("api first\n\n")
		<-gaveUp // answer only after the first caller has left
		p.expect("api second\n\n")
		p.send(frAPI("reply-1") + frAPI("reply-2"))
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.API(ctx, "first")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("first caller: err = %v, want DeadlineExceeded", err)
	}
	close(gaveUp)
	got, err := c.API(context.Background(), "second")
	if err != nil || got != "reply-2" {
		t.Fatalf("second caller got %q, %v; want reply-2", got, err)
	}
	if n := c.LateReplies(); n != 1 {
		t.Errorf("LateReplies = %d, want 1", n)
	}
}

func TestConnServerClosesMidCommand(t *testing.T) {
	const callers = 10
	c := dialConn(t, ConnOptions{}, func(p *peer) {
		for range callers {
			p.read()
		}
		// every command read, none answered: the server goes away
	})
	sub := c.Subscribe(SubscribeOptions{})
	errs := make(chan error, callers)
	for i := range callers {
		go func() {
			_, err := c.API(context.Background(), "sleep "+strconv.Itoa(i))
			errs <- err
		}()
	}
	for range callers {
		if err := recvWithin(t, errs); !errors.Is(err, ErrConnLost) {
			t.Errorf("pending call: err = %v, want ErrConnLost", err)
		}
	}
	recvWithin(t, c.Done())
	if !errors.Is(c.Err(), ErrConnLost) {
		t.Errorf("Err() = %v, want ErrConnLost", c.Err())
	}
	if _, ok := <-sub.C; ok {
		t.Error("subscription channel still open after the loss")
	}
	if _, err := c.API(context.Background(), "status"); !errors.Is(err, ErrConnLost) {
		t.Errorf("call after loss: err = %v, want ErrConnLost", err)
	}
}

func TestConnLocalCloseFailsPendingWithErrClosed(t *testing.T) {
	got := make(chan struct{})
	c := dialConn(t, ConnOptions{}, func(p *peer) {
		p.read()
		close(got)
		p.read() // until the client closes
	})
	errc := make(chan error, 1)
	go func() {
		_, err := c.API(context.Background(), "status")
		errc <- err
	}()
	recvWithin(t, got)
	_ = c.Close()
	if err := recvWithin(t, errc); !errors.Is(err, ErrClosed) {
		t.Errorf("pending call after Close: err = %v, want ErrClosed", err)
	}
	recvWithin(t, c.Done())
}

func TestConnAPIErrorBody(t *testing.T) {
	c := dialConn(t, ConnOptions{}, func(p *peer) {
		p.expect("api nosuchcommand\n\n")
		p.send(frAPI("-ERR nosuchcommand Command not found!\n"))
		p.expect("api status\n\n")
		p.send(frReply("-ERR permission denied"))
	})
	body, err := c.API(context.Background(), "nosuchcommand")
	var ce *CommandError
	if !errors.As(err, &ce) || ce.Text != "nosuchcommand Command not found!" {
		t.Errorf("err = %#v, want CommandError", err)
	}
	if body != "-ERR nosuchcommand Command not found!\n" {
		t.Errorf("body = %q", body)
	}
	if _, err := c.API(context.Background(), "status"); !errors.As(err, &ce) || ce.Text != "permission denied" {
		t.Errorf("command/reply refusal: err = %v", err)
	}
}

func TestConnSendReplyTyped(t *testing.T) {
	c := dialConn(t, ConnOptions{}, func(p *peer) {
		p.expect("filter Unique-ID abc\n\n")
		p.send(frReply("+OK filter added. [Unique-ID]=[abc]"))
		p.expect("linger\n\n")
		p.send(frReply("-ERR not controlling a session"))
	})
	r, err := c.Send(context.Background(), Filter{Header: "Unique-ID", Value: "abc"})
	if err != nil || !r.OK() || r.Text != "+OK filter added. [Unique-ID]=[abc]" {
		t.Errorf("filter: %+v, %v", r, err)
	}
	r, err = c.Send(context.Background(), Linger{})
	var ce *CommandError
	if !errors.As(err, &ce) || ce.Text != "not controlling a session" || r == nil || r.OK() {
		t.Errorf("linger: %+v, %v", r, err)
	}
}

func TestConnWriteGivesUpCleanly(t *testing.T) {
	server, client := net.Pipe() // unbuffered: a write blocks until read
	c := NewConn(client, ConnOptions{})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.API(ctx, "blocked"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("blocked write: err = %v, want DeadlineExceeded", err)
	}
	if err := c.Err(); err != nil {
		t.Fatalf("nothing was written, yet the conn ended: %v", err)
	}
	go func() {
		p := &peer{t: t, nc: server, br: bufio.NewReader(server)}
		if p.expect("api status\n\n") {
			p.send(frAPI("UP"))
		}
	}()
	if body, err := c.API(context.Background(), "status"); err != nil || body != "UP" {
		t.Errorf("next call: %q, %v", body, err)
	}
}
