package bindings

import (
	"context"
	"errors"
	"time"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// errDown is the internal wait result for a hung-up call.
var errDown = errors.New(errTextHangup)

// waitFor says what a session wait is waiting for. Nil fields never fire.
type waitFor struct {
	done     <-chan struct{}  // a Go-side result is in
	cond     func() bool      // satisfied by host state (checked after each event)
	timeout  <-chan time.Time // per-wait timeout
	deadline <-chan time.Time // overall deadline
	hangup   bool             // return errDown as soon as the call is down
}

// wait blocks until w is met, pumping call events and the state's loop.
// It returns nil when done closed or cond held, errTimeout, errDown, or
// the handler context's error.
func (s *luaSession) wait(L *lua.LState, w waitFor) error {
	ctx, pend := s.rt.ctx(), s.rt.pending()
	for {
		s.injectDue(L)
		if w.cond != nil && w.cond() {
			return nil
		}
		if w.hangup && s.down {
			return errDown
		}
		select {
		case ev, ok := <-s.events:
			s.receive(ev, ok)
		case <-s.hupCh:
			s.hungUp()
		case fn := <-pend:
			fn(L)
		case <-w.done:
			s.pump()
			return nil
		case <-w.timeout:
			return errTimeout
		case <-w.deadline:
			return errTimeout
		case <-ctx.Done():
			return ctxErr(ctx)
		}
	}
}

// execute runs app on the call and waits for its CHANNEL_EXECUTE_COMPLETE
// (esl returns promptly on hangup, socket end or ctx). The failure text is
// "hangup" when the call or socket is gone.
func (s *luaSession) execute(L *lua.LState, app, arg string) (*esl.Event, string) {
	if why := s.usable(L, true); why != "" {
		return nil, why
	}
	return s.executeWith(app, arg, func(done <-chan struct{}) error {
		return s.wait(L, waitFor{done: done})
	})
}

// executeWith runs app on the call on a goroutine of its own and waits
// for it with wait (which returns once done is closed, or with the reason
// it gave up); the app is abandoned when wait gives up. An app the hangup
// ended (its completion says Answer-State: hangup) or kept from running
// (no completion) fails with "hangup", whatever order the completion and
// CHANNEL_HANGUP arrive in; an app that completed before the hangup began
// gives its own result.
func (s *luaSession) executeWith(app, arg string, wait func(done <-chan struct{}) error) (*esl.Event, string) {
	ctx, cancel := context.WithCancel(s.rt.ctx())
	defer cancel()
	var res *esl.Event
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, err = s.call.Execute(ctx, app, arg)
	}()
	if werr := wait(done); werr != nil {
		return nil, errText(werr)
	}
	if err != nil {
		return nil, s.failText(err)
	}
	if esl.HungUpEvent(res) { // said before CHANNEL_HANGUP is pumped, maybe
		s.markDown("hangup")
		return nil, errTextHangup
	}
	return res, ""
}

// failText maps an esl error to its Lua text, marking the call down for
// a hangup or a lost socket.
func (s *luaSession) failText(err error) string {
	if errors.Is(err, esl.ErrHangup) || errors.Is(err, esl.ErrConnLost) || errors.Is(err, esl.ErrClosed) {
		s.markDown("hangup")
		return errTextHangup
	}
	return errText(err)
}

// api runs an api command on the call's socket (quick, so not pumped).
func (s *luaSession) api(cmd string) (string, string) {
	out, err := s.call.API(s.rt.ctx(), cmd)
	if err != nil {
		return "", s.failText(err)
	}
	return out, ""
}

// after returns a channel firing after ms (nil for ms <= 0: no timeout).
func (s *luaSession) after(ms int) <-chan time.Time {
	if ms <= 0 {
		return nil
	}
	return s.rt.clock().After(time.Duration(ms) * time.Millisecond)
}
