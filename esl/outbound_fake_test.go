package esl

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// This file is a small fake FreeSWITCH for the outbound server tests: it
// dials the server like the `socket` dialplan application and speaks the
// FreeSWITCH side of the protocol, with bytes taken from the 1.10.12
// captures.

const (
	obFixtureDir = "testdata/freeswitch-1.10.12/"
	obLingerRx   = obFixtureDir + "outbound-8084-async-linger.rx.txt"
	obLingerTx   = obFixtureDir + "outbound-8084-async-linger.tx.txt"
	obTimeout    = 5 * time.Second
)

// obFakeFS is the FreeSWITCH end of one outbound socket.
type obFakeFS struct {
	t  *testing.T
	nc net.Conn
	r  *bufio.Reader
}

// obDial connects to the server like mod_event_socket's socket app.
func obDial(t *testing.T, addr string) *obFakeFS {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, obTimeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	nc.SetDeadline(time.Now().Add(obTimeout))
	t.Cleanup(func() { nc.Close() })
	return &obFakeFS{t: t, nc: nc, r: bufio.NewReader(nc)}
}

// readCmd reads one command as FreeSWITCH does: up to the blank line, then
// a content-length body if the header block has one.
func (f *obFakeFS) readCmd() string {
	f.t.Helper()
	cmd, err := obReadCommand(f.r)
	if err != nil {
		f.t.Fatalf("fake FS: reading a command: %v (got %q)", err, cmd)
	}
	return cmd
}

func obReadCommand(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for !strings.HasSuffix(b.String(), "\n\n") {
		line, err := r.ReadString('\n')
		b.WriteString(line)
		if err != nil {
			return b.String(), err
		}
	}
	n := obHeaderInt(b.String(), "content-length")
	body := make([]byte, n)
	_, err := io.ReadFull(r, body)
	return b.String() + string(body), err
}

// expectCmd reads a command and requires its exact bytes.
func (f *obFakeFS) expectCmd(want string) {
	f.t.Helper()
	if got := f.readCmd(); got != want {
		f.t.Fatalf("fake FS: got command %q, want %q", got, want)
	}
}

// expectEOF requires the server to close the socket without sending more.
func (f *obFakeFS) expectEOF() {
	f.t.Helper()
	b, err := io.ReadAll(f.r)
	if err != nil || len(b) != 0 {
		f.t.Fatalf("fake FS: want EOF, got %q, %v", b, err)
	}
}

func (f *obFakeFS) write(s string) {
	f.t.Helper()
	if _, err := io.WriteString(f.nc, s); err != nil {
		f.t.Fatalf("fake FS: write: %v", err)
	}
}

// reply writes a command/reply exactly as mod_event_socket does.
func (f *obFakeFS) reply(text string) {
	f.write("Content-Type: command/reply\nReply-Text: " + text + "\n\n")
}

// event writes a text/event-plain frame around a serialized event.
func (f *obFakeFS) event(body string) {
	f.write(fmt.Sprintf("Content-Length: %d\nContent-Type: text/event-plain\n\n%s", len(body), body))
}

// handshake plays FreeSWITCH's side of connect, myevents, event and linger,
// requiring our server's exact bytes in that order, then parks the call.
func (f *obFakeFS) handshake(connectReply string) {
	f.t.Helper()
	f.handshakeUnparked(connectReply)
	f.parked(connectReply)
}

// handshakeUnparked is handshake without the CHANNEL_PARK.
func (f *obFakeFS) handshakeUnparked(connectReply string) {
	f.t.Helper()
	f.expectCmd("connect\n\n")
	f.write(connectReply)
	f.expectCmd("myevents\n\n")
	f.reply("+OK Events Enabled")
	f.expectCmd("event plain BACKGROUND_JOB\n\n")
	f.reply("+OK event listener enabled plain")
	f.expectCmd("linger\n\n")
	f.reply("+OK will linger")
}

// parked sends the CHANNEL_PARK that FreeSWITCH fires when the socket
// app parks the channel after connect (it proves to the server that the
// socket may end; see outbound_park.go).
func (f *obFakeFS) parked(connectReply string) {
	f.t.Helper()
	m := regexp.MustCompile(`(?m)^Unique-ID: (\S+)$`).FindStringSubmatch(connectReply)
	if m == nil {
		f.t.Fatal("fake FS: connect reply without Unique-ID")
	}
	f.event("Event-Name: CHANNEL_PARK\nUnique-ID: " + m[1] + "\n\n")
}

// exit answers our "exit" like FreeSWITCH and closes.
func (f *obFakeFS) exit(uuid string) {
	f.t.Helper()
	f.expectCmd("exit\n\n")
	f.reply("+OK bye")
	f.write(obDisconnectNotice(uuid))
	f.nc.Close()
}

