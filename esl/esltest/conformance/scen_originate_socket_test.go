package conformance

import (
	"testing"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/internal/realfs"
)

func init() {
	scenarios = append(scenarios, scenario{"dial/originate-into-socket", dialOriginateSocket})
}

// dialOriginateSocket: originate with a quoted '&socket(addr async full)'
// connects the new channel to an outbound socket (how a test or a user
// places a call into a listener by hand); digits sent with uuid_recv_dtmf
// reach a read; the socket's exit ends the extension and the call.
func dialOriginateSocket(t *testing.T, tg target, tr *trace) {
	c := tg.Client(t)
	l := listen(t)
	tr.Redact(l.Addr(), "ADDR")
	id := realfs.NewUUID()
	tr.Redact(id, "UUID")
	tr.Add("originate: %q", api(t, c, "originate {origination_uuid="+id+"}"+tg.Dial("park")+" '&socket("+l.Addr()+" async full)'"))
	s := l.Accept(t)
	tr.Add("connect: %s", s.Connect())
	tr.Add("channel: uuid=%v direction=%s answer=%s app=%s", s.uuid == id, s.data.Get("Call-Direction"),
		s.data.Get("Answer-State"), s.data.Get("variable_current_application"))
	tr.Add("myevents: %s", s.Send(esl.MyEvents{}))
	// Whether the socket sees CHANNEL_PARK is a race on FreeSWITCH (see
	// esltest's documentation): the events are traced from the read on.
	tr.Add("read: %s", s.Send(esl.Execute{App: "read", Arg: "1 1 silence_stream://3000 my_read 3000 #"}))
	s.Until(named("CHANNEL_EXECUTE"))
	tr.Add("recv_dtmf: %s", s.Send(esl.API{Command: "uuid_recv_dtmf " + s.uuid + " 5"}))
	evs := only(s.Until(completes("read")), legEvents...)
	tr.Events("socket", evs)
	tr.Add("my_read=%q", evs[len(evs)-1].Var("my_read"))
	tr.Add("exit: %s", s.Send(esl.Exit{}))
	tr.Add("notice: %s", s.Notice())
	hc := tg.Watch().WaitLeg(t, id, "CHANNEL_HANGUP_COMPLETE")
	tr.Add("cause=%s", hc.Get("Hangup-Cause"))
}
