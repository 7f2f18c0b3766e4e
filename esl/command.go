package esl

import "strings"

// Command is one ESL command. It appends its exact wire text, including the
// terminating blank line, to dst. Commands are small value types; see the
// cmd_*.go files. String must never reveal a password.
type Command interface {
	AppendWire(dst []byte) []byte
	String() string
}

// Reply is a typed command/reply (or the head of an api/response).
type Reply struct {
	// Text is Reply-Text ("+OK accepted", "-ERR invalid") without a
	// trailing newline. For an api/response it is the body without its
	// trailing newline. The outbound connect reply's URL-encoded
	// Reply-Text ("%2BOK%0A") is decoded.
	Text string
	// JobUUID is set on bgapi replies.
	JobUUID string
	// Frame is the raw reply frame (owned copy).
	Frame *Frame
}

// newReply builds a Reply from an owned frame.
func newReply(f *Frame) *Reply {
	r := &Reply{Frame: f, JobUUID: f.Header("Job-UUID")}
	switch {
	case f.ContentType() == TypeAPIResponse:
		r.Text = string(f.Body)
	case f.Header("Event-Name") != "":
		r.Text = f.HeaderDecoded("Reply-Text") // outbound connect reply
	default:
		r.Text = f.Header("Reply-Text")
	}
	r.Text = strings.TrimSuffix(r.Text, "\n")
	return r
}

// OK reports whether the reply is a success (+OK...).
func (r *Reply) OK() bool { return strings.HasPrefix(r.Text, "+OK") }

// Err returns a *CommandError for a -ERR reply, nil otherwise.
func (r *Reply) Err() error { return errorText(r.Text) }

// errorText returns a *CommandError when s starts with "-ERR".
func errorText(s string) error {
	rest, ok := strings.CutPrefix(s, "-ERR")
	if !ok {
		return nil
	}
	rest = strings.TrimSuffix(strings.TrimPrefix(rest, " "), "\n")
	return &CommandError{Text: rest}
}