// execute reads one sendmsg execute, answers +OK and returns its headers.
func (f *obFakeFS) execute() map[string]string {
	f.t.Helper()
	cmd := f.readCmd()
	if !strings.HasPrefix(cmd, "sendmsg\ncall-command: execute\n") {
		f.t.Fatalf("fake FS: want sendmsg execute, got %q", cmd)
	}
	f.reply("+OK")
	return obCmdHeaders(cmd)
}

func obDisconnectNotice(uuid string) string {
	body := "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"
	return fmt.Sprintf("Content-Type: text/disconnect-notice\nControlled-Session-UUID: %s\n"+
		"Content-Disposition: disconnect\nContent-Length: %d\n\n%s", uuid, len(body), body)
}

func obLingerNotice(uuid string) string {
	return "Content-Type: text/disconnect-notice\nControlled-Session-UUID: " + uuid +
		"\nContent-Disposition: linger\nChannel-Name: loopback/9000-b\nLinger-Time: -1\nContent-Length: 0\n\n"
}

// obCmdHeaders parses a command's header lines (after the first line).
func obCmdHeaders(cmd string) map[string]string {
	h := map[string]string{}
	head, _, _ := strings.Cut(cmd, "\n\n")
	for _, line := range strings.Split(head, "\n")[1:] {
		if k, v, ok := strings.Cut(line, ": "); ok {
			h[strings.ToLower(k)] = v
		}
	}
	return h
}

func obHeaderInt(block, name string) int {
	head, _, _ := strings.Cut(block, "\n\n")
	for _, line := range strings.Split(head, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(k, name) {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

// obSplitFrames cuts a capture of FreeSWITCH's bytes into whole frames.
func obSplitFrames(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	for len(b) > 0 {
		i := bytes.Index(b, []byte("\n\n"))
		if i < 0 {
			t.Fatalf("obSplitFrames: trailing %d bytes without a blank line", len(b))
		}
		end := i + 2 + obHeaderInt(string(b[:i+2]), "Content-Length")
		out = append(out, string(b[:end]))
		b = b[end:]
	}
	return out
}

func obReadFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// obFixture holds the frames of the async-linger capture.
type obFixture struct {
	frames []string
}

func obLoadFixture(t *testing.T) *obFixture {
	return &obFixture{frames: obSplitFrames(t, obReadFixture(t, obLingerRx))}
}

// connectReply is the first frame: the URL-encoded CHANNEL_DATA reply.
func (fx *obFixture) connectReply() string { return fx.frames[0] }

// uuid is the call's Unique-ID in the capture.
func (fx *obFixture) uuid() string {
	return regexp.MustCompile(`(?m)^Unique-ID: (\S+)$`).FindStringSubmatch(fx.frames[0])[1]
}

// eventBody returns the serialized body of the nth (0-based) event with
// that Event-Name.
func (fx *obFixture) eventBody(t *testing.T, name string, nth int) string {
	t.Helper()
	for _, fr := range fx.frames {
		_, body, _ := strings.Cut(fr, "\n\n")
		if strings.HasPrefix(body, "Event-Name: "+name+"\n") {
			if nth == 0 {
				return body
			}
			nth--
		}
	}
	t.Fatalf("fixture has no event %s", name)
	return ""
}

// obSetHeader replaces the first header line of that name in a serialized
// event (the value must already be URL-encoded), or adds it at the end of
// the header block.
func obSetHeader(body, name, value string) string {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `: .*$`)
	if loc := re.FindStringIndex(body); loc != nil {
		return body[:loc[0]] + name + ": " + value + body[loc[1]:]
	}
	i := strings.Index(body, "\n\n")
	return body[:i+1] + name + ": " + value + "\n" + body[i+1:]
}

// obServer runs srv on a loopback listener; cleanup shuts it down and
// checks Serve's result.
func obServer(t *testing.T, srv *Server) (addr string, served <-chan error) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), obTimeout)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := obWaitErr(t, errc); !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return l.Addr().String(), errc
}

// obWait receives from c or fails the test after obTimeout.
func obWait[T any](t *testing.T, c <-chan T) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(obTimeout):
		t.Fatalf("timed out waiting")
		panic("unreachable")
	}
}

func obWaitErr(t *testing.T, c <-chan error) error {
	t.Helper()
	return obWait(t, c)
}

// obHandler hands each session to the test and blocks it until the
// test sends the function to run as the rest of the handler.
type obHandler struct {
	sessions chan *Session
	ctxs     chan context.Context
	run      chan func(context.Context, *Session)
}

func newObHandler() *obHandler {
	return &obHandler{
		sessions: make(chan *Session, 4),
		ctxs:     make(chan context.Context, 4),
		run:      make(chan func(context.Context, *Session)),
	}
}

func (h *obHandler) handle(ctx context.Context, s *Session) {
	h.sessions <- s
	h.ctxs <- ctx
	select {
	case fn := <-h.run:
		fn(ctx, s)
	case <-time.After(obTimeout):
	}
}
