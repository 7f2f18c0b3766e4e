package esl

// Command is one ESL command. It appends its exact wire text, including the
// terminating blank line, to dst. Commands are small value types; see the
// cmd_*.go files. String must never reveal a password.
type Command interface {
	AppendWire(dst []byte) []byte
	String() string
}

// Reply is a typed command/reply (or the head of an api/response).
type Reply struct {
	// Text is Reply-Text ("+OK accepted", "-ERR invalid").
	Text string
	// JobUUID is set on bgapi replies.
	JobUUID string
	// Frame is the raw reply frame (owned copy).
	Frame *Frame
}

// OK reports whether the reply is a success (+OK...).
func (r *Reply) OK() bool { panic("TODO") }

// Err returns a *CommandError for a -ERR reply, nil otherwise.
func (r *Reply) Err() error { panic("TODO") }
