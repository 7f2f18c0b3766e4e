package esl

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestConnSlowSubscriberDoesNotStallReader(t *testing.T) {
	const events = 2000
	subscribed := make(chan struct{})
	c := dialConn(t, ConnOptions{Node: "fs1"}, func(p *peer) {
		<-subscribed
		var b strings.Builder
		for i := range events {
			b.WriteString(frEvent("", "Event-Name", "HEARTBEAT", "Event-Sequence", strconv.Itoa(i)))
		}
		p.send(b.String())
		p.expect("api status\n\n")
		p.send(frAPI("UP"))
	})
	slow := c.Subscribe(SubscribeOptions{Queue: 10}) // never read until the end
	fast := c.Subscribe(SubscribeOptions{})          // default queue: keeps up
	close(subscribed)
	done := make(chan int)
	go func() {
		n := 0
		for ev := range fast.C {
			if ev.Get("Event-Sequence") != strconv.Itoa(n) || ev.Node != "fs1" {
				t.Errorf("fast subscriber: event %d is seq %q node %q", n, ev.Get("Event-Sequence"), ev.Node)
			}
			n++
		}
		done <- n
	}()
	// The reply comes after every event: it proves the reader went on.
	if body, err := c.API(context.Background(), "status"); err != nil || body != "UP" {
		t.Fatalf("api after the burst: %q, %v", body, err)
	}
	if slow.Len() != 10 || slow.Dropped() != events-10 {
		t.Errorf("slow: Len %d Dropped %d, want 10 and %d", slow.Len(), slow.Dropped(), events-10)
	}
	for i := range 10 { // the oldest events were kept
		if ev := <-slow.C; ev.Get("Event-Sequence") != strconv.Itoa(i) {
			t.Errorf("slow kept seq %q at %d", ev.Get("Event-Sequence"), i)
		}
	}
	_ = c.Close()
	if n := recvWithin(t, done); n != events || fast.Dropped() != 0 {
		t.Errorf("fast got %d events, dropped %d; want %d, 0", n, fast.Dropped(), events)
	}
}

func TestConnOnEventRunsBeforeSubscribers(t *testing.T) {
	var order []string // appended on the reader goroutine only
	c := dialConn(t, ConnOptions{OnEvent: func(ev *Event) {
		order = append(order, "OnEvent "+ev.Name())
	}}, func(p *peer) {
		p.read()
		p.send(frEvent("", "Event-Name", "HEARTBEAT") + frEvent("", "Event-Name", "CHANNEL_ANSWER"))
		p.read()
	})
	sub := c.Subscribe(SubscribeOptions{Filter: func(ev *Event) bool {
		order = append(order, "Filter "+ev.Name())
		return ev.Name() == "CHANNEL_ANSWER"
	}})
	go func() { _, _ = c.Send(context.Background(), NoEvents{}) }()
	ev := recvWithin(t, sub.C)
	want := "OnEvent HEARTBEAT,Filter HEARTBEAT,OnEvent CHANNEL_ANSWER,Filter CHANNEL_ANSWER"
	if ev.Name() != "CHANNEL_ANSWER" || strings.Join(order, ",") != want {
		t.Errorf("got %q, order %v", ev.Name(), order)
	}
}

func TestConnDisconnectNotices(t *testing.T) {
	const linger = "Content-Type: text/disconnect-notice\nControlled-Session-UUID: u1\n" +
		"Content-Disposition: linger\nChannel-Name: loopback/9000-a\nLinger-Time: -1\nContent-Length: 0\n\n"
	frames := make(chan string, 4)
	c := dialConn(t, ConnOptions{OnFrame: func(f *Frame) {
		frames <- f.ContentType() + "/" + f.Header("Content-Disposition")
	}}, func(p *peer) {
		p.send(linger)
		p.expect("api status\n\n")
		p.send(frAPI("still here") + frBye)
		p.read() // keep the socket open: the notice alone must end the conn
	})
	if body, err := c.API(context.Background(), "status"); err != nil || body != "still here" {
		t.Fatalf("after linger notice: %q, %v", body, err)
	}
	recvWithin(t, c.Done())
	if err := c.Err(); !errors.Is(err, ErrConnLost) || !strings.Contains(err.Error(), "Disconnected, goodbye.") {
		t.Errorf("Err() = %v", err)
	}
	if a, b := <-frames, <-frames; a != "text/disconnect-notice/linger" || b != "text/disconnect-notice/" {
		t.Errorf("OnFrame saw %q, %q", a, b)
	}
}

