package conformance

import (
	"net"
	"strconv"
	"testing"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/internal/realfs"
)

func init() {
	scenarios = append(scenarios, scenario{"dial/socket-host-list", dialSocketHostList})
}

// dialSocketHostList: the socket application's "A|B" tries the addresses
// in order: A refuses the connection (nothing listens), B takes it (how a
// dialplan spreads calls over several eslscript instances).
func dialSocketHostList(t *testing.T, tg target, tr *trace) {
	c := tg.Client(t)
	port, err := realfs.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	closed := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	tr.Redact(closed, "CLOSED")
	l := listen(t)
	tr.Redact(l.Addr(), "ADDR")
	id := realfs.NewUUID()
	tr.Redact(id, "UUID")
	tr.Add("originate: %q", api(t, c, "originate {origination_uuid="+id+"}"+tg.Dial("park")+
		" '&socket("+closed+"|"+l.Addr()+" async full)'"))
	s := l.Accept(t)
	tr.Add("connect: %s", s.Connect())
	tr.Add("channel: uuid=%v app=%s data=%s socket_host=%s", s.uuid == id, s.data.Get("variable_current_application"),
		s.data.Get("variable_current_application_data"), s.data.Get("variable_socket_host"))
	tr.Add("myevents: %s", s.Send(esl.MyEvents{}))
	// an application that completes proves the park began: an exit before
	// it would leave the call in the socket app (see esltest's documentation)
	tr.Add("sleep: %s", s.Send(esl.Execute{App: "sleep", Arg: "10"}))
	s.Until(completes("sleep"))
	tr.Add("exit: %s", s.Send(esl.Exit{}))
	tr.Add("notice: %s", s.Notice())
	hc := tg.Watch().WaitLeg(t, id, "CHANNEL_HANGUP_COMPLETE")
	tr.Add("cause=%s", hc.Get("Hangup-Cause"))
}
