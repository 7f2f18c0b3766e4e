package esltest

import (
	"github.com/eslscript/eslscript/esl"
)

// cmdAPI runs the api command inline (no events are written meanwhile).
func (c *Conn) cmdAPI(cmd Command) {
	c.queueReply(apiResponse(c.s.API(cmd.Arg())))
}

// cmdBgapi replies with the Job-UUID at once (the client's own Job-UUID
// header if given) and fires BACKGROUND_JOB when the command is done.
func (c *Conn) cmdBgapi(cmd Command) {
	id := cmd.Get("Job-UUID")
	if id == "" {
		id = newUUID()
	}
	c.queueReply([]byte("Content-Type: command/reply\nReply-Text: +OK Job-UUID: " + id + "\nJob-UUID: " + id + "\n\n"))
	owner := c.sessionUUID() // outbound, or inbound after myevents <uuid>
	line := cmd.Arg()
	s := c.s
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.runJob(id, owner, line)
	}()
}

// runJob runs a background api command and fires BACKGROUND_JOB.
func (s *Server) runJob(id, owner, line string) {
	out := s.API(line)
	name, args := splitAPI(line)
	s.emit("BACKGROUND_JOB", func(ev *esl.Event) {
		ev.Add("Job-UUID", id)
		if owner != "" {
			ev.Add("Job-Owner-UUID", owner)
		}
		ev.Add("Job-Command", name)
		if args != "" {
			ev.Add("Job-Command-Arg", args)
		}
		ev.SetBody(out)
	})
}

// cmdSendevent builds the event as FreeSWITCH does (client headers first,
// then Event-UUID, then the delivery headers) and fires it, or queues it to
// the channel named by its Unique-ID.
func (c *Conn) cmdSendevent(cmd Command) {
	name, known := nameEvent(cmd.Arg())
	if !known || name == "ALL" {
		name = "CLONE"
	}
	id := newUUID()
	ev := esl.NewEvent(name)
	ev.Del("Event-Name")
	sub := cmd.Get("Event-Subclass")
	if name == "CUSTOM" && sub != "" {
		ev.Add("Event-Subclass", sub)
	}
	ev.Add("Command", cmd.Line)
	for _, h := range cmd.Headers {
		if name == "CUSTOM" && h.Name == "Event-Subclass" {
			continue
		}
		ev.Add(h.Name, h.Value)
	}
	ev.Add("Event-UUID", id)
	if call := c.s.liveCall(cmd.Get("Unique-ID")); call != nil {
		if cmd.Body != "" {
			ev.SetBody(cmd.Body)
		}
		c.s.queueToCall(call, ev)
	} else {
		c.s.fireSent(ev, name, cmd.Body)
	}
	c.reply("+OK " + id)
}

// fireSent adds the delivery headers and body to a sendevent event and
// fires it.
func (s *Server) fireSent(ev *esl.Event, name, body string) {
	s.emitMu.Lock()
	defer s.emitMu.Unlock()
	ev.Add("Event-Name", name)
	s.addPrep(ev, origins["CUSTOM"])
	if body != "" {
		ev.SetBody(body)
	}
	s.deliver(newWireEvent(ev))
}

// queueToCall puts ev on the call's private queue: recorded for
// ReceivedEvents and, with divert_events on, sent to the controlling
// sockets regardless of subscriptions and filters.
func (s *Server) queueToCall(call *Call, ev *esl.Event) {
	call.mu.Lock()
	call.received = append(call.received, &receivedEvent{ev})
	call.mu.Unlock()
	w := newWireEvent(ev)
	s.mu.Lock()
	conns := s.connList()
	s.bumpLocked()
	s.mu.Unlock()
	for _, cn := range conns {
		cn.mu.Lock()
		ok := cn.call == call && cn.divert
		cn.mu.Unlock()
		if ok {
			cn.queueEvent(outItem{ev: w})
		}
	}
}
