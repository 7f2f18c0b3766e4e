package bindings

import (
	"context"
	"errors"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// errTimeout is the runtime failure of a wait that ran out of time; Lua
// sees its text "timeout".
var errTimeout = errors.New("timeout")

// block waits for done, the timeout or the handler's context, running the
// state's loop callbacks meanwhile. It returns nil when done closed first.
func block(L *lua.LState, rt *Runtime, done <-chan struct{}, timeout <-chan time.Time) error {
	ctx, pend := rt.ctx(), rt.pending()
	for {
		select {
		case <-done:
			return nil
		case fn := <-pend:
			fn(L)
		case <-timeout:
			return errTimeout
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
