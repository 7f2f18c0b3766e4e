package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	lua "github.com/yuin/gopher-lua"
)

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
