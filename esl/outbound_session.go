package esl

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Session is one outbound call's socket: after connect it holds the
// CHANNEL_DATA, subscribes to the call's events (myevents) and BACKGROUND_JOB,
// and lingers.
//
// All methods are safe for concurrent use. Events of the call are read by
// the Conn's single reader goroutine; Execute results are matched to their
// caller by Application-UUID, so concurrent Executes never cross results.
type Session struct {
	*Conn
	// Data is the CHANNEL_DATA from the connect reply.
	Data *Event

	uuid string
	// target is the uuid put on sendmsg: empty on an outbound socket,
	// the call's uuid on a Client.Attach connection.
	target string
	sub    *Subscription
	execs  execWaiters
	// ended is cancelled when the socket is gone (the handler's context
	// derives from it); hangup when the call hangs up or the socket is
	// gone. Both are cancelled by the reader, no goroutine waits for them.
	ended     context.Context
	endNow    context.CancelFunc
	hangup    context.Context
	hangupNow context.CancelCauseFunc

	parked parkState // the channel's park began (see outbound_park.go)

	mu         sync.Mutex
	hangupSeen bool // CHANNEL_HANGUP or a disconnect notice arrived
	closing    bool // a final disconnect notice arrived: FreeSWITCH closes
	cause      string
}

func newSession() *Session {
	s := &Session{}
	s.ended, s.endNow = context.WithCancel(context.Background())
	s.hangup, s.hangupNow = context.WithCancelCause(context.Background())
	s.parked.init()
	return s
}

// UUID returns the call's Unique-ID.
func (s *Session) UUID() string { return s.uuid }

// Execute runs a dialplan application with event-lock and our own
// Event-UUID, and returns its CHANNEL_EXECUTE_COMPLETE event (read
// Application-Response and variable_* from it). When the call hangs up
// first, an application FreeSWITCH had not started yet fails at once with
// an error wrapping ErrHangup (it never runs; nor does an unknown one:
// FreeSWITCH hangs the call up instead), while one it had started (its
// CHANNEL_EXECUTE came) is waited for: FreeSWITCH sends its completion
// once the application sees the hangup (then saying Answer-State: hangup,
// see HungUpEvent). It fails with an error wrapping ErrConnLost when the
// socket closes first, or with ctx.Err(). After the hangup it fails at
// once. Multi-line args go in a body.
func (s *Session) Execute(ctx context.Context, app, arg string) (*Event, error) {
	return s.ExecuteVia(ctx, s.Send, app, arg)
}

// ExecuteVia is Execute with its sendmsg sent by send, which must write
// to this session's connection: s.Send behind a wrapper that times or
// traces commands.
func (s *Session) ExecuteVia(ctx context.Context, send func(context.Context, Command) (*Reply, error), app, arg string) (*Event, error) {
	if s.isDown() {
		return nil, s.downErr()
	}
	id := NewUUID()
	w := s.execs.add(id)
	defer s.execs.remove(id)
	if _, err := send(ctx, Execute{UUID: s.target, App: app, Arg: arg, EventUUID: id}); err != nil {
		return nil, err
	}
	return s.awaitComplete(ctx, w)
}

