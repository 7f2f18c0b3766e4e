package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// callResult is the outcome of one protected Lua call.
type callResult struct {
	err    error         // nil on success; wraps ErrBudget when killed
	killed bool          // the budget (or the host) stopped the call
	dur    time.Duration // wall time of the call
}

// protectedCallAt calls fn(args...) in L with ctx as the state's context:
// the VM stops at its next instruction once ctx ends. A Lua error comes
// back as the *lua.ApiError (message with script:line, and traceback). When
// ctx ended during the call the error wraps ErrBudget and killed is set:
// the state must then be discarded. start is the clock the caller read
// just before (one clock read per event serves several purposes).
func protectedCallAt(ctx context.Context, L *lua.LState, start monoTime, fn lua.LValue, args ...lua.LValue) callResult {
	L.SetContext(ctx)
	err := L.CallByParam(lua.P{Fn: fn, NRet: 0, Protect: true}, args...)
	L.RemoveContext()
	res := callResult{err: err, dur: start.since()}
	if err != nil && ctx.Err() != nil {
		res.killed = true
		res.err = budgetError(ctx, err, res.dur)
	}
	return res
}

// budgetError wraps ErrBudget (or, for a stop by the guard, ErrBusy or
// ErrMemory) with how long the call ran and where the script was stopped.
func budgetError(ctx context.Context, luaErr error, ran time.Duration) error {
	ran = ran.Round(time.Millisecond)
	var se *stopError
	if errors.As(context.Cause(ctx), &se) {
		return fmt.Errorf("%w (stopped at %s after %v)", se, luaPosition(luaErr), ran)
	}
	if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		return fmt.Errorf("%w after %v: %v", ErrBudget, ran, firstLine(luaErr))
	}
	return fmt.Errorf("%w (stopped after %v: %v): %v", ErrBudget, ran, context.Cause(ctx), firstLine(luaErr))
}

// luaPosition is the "file.lua:12" a Lua error was raised at, or "?".
func luaPosition(err error) string {
	if m := luaWhere.FindStringSubmatch(firstLine(err)); m != nil {
		return m[1] + ":" + m[2]
	}
	return "?"
}

// firstLine returns the error's message without a Lua traceback.
func firstLine(err error) string {
	var ae *lua.ApiError
	if errors.As(err, &ae) && ae.Object != nil {
		return ae.Object.String()
	}
	return err.Error()
}

// withBudget returns a context that ends after d (or with parent).
func withBudget(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, d)
}

// logFailure logs a failed Lua call with its script:line message and, for
// Lua errors, the traceback.
func logFailure(log *slog.Logger, msg, script, handler string, err error) {
	text := firstLine(err)
	if errors.Is(err, ErrBudget) || errors.Is(err, ErrBusy) || errors.Is(err, ErrMemory) {
		text = err.Error()
	}
	attrs := []any{"script", script, "handler", handler, "error", text}
	var ae *lua.ApiError
	if errors.As(err, &ae) && ae.StackTrace != "" {
		attrs = append(attrs, "traceback", ae.StackTrace)
	}
	log.Error(msg, attrs...)
}
