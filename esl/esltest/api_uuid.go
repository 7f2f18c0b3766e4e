package esltest

import (
	"strings"

	"github.com/eslscript/eslscript/esl"
)

const noSuchChannel = "-ERR No such channel!\n"

func argAt(a []string, i int) string {
	if i < len(a) {
		return a[i]
	}
	return ""
}

// uuidSimple wraps "uuid_x <uuid> [args]" commands that answer "+OK\n";
// the arguments are split like switch_separate_string (4 entries).
func (s *Server) uuidSimple(fn func(c *Call, args []string)) APIFunc {
	return func(args string) string {
		a := esl.SeparateString(args, ' ', 4)
		c := s.liveCall(argAt(a, 0))
		if c == nil {
			return noSuchChannel
		}
		fn(c, a)
		return "+OK\n"
	}
}

func (s *Server) apiUUIDKill(args string) string {
	a := strings.Fields(args)
	c := s.liveCall(argAt(a, 0))
	if c == nil {
		return noSuchChannel
	}
	go c.Hangup(argAt(a, 1))
	return "+OK\n"
}

func (s *Server) apiUUIDGetvar(args string) string {
	a := esl.SeparateString(args, ' ', 4)
	if len(a) < 2 || a[0] == "" {
		return "-USAGE: <uuid> <var>\n"
	}
	c := s.liveCall(a[0])
	if c == nil {
		return noSuchChannel
	}
	if v, ok := c.lookupVar(argAt(a, 1)); ok {
		return v
	}
	return "_undef_"
}

// apiUUIDSetvar: "uuid name [value]", split like switch_separate_string
// into 3 entries: the value is the rest of the line with quotes,
// backslash escapes and edge blanks processed (no ${} expansion).
func (s *Server) apiUUIDSetvar(args string) string {
	a := esl.SeparateString(args, ' ', 3)
	if (len(a) != 2 && len(a) != 3) || a[0] == "" {
		return "-USAGE: <uuid> <var> [value]\n"
	}
	c := s.liveCall(a[0])
	if c == nil {
		return noSuchChannel
	}
	if a[1] == "" {
		return "-ERR No variable specified\n"
	}
	c.SetVar(a[1], argAt(a, 2))
	return "+OK\n"
}

// apiUUIDTransfer: "uuid [-bleg|-both] dest [dialplan] [context]".
func (s *Server) apiUUIDTransfer(args string) string {
	a := esl.SeparateString(args, ' ', 5)
	c := s.liveCall(argAt(a, 0))
	if c == nil {
		return noSuchChannel
	}
	i := 1
	if strings.HasPrefix(argAt(a, 1), "-") {
		i = 2
	}
	if argAt(a, i) == "" {
		return "-USAGE: <uuid> [-bleg|-both] <dest-exten> [<dialplan>] [<context>]\n"
	}
	c.transfer(argAt(a, i))
	c.breakApp(false)
	return "+OK\n"
}

func (s *Server) apiUUIDBridge(args string) string {
	a := esl.SeparateString(args, ' ', 4)
	ca, cb := s.liveCall(argAt(a, 0)), s.liveCall(argAt(a, 1))
	if ca == nil || cb == nil {
		return "-ERR Invalid uuid\n"
	}
	ca.SetVar("bridge_uuid", cb.uuid)
	cb.SetVar("bridge_uuid", ca.uuid)
	br := &uuidBridge{a: ca, b: cb}
	for _, c := range []*Call{ca, cb} {
		c.mu.Lock()
		c.bridge = br
		c.mu.Unlock()
	}
	s.emitChannel(ca, "CHANNEL_BRIDGE", br.headers)
	return "+OK " + cb.uuid + "\n"
}

// uuidBridge is a bridge made by uuid_bridge: a is the originator.
type uuidBridge struct{ a, b *Call }

func (br *uuidBridge) headers(ev *esl.Event) {
	ev.Add("Bridge-A-Unique-ID", br.a.uuid)
	ev.Add("Bridge-B-Unique-ID", br.b.uuid)
	ev.Add("Other-Leg-Unique-ID", br.b.uuid)
}

// endBridge ends the uuid_bridge c was in as c hangs up: the other side
// gets CHANNEL_UNBRIDGE and, with park_after_bridge=true, is parked again
// (CHANNEL_PARK), as switch_ivr_multi_threaded_bridge does.
func (c *Call) endBridge() {
	c.mu.Lock()
	br := c.bridge
	c.bridge = nil
	c.mu.Unlock()
	if br == nil {
		return
	}
	other := br.a
	if other == c {
		other = br.b
	}
	other.mu.Lock()
	mine := other.bridge == br
	if mine {
		other.bridge = nil
	}
	down := other.down
	other.mu.Unlock()
	if !mine || down {
		return
	}
	c.s.emitChannel(other, "CHANNEL_UNBRIDGE", br.headers)
	if switchTrue(other.Var("park_after_bridge")) {
		other.mu.Lock()
		other.parked = true
		other.mu.Unlock()
		c.s.emitChannel(other, "CHANNEL_PARK", nil)
	}
}

func (s *Server) apiUUIDExists(args string) string {
	if s.liveCall(strings.TrimSpace(args)) != nil {
		return "true"
	}
	return "false"
}

// uuidBreak: "uuid [all]" stops the running app; "all" also drops queued
// messages.
func uuidBreak(c *Call, a []string) { c.breakApp(argAt(a, 1) == "all") }

// breakApp interrupts the running media application.
func (c *Call) breakApp(all bool) {
	c.mu.Lock()
	c.breakReq = true
	var dropped []*message
	if all {
		dropped, c.msgs = c.msgs, nil
	}
	c.mu.Unlock()
	for _, m := range dropped {
		m.finish()
	}
	c.kickPump()
}

// apiUUIDSendDTMF: "uuid_send_dtmf <uuid> <digits>" sends digits to the
// far end (recorded: Call.SentDTMF).
func (s *Server) apiUUIDSendDTMF(args string) string {
	a := esl.SeparateString(args, ' ', 2)
	if len(a) < 2 || a[0] == "" || a[1] == "" {
		return "-USAGE: " + recvDTMFSyntax + "\n"
	}
	c := s.liveCall(a[0])
	if c == nil {
		return "-ERR Cannot locate session!\n"
	}
	c.recordSentDTMF(a[1])
	return "+OK " + a[0] + " sent DTMF " + a[1] + ".\n"
}

func (c *Call) recordSentDTMF(d string) {
	c.mu.Lock()
	c.sentDTMF += d
	c.mu.Unlock()
}

// apiUUIDRecvDTMF: "uuid_recv_dtmf <uuid> <digits>" queues digits as if
// the caller pressed them.
func (s *Server) apiUUIDRecvDTMF(args string) string {
	a := esl.SeparateString(args, ' ', 2)
	if len(a) < 2 || a[0] == "" || a[1] == "" {
		return "-USAGE: " + recvDTMFSyntax + "\n"
	}
	c := s.liveCall(a[0])
	if c == nil {
		return "-ERR Cannot locate session!\n"
	}
	c.SendDTMF(a[1])
	return "+OK " + c.uuid + " received DTMF " + a[1] + ".\n"
}

// recvDTMFSyntax is the usage of uuid_recv_dtmf and uuid_send_dtmf.
const recvDTMFSyntax = "<uuid> <dtmf_data>"