// awaitComplete waits for the EXECUTE_COMPLETE delivered to w. After the
// hangup it waits on only for an application that started; a completion
// that arrived before the socket end wins.
func (s *Session) awaitComplete(ctx context.Context, w *execWaiter) (*Event, error) {
	select {
	case ev := <-w.done:
		return ev, nil
	case <-s.hangup.Done():
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s.execs.started(w) {
		select {
		case ev := <-w.done:
			return ev, nil
		case <-s.ended.Done():
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	select {
	case ev := <-w.done:
		return ev, nil
	default:
		return nil, s.downErr()
	}
}

// Hangup hangs the call up with a cause (NORMAL_CLEARING when empty). It
// returns once FreeSWITCH accepted the message; CHANNEL_HANGUP follows on
// Events and closes HungUp.
func (s *Session) Hangup(ctx context.Context, cause string) error {
	_, err := s.Send(ctx, Hangup{UUID: s.target, Cause: cause})
	return err
}

// Events delivers every event of this call in wire order (DTMF included,
// and BACKGROUND_JOBs owned by it). The queue is bounded (Server.EventQueue,
// DefaultSessionQueue by default): the reader never waits for the script,
// so when the script does not read and the queue is full, further events
// are dropped and counted by EventsDropped. Hangup detection and Execute
// results do not depend on this queue being read. The channel is closed
// when the socket ends.
func (s *Session) Events() <-chan *Event { return s.sub.C }

// EventsDropped returns how many events Events dropped because its queue
// was full.
func (s *Session) EventsDropped() uint64 { return s.sub.Dropped() }

// HungUp is closed when CHANNEL_HANGUP, an event saying Answer-State:
// hangup (see HungUpEvent) or a disconnect notice arrives, or the socket
// ends.
func (s *Session) HungUp() <-chan struct{} { return s.hangup.Done() }

// HangupContext returns a context cancelled when HungUp closes: at the
// hangup (context.Cause wraps ErrHangup) or when the socket ends (the
// cause wraps ErrConnLost or ErrClosed). Derive contexts or register
// context.AfterFunc on it instead of starting a goroutine that waits on
// HungUp.
func (s *Session) HangupContext() context.Context { return s.hangup }

// HangupCause returns the Hangup-Cause once hung up ("" before, or when
// only the socket ended).
func (s *Session) HangupCause() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cause
}

// onEvent runs on the reader goroutine for every event, before Events
// sees it: it completes Executes and detects the hangup.
func (s *Session) onEvent(ev *Event) {
	s.noteParked(ev)
	name := ev.Name()
	down := name == "CHANNEL_HANGUP" || name == "CHANNEL_HANGUP_COMPLETE" || HungUpEvent(ev)
	var cause string
	if down {
		cause = ev.Get("Hangup-Cause") // read before ev is handed to an Execute
	}
	switch name {
	case "CHANNEL_EXECUTE":
		s.execs.start(ev.Get("Application-UUID"))
	case "CHANNEL_EXECUTE_COMPLETE":
		s.execs.complete(ev.Get("Application-UUID"), ev)
	}
	if down {
		s.markHangup(cause)
	}
}

// HungUpEvent reports whether a channel event was built after its
// channel's hangup began: FreeSWITCH sets the channel's state to CS_HANGUP
// before it fires CHANNEL_HANGUP, and every channel event built from then
// on says Answer-State: hangup. An application that ends because of the
// hangup sees that state first, so its CHANNEL_EXECUTE_COMPLETE says so
// even when it is delivered before CHANNEL_HANGUP.
func HungUpEvent(ev *Event) bool {
	v, ok := ev.Lookup("Answer-State")
	return ok && v == "hangup"
}

// onFrame runs on the reader goroutine for non-reply frames. Any
// disconnect notice (linger or disconnect) means the channel is down.
func (s *Session) onFrame(f *Frame) {
	if f.ContentType() != TypeDisconnectNotice {
		return
	}
	if finalNotice(f) {
		s.mu.Lock()
		s.closing = true // FreeSWITCH closes the socket after this notice
		s.mu.Unlock()
	}
	s.markHangup("")
}

// closingByPeer reports whether FreeSWITCH sent the final disconnect
// notice: the socket is ending, so no "exit" is due.
func (s *Session) closingByPeer() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// markHangup records the hangup (the first non-empty cause wins) and
// closes HungUp.
func (s *Session) markHangup(cause string) {
	s.mu.Lock()
	s.hangupSeen = true
	if s.cause == "" {
		s.cause = cause
	}
	s.mu.Unlock()
	s.hangupNow(ErrHangup)
}

// markEnded closes HungUp and cancels the handler's context once the
// socket is gone; the reader calls it as it stops, after Done closed.
func (s *Session) markEnded() {
	s.hangupNow(s.lostErr())
	s.endNow()
}

func (s *Session) isDown() bool { return s.hangup.Err() != nil }

// downErr explains why the session can no longer run applications: the
// hangup (wrapping ErrHangup) or the socket's end (wrapping ErrConnLost).
func (s *Session) downErr() error {
	s.mu.Lock()
	seen, cause := s.hangupSeen, s.cause
	s.mu.Unlock()
	if seen && cause != "" {
		return fmt.Errorf("%w: %s", ErrHangup, cause)
	}
	if seen {
		return ErrHangup
	}
	return s.lostErr()
}

// lostErr is the connection's end reason, made to wrap ErrConnLost.
func (s *Session) lostErr() error {
	err := s.Err()
	switch {
	case err == nil:
		return ErrConnLost
	case errors.Is(err, ErrConnLost):
		return err
	default:
		return fmt.Errorf("%w: %w", ErrConnLost, err)
	}
}

// execWaiters maps our Event-UUIDs to the Executes waiting for them.
type execWaiters struct {
	mu sync.Mutex
	m  map[string]*execWaiter
}

// execWaiter is one Execute waiting for its completion.
type execWaiter struct {
	done    chan *Event // buffered: the completion
	running bool        // its CHANNEL_EXECUTE came (guarded by execWaiters.mu)
}

func (w *execWaiters) add(id string) *execWaiter {
	x := &execWaiter{done: make(chan *Event, 1)}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m == nil {
		w.m = make(map[string]*execWaiter)
	}
	w.m[id] = x
	return x
}

func (w *execWaiters) remove(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.m, id)
}

// start records that the application of id began (CHANNEL_EXECUTE).
func (w *execWaiters) start(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if x := w.m[id]; x != nil {
		x.running = true
	}
}

// started reports whether x's application began.
func (w *execWaiters) started(x *execWaiter) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return x.running
}

// complete hands ev to the waiter for id, if any. It never blocks.
func (w *execWaiters) complete(id string, ev *Event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if x := w.m[id]; x != nil {
		select {
		case x.done <- ev:
		default:
		}
	}
}

// connected keeps the connect reply's header block, the URL-encoded
// CHANNEL_DATA, as Data.
func (s *Session) connected(r *Reply) error {
	s.Data = r.Frame.HeaderEvent()
	s.uuid = s.Data.UniqueID()
	if s.uuid == "" {
		s.uuid = s.Data.Get("Channel-Unique-ID")
	}
	if s.uuid == "" {
		return fmt.Errorf("%w: connect reply has no Unique-ID", ErrMalformed)
	}
	return nil
}
