package host_test

import (
	"bufio"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Replies of the fake FreeSWITCH, as the real one writes them.
const (
	fsGreeting = "Content-Type: auth/request\n\n"
	fsAuthOK   = "Content-Type: command/reply\nReply-Text: +OK accepted\n\n"
	fsOK       = "Content-Type: command/reply\nReply-Text: +OK\n\n"
)

// blastPlan says what the fake FreeSWITCH sends after "event ... ALL":
// total frames of s, cycling through the block. When credit is set the
// sender keeps at most window frames ahead of credit() (flow control:
// the host drops events by design when a consumer falls a queue behind,
// so a loss-free rate needs a source that does not outrun it).
type blastPlan struct {
	s      *benchStream
	total  int
	window int
	credit func() int64
	// rate, when set, paces the frames at rate per second.
	rate int
	// started, when set, is called just before the first frame is written.
	started func()
}

// chunkFrames is how many frames the sender writes per socket write.
const chunkFrames = 128

// fakeFS is a tiny inbound FreeSWITCH on loopback: it authenticates any
// password, answers +OK to every command and, on the first "event ...
// ALL", sends the planned frames from a goroutine of its own (replies
// after that go between frames).
type fakeFS struct {
	ln     net.Listener
	plan   blastPlan
	wg     sync.WaitGroup
	mu     sync.Mutex    // serializes writes to a connection
	errc   chan error    // the sender's outcome
	done   chan struct{} // closed when the benchmark ends
	sent   atomic.Int64  // frames written
	halted atomic.Bool   // halt was called
}

// startFakeFS listens on 127.0.0.1 and serves until the benchmark ends.
func startFakeFS(tb testing.TB, plan blastPlan) *fakeFS {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Skip("no loopback:", err)
	}
	f := &fakeFS{ln: ln, plan: plan, errc: make(chan error, 1), done: make(chan struct{})}
	f.wg.Add(1)
	go f.accept()
	tb.Cleanup(func() {
		close(f.done)
		ln.Close()
		f.wg.Wait()
	})
	return f
}

func (f *fakeFS) addr() string { return f.ln.Addr().String() }

// accept serves one connection at a time until the listener closes.
func (f *fakeFS) accept() {
	defer f.wg.Done()
	for {
		nc, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.serve(nc)
	}
}

// serve answers commands; the connection ends when the peer closes it or
// the listener is closed.
func (f *fakeFS) serve(nc net.Conn) {
	stop := make(chan struct{})
	defer func() {
		close(stop)
		nc.Close()
	}()
	go func() {
		select {
		case <-stop:
		case <-f.done:
			nc.Close()
		}
	}()
	f.write(nc, fsGreeting)
	br := bufio.NewReader(nc)
	blasting := false
	for {
		cmd, err := readFSCommand(br)
		if err != nil {
			return
		}
		f.write(nc, replyTo(cmd))
		if !blasting && isAllEvents(cmd) {
			blasting = true
			f.wg.Add(1)
			go f.blast(nc, stop)
		}
	}
}

func (f *fakeFS) write(nc net.Conn, s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, _ = nc.Write([]byte(s))
}

// replyTo is the reply to one command.
func replyTo(cmd string) string {
	if strings.HasPrefix(cmd, "auth ") || strings.HasPrefix(cmd, "userauth ") {
		return fsAuthOK
	}
	return fsOK
}

func isAllEvents(cmd string) bool {
	f := strings.Fields(cmd)
	return len(f) > 1 && f[0] == "event" && slices.Contains(f[1:], "ALL")
}

// readFSCommand reads one command (its first line; header lines up to the
// blank line are skipped).
func readFSCommand(br *bufio.Reader) (string, error) {
	cmd := ""
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return "", err
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "" && cmd != "":
			return cmd, nil
		case cmd == "":
			cmd = line
		}
	}
}

// blast writes the plan's frames a chunk at a time, waiting for credit
// when the plan has a window and for the clock when it has a rate, until
// total frames are sent or halt is called.
func (f *fakeFS) blast(nc net.Conn, stop <-chan struct{}) {
	defer f.wg.Done()
	p := f.plan
	if p.started != nil {
		p.started()
	}
	n, chunk := p.s.events(), chunkFrames
	if p.rate > 0 {
		chunk = max(1, p.rate/1000) // one write per millisecond
	}
	start := time.Now()
	for sent := 0; sent < p.total && !f.halted.Load(); {
		k := min(chunk, p.total-sent, n-sent%n)
		if !f.waitCredit(sent+k, stop) || !f.waitClock(start, sent, stop) {
			break
		}
		a := sent % n
		f.mu.Lock()
		_, err := nc.Write(p.s.data[p.s.offs[a]:p.s.offs[a+k]])
		f.mu.Unlock()
		if err != nil {
			f.errc <- err
			return
		}
		sent += k
		f.sent.Store(int64(sent))
	}
	f.errc <- nil
}

// halt stops the sender and returns how many frames it sent.
func (f *fakeFS) halt(tb testing.TB) int {
	f.halted.Store(true)
	if err := <-f.errc; err != nil {
		tb.Fatal("fake FreeSWITCH:", err)
	}
	return int(f.sent.Load())
}

// waitCredit blocks until frame upto may be sent; false when stopped.
func (f *fakeFS) waitCredit(upto int, stop <-chan struct{}) bool {
	p := f.plan
	if p.credit == nil {
		return true
	}
	for int64(upto)-p.credit() > int64(p.window) {
		if !pause(stop, 50*time.Microsecond) {
			return false
		}
	}
	return true
}

// waitClock blocks until frame sent is due at the plan's rate.
func (f *fakeFS) waitClock(start time.Time, sent int, stop <-chan struct{}) bool {
	if f.plan.rate <= 0 {
		return true
	}
	due := start.Add(time.Duration(sent) * time.Second / time.Duration(f.plan.rate))
	if d := time.Until(due); d > 0 {
		return pause(stop, d)
	}
	return true
}

// pause sleeps d; false when stop closed first.
func pause(stop <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-stop:
		return false
	case <-t.C:
		return true
	}
}