func TestConnBgAPIJobsByOurUUID(t *testing.T) {
	uuids := make(chan []string, 1)
	c := dialConn(t, ConnOptions{}, func(p *peer) {
		p.expect("event plain BACKGROUND_JOB\n\n")
		p.send(frReply("+OK event listener enabled plain"))
		var ids []string
		for range 3 {
			cmd := p.read()
			_, id, _ := strings.Cut(cmd, "Job-UUID: ")
			id = strings.TrimSpace(id)
			ids = append(ids, id)
			p.send("Content-Type: command/reply\nReply-Text: +OK Job-UUID: " + id + "\nJob-UUID: " + id + "\n\n")
		}
		uuids <- ids
		// out of order: job 2, a stranger's job, job 3 (-ERR), job 1
		p.send(frEvent("+OK two\n", "Event-Name", "BACKGROUND_JOB", "Job-UUID", ids[1], "Job-Command", "originate") +
			frEvent("+OK other\n", "Event-Name", "BACKGROUND_JOB", "Job-UUID", "not-ours") +
			frEvent("-ERR NO_ROUTE_DESTINATION\n", "Event-Name", "BACKGROUND_JOB", "Job-UUID", ids[2]) +
			frEvent("+OK one\n", "Event-Name", "BACKGROUND_JOB", "Job-UUID", ids[0]))
		p.read()
	})
	ctx := context.Background()
	var jobs []*Job
	for _, cmd := range []string{"status", "originate a b", "originate x y"} {
		j, err := c.BgAPI(ctx, cmd)
		if err != nil {
			t.Fatalf("BgAPI(%q): %v", cmd, err)
		}
		jobs = append(jobs, j)
	}
	ids := recvWithin(t, uuids)
	for i, j := range jobs {
		if j.UUID != ids[i] {
			t.Errorf("job %d UUID %q, server saw %q", i, j.UUID, ids[i])
		}
	}
	recvWithin(t, jobs[0].Done()) // the last event in: all are in
	for i, want := range []string{"+OK one\n", "+OK two\n"} {
		if got, err := jobs[i].Wait(ctx); got != want || err != nil {
			t.Errorf("job %d: %q, %v; want %q", i, got, err, want)
		}
	}
	_, err := jobs[2].Wait(ctx)
	var ce *CommandError
	if !errors.As(err, &ce) || ce.Text != "NO_ROUTE_DESTINATION" {
		t.Errorf("job 2 err = %v, want CommandError NO_ROUTE_DESTINATION", err)
	}
	if jobs[1].Event().Get("Job-Command") != "originate" {
		t.Errorf("job event headers lost")
	}
}

func TestConnBgAPIJobFailsOnLoss(t *testing.T) {
	c := dialConn(t, ConnOptions{}, func(p *peer) {
		p.expect("event json CHANNEL_ANSWER\n\n")
		p.send(frReply("+OK event listener enabled json"))
		p.expect("event json BACKGROUND_JOB\n\n") // follows the connection's format
		p.send(frReply("+OK event listener enabled json"))
		cmd := p.read()
		_, id, _ := strings.Cut(cmd, "Job-UUID: ")
		p.send(frReply("+OK Job-UUID: " + strings.TrimSpace(id)))
	})
	ctx := context.Background()
	if _, err := c.Send(ctx, EventCmd{Format: FormatJSON, Names: []string{"CHANNEL_ANSWER"}}); err != nil {
		t.Fatal(err)
	}
	j, err := c.BgAPI(ctx, "status")
	if err != nil {
		t.Fatal(err)
	}
	recvWithin(t, j.Done())
	if _, err := j.Wait(ctx); !errors.Is(err, ErrConnLost) {
		t.Errorf("job after loss: err = %v, want ErrConnLost", err)
	}
	if j.Event() != nil {
		t.Error("Event() of a failed job is not nil")
	}
}
