package host

import (
	"context"
	"errors"
	"fmt"

	lua "github.com/yuin/gopher-lua"
)

// RunError reports a one-shot script (RunFile) that raised an error, ran
// out of time, was cancelled or was stopped by its ScriptLimits. It
// unwraps to context.DeadlineExceeded, context.Canceled, ErrBusy or
// ErrMemory in the last cases.
type RunError struct {
	// File and Line locate the error: where it was raised (which may be a
	// module the script required); Line is 0 when unknown.
	File string
	Line int
	// Msg is the error's message without the location.
	Msg string
	// Traceback is the Lua stack at the error, when known.
	Traceback string

	cause error // context.DeadlineExceeded, context.Canceled, a *stopError or nil
}

// Error implements error ("host: /srv/scripts/x.lua:12: boom").
func (e *RunError) Error() string { return "host: " + e.Where() }

// Where is the error as Lua prints it: "FILE:LINE: message" (or
// "FILE: message" when the line is unknown).
func (e *RunError) Where() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Unwrap returns the context error that stopped the script, if any.
func (e *RunError) Unwrap() error { return e.cause }

// newRunError builds the RunError of err, raised while running f; stop is
// why the run's context ended, if it did: a stop is reported as such,
// wherever the script was.
func newRunError(stop error, f *luaFile, err error) *RunError {
	le := runtimeError(f, err, false, 0)
	re := &RunError{File: le.File, Line: le.Line, Msg: le.Msg}
	var ae *lua.ApiError
	if errors.As(err, &ae) {
		re.Traceback = ae.StackTrace
	}
	if stop != nil {
		re.cause = stop
		re.Msg = stoppedMessage(stop)
	}
	return re
}

// stoppedMessage says why the context stopped a script.
func stoppedMessage(err error) string {
	if se, ok := err.(*stopError); ok {
		return se.stopped()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "stopped: timeout"
	}
	return "stopped: cancelled"
}
