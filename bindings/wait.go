package bindings

import (
	"context"
	"errors"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// ErrTimeout is the runtime failure of a wait that ran out of time; Lua
// sees its text "timeout".
var ErrTimeout = errors.New("timeout")

// pending returns the loop's callback channel, or nil when the loop cannot
// be pumped from a blocking call.
func (e *Env) pending() <-chan func(*lua.LState) {
	if p, ok := e.Loop.(Pump); ok {
		return p.Pending()
	}
	return nil
}

// after returns a channel firing after ms milliseconds, or nil (never) when
// no timeout was given.
func (e *Env) after(ms int, given bool) <-chan time.Time {
	if !given {
		return nil
	}
	return e.clock().After(time.Duration(ms) * time.Millisecond)
}

// block waits for done, the timeout or the handler's context, running the
// state's loop callbacks meanwhile. It returns nil when done closed first.
func block(L *lua.LState, env *Env, done <-chan struct{}, timeout <-chan time.Time) error {
	ctx, pend := env.ctx(), env.pending()
	for {
		select {
		case <-done:
			return nil
		case fn := <-pend:
			fn(L)
		case <-timeout:
			return ErrTimeout
		case <-ctx.Done():
			return ctxErr(ctx)
		}
	}
}

// ctxErr returns why ctx ended (context.Cause when set).
func ctxErr(ctx context.Context) error {
	if c := context.Cause(ctx); c != nil {
		return c
	}
	return ctx.Err()
}
