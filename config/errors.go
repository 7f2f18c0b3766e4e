package config

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is matched (errors.Is) by every *Error: the configuration
// could not be read or is not valid.
var ErrInvalid = errors.New("config: invalid configuration")

// Error is a configuration problem. Key is the setting's path
// ("listeners[0].address"), an environment variable or a flag; File and
// Line locate it in the YAML file when known.
type Error struct {
	File string
	Line int
	Key  string
	Msg  string
}

// Error implements error: "config: FILE:LINE: KEY: MSG", omitting the
// parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("config: ")
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// errorf builds an *Error for key.
func errorf(key, format string, args ...any) *Error {
	return &Error{Key: key, Msg: fmt.Sprintf(format, args...)}
}
