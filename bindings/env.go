package bindings

import (
	"context"
	"log/slog"
	"time"
)

// ctx returns the context of the running handler.
func (e *Env) ctx() context.Context {
	if e.Context == nil {
		return context.Background()
	}
	if c := e.Context(); c != nil {
		return c
	}
	return context.Background()
}

// clock returns the environment's clock, real time when unset.
func (e *Env) clock() Clock {
	if e.Clock == nil {
		return realClock{}
	}
	return e.Clock
}

// logger returns the host logger, slog.Default when unset.
func (e *Env) logger() *slog.Logger {
	if e.Logger == nil {
		return slog.Default()
	}
	return e.Logger
}

// callbackFailed reports err, raised by a callback of kind what that was
// registered during call: to OnCallbackError, else to the log.
func (e *Env) callbackFailed(what, call string, err error) {
	if e.OnCallbackError != nil {
		e.OnCallbackError(what, call, err)
		return
	}
	e.logger().Error("bindings: "+what+" callback failed", append(envArgs(e), "error", err.Error())...)
}

// realClock is the wall clock.
type realClock struct{}

// Now implements Clock.
func (realClock) Now() time.Time { return time.Now() }

// After implements Clock.
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
