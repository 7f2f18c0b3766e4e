package host

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors.
var (
	// ErrUnchanged means a reload found the same content as the running generation.
	ErrUnchanged = errors.New("host: scripts unchanged")
	// ErrKnownBad means a reload found exactly the content that failed the
	// previous build: nothing was recompiled. The error Build returns in that
	// case also unwraps to the original *LoadError, so errors.As still names
	// the file and line. It is distinct from ErrUnchanged on purpose: the
	// running generation is not what is on disk.
	ErrKnownBad = errors.New("host: scripts unchanged since failed load")
	// ErrBudget means a handler or session ran past its time budget.
	ErrBudget = errors.New("host: time budget exceeded")
	// ErrNoScript means no script handles an outbound call.
	ErrNoScript = errors.New("host: no script for call")
)

// LoadError reports a script that failed to compile, run or validate.
type LoadError struct {
	// File is the script's path (the scripts directory joined with the
	// file's relative name).
	File string
	// Line is the line in File, or 0 when unknown.
	Line int
	// Msg says what is wrong.
	Msg string
	// Others are the other failures of the same build, in file order, each
	// with its own file and line (their own Others are empty).
	Others []*LoadError

	transient bool // a timeout: the same content may load next time
}

// Error implements error ("host: scripts/ivr.lua:12: ..."); each of
// Others follows on a line of its own.
func (e *LoadError) Error() string {
	var b strings.Builder
	for i, le := range append([]*LoadError{e}, e.Others...) {
		if i > 0 {
			b.WriteByte('\n')
		}
		if le.Line > 0 {
			fmt.Fprintf(&b, "host: %s:%d: %s", le.File, le.Line, le.Msg)
		} else {
			fmt.Fprintf(&b, "host: %s: %s", le.File, le.Msg)
		}
	}
	return b.String()
}

// knownBadError is what Build returns for content that already failed: it
// matches ErrKnownBad and unwraps to the original *LoadError.
type knownBadError struct {
	cause *LoadError
}

func (e *knownBadError) Error() string {
	return "host: scripts unchanged since failed load: " + e.cause.Error()
}

func (e *knownBadError) Unwrap() []error { return []error{ErrKnownBad, e.cause} }
