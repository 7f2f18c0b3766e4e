package esl

import "strconv"

// XferApp is one application of an XferExt extension.
type XferApp struct {
	Name, Arg string
}

// XferExt is "sendmsg ... call-command: xferext": it builds an extension
// from the applications (one "application: <name> <arg>" header each) and
// transfers the call into it.
type XferExt struct {
	UUID string
	Apps []XferApp
}

// AppendWire implements Command.
func (c XferExt) AppendWire(dst []byte) []byte {
	dst = appendSendMsgHead(dst, c.UUID, "xferext")
	for _, a := range c.Apps {
		v := a.Name
		if a.Arg != "" {
			v += " " + a.Arg
		}
		dst = appendHeader(dst, "application", v)
	}
	return append(dst, '\n')
}

// String implements Command.
func (c XferExt) String() string { return sendMsgString(c.UUID, "xferext") }

// Unicast is "sendmsg ... call-command: unicast": it streams the call's
// audio over UDP or TCP. Empty fields (and zero ports) are left out so that
// FreeSWITCH's defaults apply.
type Unicast struct {
	UUID             string
	LocalIP          string
	LocalPort        int
	RemoteIP         string
	RemotePort       int
	Transport, Flags string
}

// AppendWire implements Command.
func (c Unicast) AppendWire(dst []byte) []byte {
	dst = appendSendMsgHead(dst, c.UUID, "unicast")
	dst = appendOptional(dst, "local-ip", c.LocalIP)
	dst = appendOptional(dst, "local-port", portString(c.LocalPort))
	dst = appendOptional(dst, "remote-ip", c.RemoteIP)
	dst = appendOptional(dst, "remote-port", portString(c.RemotePort))
	dst = appendOptional(dst, "transport", c.Transport)
	dst = appendOptional(dst, "flags", c.Flags)
	return append(dst, '\n')
}

// String implements Command.
func (c Unicast) String() string { return sendMsgString(c.UUID, "unicast") }

// appendOptional writes a header only when value is not empty.
func appendOptional(dst []byte, name, value string) []byte {
	if value == "" {
		return dst
	}
	return appendHeader(dst, name, value)
}

// portString is "" for 0.
func portString(p int) string {
	if p == 0 {
		return ""
	}
	return strconv.Itoa(p)
}

// SendEvent is "sendevent <NAME>" with headers and an optional body
// (Content-Length). Nothing is URL-encoded: FreeSWITCH does not decode
// command headers. Subclass, if set, is sent first as Event-Subclass. An
// event with the Unique-ID of a live call is queued to that call instead of
// being fired.
type SendEvent struct {
	Name     string
	Subclass string
	Headers  []MsgHeader
	Body     string
}

// AppendWire implements Command.
func (c SendEvent) AppendWire(dst []byte) []byte {
	dst = append(dst, "sendevent"...)
	dst = appendWords(dst, c.Name)
	dst = append(dst, '\n')
	dst = appendOptional(dst, "Event-Subclass", c.Subclass)
	for _, h := range c.Headers {
		dst = appendHeader(dst, h.Name, h.Value)
	}
	return appendBody(dst, "", c.Body)
}

// String implements Command.
func (c SendEvent) String() string { return wireString(c) }
