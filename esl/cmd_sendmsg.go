package esl

import "strconv"

// MsgHeader is one header of a sendmsg or sendevent command. Values are
// sent as they are (FreeSWITCH does not URL-decode command headers); line
// breaks are replaced by spaces.
type MsgHeader struct {
	Name, Value string
}

// SendMsg is a generic "sendmsg [<uuid>]" with a call-command, extra
// headers in order, and an optional body (sent with Content-Type
// text/plain and Content-Length). Leave UUID empty on an outbound socket.
type SendMsg struct {
	UUID        string
	CallCommand string
	Headers     []MsgHeader
	Body        string
}

// AppendWire implements Command.
func (c SendMsg) AppendWire(dst []byte) []byte {
	dst = appendSendMsgHead(dst, c.UUID, c.CallCommand)
	for _, h := range c.Headers {
		dst = appendHeader(dst, h.Name, h.Value)
	}
	return appendBody(dst, "text/plain", c.Body)
}

// String implements Command.
func (c SendMsg) String() string { return sendMsgString(c.UUID, c.CallCommand) }

// appendSendMsgHead writes "sendmsg[ uuid]\n[call-command: cc\n]".
func appendSendMsgHead(dst []byte, uuid, callCommand string) []byte {
	dst = append(dst, "sendmsg"...)
	dst = appendWords(dst, uuid)
	dst = append(dst, '\n')
	if callCommand != "" {
		dst = appendHeader(dst, "call-command", callCommand)
	}
	return dst
}

// sendMsgString renders "sendmsg [uuid] <call-command>".
func sendMsgString(uuid, callCommand string) string {
	if uuid == "" {
		return "sendmsg " + callCommand
	}
	return "sendmsg " + uuid + " " + callCommand
}

// MaxHeaderArg is the longest application argument Execute sends as an
// execute-app-arg header; longer ones (and any with a line break) go in a
// text/plain body.
const MaxHeaderArg = 2048

// Execute runs a dialplan application through "sendmsg ... call-command:
// execute". It sets "event-lock: true" (unless NoLock) so that queued
// applications run one after another instead of nested, and sends
// EventUUID as the Event-UUID header; FreeSWITCH echoes it as
// Application-UUID in CHANNEL_EXECUTE and CHANNEL_EXECUTE_COMPLETE.
type Execute struct {
	UUID      string
	App, Arg  string
	EventUUID string
	// Loops repeats the application (-1 forever); 0 sends no header.
	Loops int
	// Async adds "async: true" (queue even on a sync outbound socket).
	Async bool
	// NoLock leaves out "event-lock: true".
	NoLock bool
}

// NewExecute returns an Execute with a fresh random EventUUID.
func NewExecute(uuid, app, arg string) Execute {
	return Execute{UUID: uuid, App: app, Arg: arg, EventUUID: NewUUID()}
}

// AppendWire implements Command.
func (c Execute) AppendWire(dst []byte) []byte {
	dst = appendSendMsgHead(dst, c.UUID, "execute")
	dst = appendHeader(dst, "execute-app-name", c.App)
	inBody := argNeedsBody(c.Arg)
	if c.Arg != "" && !inBody {
		dst = appendHeader(dst, "execute-app-arg", c.Arg)
	}
	dst = c.appendOptions(dst)
	if !inBody {
		return append(dst, '\n')
	}
	return appendBody(dst, "text/plain", c.Arg)
}

// appendOptions writes the loops, async, event-lock and Event-UUID headers.
func (c Execute) appendOptions(dst []byte) []byte {
	if c.Loops != 0 {
		dst = appendHeader(dst, "loops", strconv.Itoa(c.Loops))
	}
	if c.Async {
		dst = appendHeader(dst, "async", "true")
	}
	if !c.NoLock {
		dst = appendHeader(dst, "event-lock", "true")
	}
	if c.EventUUID != "" {
		dst = appendHeader(dst, "Event-UUID", c.EventUUID)
	}
	return dst
}

// argNeedsBody reports whether an app argument must travel in a body.
func argNeedsBody(arg string) bool {
	if len(arg) > MaxHeaderArg {
		return true
	}
	for i := 0; i < len(arg); i++ {
		if arg[i] == '\n' || arg[i] == '\r' {
			return true
		}
	}
	return false
}

// String implements Command.
func (c Execute) String() string {
	return sendMsgString(c.UUID, "execute") + " " + c.App
}

// Hangup is "sendmsg ... call-command: hangup" with a hangup-cause
// (NORMAL_CLEARING when empty).
type Hangup struct {
	UUID, Cause string
}

// AppendWire implements Command.
func (c Hangup) AppendWire(dst []byte) []byte {
	cause := c.Cause
	if cause == "" {
		cause = "NORMAL_CLEARING"
	}
	dst = appendSendMsgHead(dst, c.UUID, "hangup")
	dst = appendHeader(dst, "hangup-cause", cause)
	return append(dst, '\n')
}

// String implements Command.
func (c Hangup) String() string { return sendMsgString(c.UUID, "hangup") }
