package bindings

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/esl/esltest"
)

// fakeCommander records commands and answers api calls from a table.
type fakeCommander struct {
	mu    sync.Mutex
	wire  []string
	apis  []string
	reply map[string]func() (string, error)
}

func (f *fakeCommander) Send(_ context.Context, cmd esl.Command) (*esl.Reply, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wire = append(f.wire, string(cmd.AppendWire(nil)))
	if _, ok := cmd.(esl.SendEvent); ok {
		return &esl.Reply{Text: "+OK 11111111-2222-4333-8444-555555555555"}, nil
	}
	return &esl.Reply{Text: "+OK"}, nil
}

func (f *fakeCommander) API(_ context.Context, cmd string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.apis = append(f.apis, cmd)
	if fn, ok := f.reply[cmd]; ok {
		return fn()
	}
	return "+OK\n", nil
}

func (f *fakeCommander) BgAPI(context.Context, string) (*esl.Job, error) {
	return nil, errors.New("fake: no bgapi")
}

func TestESLAPI(t *testing.T) {
	fc := &fakeCommander{reply: map[string]func() (string, error){
		"status":              func() (string, error) { return "UP 0 years\n", nil },
		"originate bad &park": func() (string, error) { return "", &esl.CommandError{Text: "NO_ROUTE_DESTINATION"} },
		"broken":              func() (string, error) { return "", esl.ErrConnLost },
	}}
	L := newTestState(t, &testEnv{ESL: fc})
	run(t, L, `
		local esl = require("esl")
		ok = esl.api("status")
		v1, e1 = esl.api("originate bad &park")
		v2, e2 = esl.api("broken")
		h = esl.hangup("u-1", "USER_BUSY")
		h2 = esl.hangup("u-2")
	`)
	want := map[string]string{"ok": "UP 0 years\n", "v1": "nil", "e1": "NO_ROUTE_DESTINATION",
		"v2": "nil", "e2": esl.ErrConnLost.Error(), "h": "true", "h2": "true"}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
	assertList(t, "apis", fc.apis[3:], []string{"uuid_kill u-1 USER_BUSY", "uuid_kill u-2"})
}

func TestESLNoConnection(t *testing.T) {
	L := newTestState(t, &testEnv{})
	run(t, L, `v, err = require("esl").api("status")`)
	if global(L, "v") != "nil" || global(L, "err") != ErrNoESL.Error() {
		t.Fatalf("got %s, %s", global(L, "v"), global(L, "err"))
	}
}

func TestESLSendWire(t *testing.T) {
	fc := &fakeCommander{}
	L := newTestState(t, &testEnv{ESL: fc})
	run(t, L, `
		local esl = require("esl")
		id = esl.sendevent("NOTIFY", {profile = "internal", ["content-type"] = "application/simple-message-summary"}, "Messages-Waiting: yes")
		esl.fire("myapp::ping", {n = 1, tag = {"a", "b"}})
		esl.sendmsg("u-9", {["call-command"] = "hangup", ["hangup-cause"] = "USER_BUSY"})
		app_id = esl.execute("u-9", "playback", "ivr/hello.wav")
	`)
	if got := global(L, "id"); got != "11111111-2222-4333-8444-555555555555" {
		t.Errorf("sendevent id = %q", got)
	}
	if len(fc.wire) != 4 {
		t.Fatalf("wire = %q", fc.wire)
	}
	want := []string{
		"sendevent NOTIFY\ncontent-type: application/simple-message-summary\nprofile: internal\nContent-Length: 21\n\nMessages-Waiting: yes",
		"sendevent CUSTOM\nEvent-Subclass: myapp::ping\nn: 1\ntag: a\ntag: b\n\n",
		"sendmsg u-9\ncall-command: hangup\nhangup-cause: USER_BUSY\n\n",
	}
	assertList(t, "wire", fc.wire[:3], want)
	exec := fc.wire[3]
	wantPrefix := "sendmsg u-9\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: ivr/hello.wav\nevent-lock: true\nEvent-UUID: "
	if !strings.HasPrefix(exec, wantPrefix) || !strings.Contains(exec, global(L, "app_id")) {
		t.Errorf("execute wire = %q (app id %s)", exec, global(L, "app_id"))
	}
}

func TestESLNode(t *testing.T) {
	a, b := &fakeCommander{}, &fakeCommander{}
	env := &testEnv{ESL: a, Nodes: func(name string) Commander {
		if name == "fs2" {
			return b
		}
		return nil
	}}
	L := newTestState(t, env)
	run(t, L, `
		local esl = require("esl")
		esl.node("fs2").api("status")
		n, err = esl.node("nope")
	`)
	if len(a.apis) != 0 || len(b.apis) != 1 || global(L, "err") != "bindings: esl: unknown node nope" {
		t.Fatalf("a=%q b=%q err=%s", a.apis, b.apis, global(L, "err"))
	}
}

// dialSim connects an inbound client to a FreeSWITCH simulator.
func dialSim(t *testing.T) (*esltest.Server, *esl.Client) {
	t.Helper()
	sim := esltest.New(t, esltest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := esl.Dial(ctx, sim.Addr(), esl.Options{Password: sim.Password()})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return sim, c
}

func TestESLOriginateAndBgAPI(t *testing.T) {
	sim, c := dialSim(t)
	sim.FailDial("user/busy", "USER_BUSY")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	env := &testEnv{ESL: c, Context: func() context.Context { return ctx }}
	L := newTestState(t, env)
	run(t, L, `
		local esl = require("esl")
		uuid = esl.originate("loopback/9200/default", "&park()", {uuid = "aaaaaaaa-0000-4000-8000-000000000001", vars = {x = "a b"}})
		nothing, cause = esl.originate("user/busy", "&park()")
		local job = esl.bgapi("status")
		job_uuid = job.uuid
		out = job:wait(5000)
	`)
	if got := global(L, "uuid"); got != "aaaaaaaa-0000-4000-8000-000000000001" {
		t.Errorf("originate uuid = %q", got)
	}
	if global(L, "nothing") != "nil" || global(L, "cause") != "USER_BUSY" {
		t.Errorf("failed originate = %s, %s", global(L, "nothing"), global(L, "cause"))
	}
	if !strings.Contains(global(L, "out"), "UP") || len(global(L, "job_uuid")) != 36 {
		t.Errorf("bgapi = %q (job %s)", global(L, "out"), global(L, "job_uuid"))
	}
	cmd, err := sim.WaitCommand(ctx, "bgapi originate")
	if err != nil {
		t.Fatal(err)
	}
	want := "bgapi originate {origination_uuid=aaaaaaaa-0000-4000-8000-000000000001,x='a b'}loopback/9200/default &park()"
	if cmd.Line != want {
		t.Errorf("originate line:\n got %q\nwant %q", cmd.Line, want)
	}
}
