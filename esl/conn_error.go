package esl

// connError is why a connection ended: a message plus the sentinels it
// wraps (always ErrConnLost, sometimes ErrRejected or a framing error).
type connError struct {
	msg  string
	errs []error
}

// Error implements error.
func (e *connError) Error() string { return e.msg }

// Unwrap exposes the sentinels to errors.Is.
func (e *connError) Unwrap() []error { return e.errs }

// lostError builds an error wrapping ErrConnLost (and extra).
func lostError(detail string, extra ...error) error {
	return &connError{
		msg:  "esl: connection lost: " + detail,
		errs: append([]error{ErrConnLost}, extra...),
	}
}
