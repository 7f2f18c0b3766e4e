package esl

import "errors"

// Sentinel errors that callers branch on. Wrapped errors keep them reachable
// through errors.Is.
var (
	// ErrClosed is returned by calls on a connection that was closed locally.
	ErrClosed = errors.New("esl: connection closed")
	// ErrConnLost is returned by pending and later calls when the socket died.
	ErrConnLost = errors.New("esl: connection lost")
	// ErrNotConnected is returned while a reconnecting client has no socket.
	ErrNotConnected = errors.New("esl: not connected")
	// ErrAuthFailed means FreeSWITCH refused the password (-ERR invalid).
	ErrAuthFailed = errors.New("esl: authentication failed")
	// ErrRejected means FreeSWITCH's ACL refused the peer (text/rude-rejection).
	ErrRejected = errors.New("esl: connection rejected by access list")
	// ErrNotAuthenticated means a command was sent before auth succeeded.
	ErrNotAuthenticated = errors.New("esl: command sent before authentication")
	// ErrAuthTimeout means no auth/request or auth reply came in time.
	ErrAuthTimeout = errors.New("esl: authentication timed out")
	// ErrFrameTooLarge ends a connection whose frame exceeds MaxFrameSize.
	ErrFrameTooLarge = errors.New("esl: frame too large")
	// ErrMalformed is a framing error (bad Content-Length, missing blank line).
	ErrMalformed = errors.New("esl: malformed frame")
	// ErrHangup is returned by outbound calls once the channel hung up.
	ErrHangup = errors.New("esl: channel hung up")
	// ErrTooManySessions is reported when the outbound session cap is reached.
	ErrTooManySessions = errors.New("esl: too many outbound sessions")
	// ErrServerClosed is returned by Server.Serve after Shutdown.
	ErrServerClosed = errors.New("esl: server closed")
	// ErrJobTimeout fails a bgapi job whose BACKGROUND_JOB did not come
	// within its bound (ConnOptions.JobTimeout).
	ErrJobTimeout = errors.New("esl: bgapi job result did not come in time")
)

// CommandError carries FreeSWITCH's own text for a refused command or a
// failed api/bgapi ("-ERR NO_ROUTE_DESTINATION"). Text has the "-ERR " prefix
// removed and no trailing newline.
type CommandError struct {
	Text string
}

// Error implements error.
func (e *CommandError) Error() string { return "esl: -ERR " + e.Text }
