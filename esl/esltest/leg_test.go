package esltest

import (
	"errors"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl"
)

// TestAttachOriginatedLeg drives a leg made by "originate ... &park()"
// from a second inbound connection (esl.Client.Attach): its channel data,
// sendmsg <uuid> executes, bgapi, and the hangup.
func TestAttachOriginatedLeg(t *testing.T) {
	s := fastSim(t, Options{})
	ctx := ctxT(t)
	c, err := esl.Dial(ctx, s.Addr(), esl.Options{Password: s.Password()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const id = "0b0e1a54-5d7c-4b43-9a0e-9c2d3f1e6b01"
	out, err := c.API(ctx, "originate {origination_uuid="+id+"}sofia/gateway/gw/1000 &park()")
	if err != nil || strings.TrimSpace(out) != "+OK "+id {
		t.Fatalf("originate: %q, %v", out, err)
	}
	leg, err := c.Attach(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer leg.Close()
	if leg.Data.Get("Channel-Name") != "sofia/gateway/gw/1000" || leg.Data.Var("origination_uuid") != id {
		t.Fatalf("Data: %v", leg.Data)
	}
	if _, err := leg.Execute(ctx, "playback", "b-leg.wav"); err != nil {
		t.Fatal(err)
	}
	call := s.Call(id)
	// &park() runs the park application (as on FreeSWITCH), the playback
	// runs inside it.
	if x := call.Executed(); len(x) != 2 || x[0].App != "park" || x[0].Done || x[1].App != "playback" ||
		x[1].Args != "b-leg.wav" || !x[1].Done {
		t.Fatalf("executed on the leg: %+v", x)
	}
	job, err := leg.BgAPI(ctx, "uuid_getvar "+id+" origination_uuid")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := job.Wait(ctx); err != nil || v != id {
		t.Fatalf("bgapi on the leg: %q, %v", v, err)
	}
	call.Hangup("USER_BUSY")
	for _, ch := range []<-chan struct{}{leg.HungUp(), leg.Done()} {
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatal("the leg did not see the hangup")
		}
	}
	if _, err := leg.Execute(ctx, "playback", "x.wav"); !errors.Is(err, esl.ErrHangup) || leg.HangupCause() != "USER_BUSY" {
		t.Fatalf("after hangup: %v, cause %q", err, leg.HangupCause())
	}
	if _, err := c.Attach(ctx, id); err == nil {
		t.Fatal("attached to a finished call")
	}
}

func TestUUIDDump(t *testing.T) {
	s := fastSim(t, Options{})
	call := s.NewCall(CallOptions{Variables: map[string]string{"x": "a,b c"}})
	ev, err := esl.ParseEvent(esl.FormatJSON, []byte(s.API("uuid_dump "+call.UUID()+" json")))
	if err != nil || ev.Name() != "CHANNEL_DATA" || ev.UniqueID() != call.UUID() || ev.Var("x") != "a,b c" {
		t.Fatalf("uuid_dump json: %v, %v", ev, err)
	}
	if got := s.API("uuid_dump " + call.UUID()); !strings.Contains(got, "\nvariable_x: a,b c\n") {
		t.Fatalf("uuid_dump plain: %q", got)
	}
	if got := s.API("uuid_dump nope json"); got != "-ERR No such channel!\n" {
		t.Fatalf("unknown uuid: %q", got)
	}
}
