package bindings

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

func TestFreeswitchAPI(t *testing.T) {
	fc := &fakeCommander{reply: map[string]func() (string, error){
		"status":       func() (string, error) { return "UP 0 years\n", nil },
		"sofia status": func() (string, error) { return "profile internal\n", nil },
		"nosuch x": func() (string, error) {
			return "-ERR nosuch Command not found!\n", &esl.CommandError{Text: "nosuch Command not found!"}
		},
		"denied":               func() (string, error) { return "", &esl.CommandError{Text: "permission denied"} },
		"broken":               func() (string, error) { return "", esl.ErrConnLost },
		"global_getvar domain": func() (string, error) { return "example.com", nil },
		"global_getvar unset":  func() (string, error) { return "", nil },
	}}
	L := newTestState(t, &testEnv{ESL: fc})
	run(t, L, `
		local freeswitch = require("freeswitch")
		local api = freeswitch.API()
		a = api:execute("status")
		b = api:executeString("sofia status")
		c = api:execute("nosuch", "x")
		d = api:execute("denied")
		e = api:executeString("broken")
		f = api:execute("")
		g = freeswitch.getGlobalVariable("domain")
		h = freeswitch.getGlobalVariable("unset")
		freeswitch.setGlobalVariable("x", "1")
	`)
	want := map[string]string{"a": "UP 0 years\n", "b": "profile internal\n",
		"c": "INVALID COMMAND!\n", "d": "-ERR permission denied", // c: mod_lua's text for an unknown command
		"e": "-ERR " + esl.ErrConnLost.Error(), "f": "-ERR No application specified",
		"g": "example.com", "h": "nil"}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
	assertList(t, "apis", fc.apis, []string{"status", "sofia status", "nosuch x", "denied", "broken",
		"global_getvar domain", "global_getvar unset", "global_setvar x=1"})
}

func TestFreeswitchAPINoConnection(t *testing.T) {
	L := newTestState(t, &testEnv{})
	run(t, L, `out = require("freeswitch").API():execute("status"); up = require("freeswitch").running()`)
	if got := global(L, "out"); got != "-ERR "+ErrNoESL.Error() || global(L, "up") != "false" {
		t.Fatalf("out = %q, running = %s", got, global(L, "up"))
	}
}

func TestFreeswitchConsoleLog(t *testing.T) {
	lg, buf := capture()
	L := newTestState(t, &testEnv{Script: "mod_lua/ivr", CallUUID: "u-1", Logger: lg})
	run(t, L, `
		freeswitch = require("freeswitch")
		freeswitch.consoleLog("NOTICE", "caller entered\n")
		freeswitch.consoleLog("err", "it broke")
		freeswitch.consoleLog("bogus", "unknown level")
		freeswitch.console_log("warning", "alias")
		freeswitch.consoleCleanLog("clean line")
	`)
	out := buf.String()
	for _, w := range []string{
		`"level":"INFO","msg":"caller entered","script":"mod_lua/ivr","call":"u-1","fs_level":"notice"`,
		`"level":"ERROR","msg":"it broke"`,
		`"level":"DEBUG","msg":"unknown level"`,
		`"level":"WARN","msg":"alias"`,
		`"level":"DEBUG","msg":"clean line","script":"mod_lua/ivr","call":"u-1","fs_level":"clean"`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("log lacks %s:\n%s", w, out)
		}
	}
}

func TestFreeswitchMsleep(t *testing.T) {
	clk := newFakeClock()
	L := newTestState(t, &testEnv{Clock: clk})
	done := make(chan error, 1)
	go func() { done <- L.DoString(`require("freeswitch").msleep(1500); slept = true`) }()
	clk.awaitAfter(t, 1)
	clk.Advance(1499 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("msleep returned before its time: %v", err)
	default:
	}
	clk.Advance(time.Millisecond)
	select {
	case err := <-done:
		if err != nil || global(L, "slept") != "true" {
			t.Fatalf("err = %v, slept = %s", err, global(L, "slept"))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("msleep did not return")
	}
}

func TestFreeswitchMsleepEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	L := newTestState(t, &testEnv{Clock: newFakeClock(), Context: func() context.Context { return ctx }})
	done := make(chan error, 1)
	go func() { done <- L.DoString(`require("freeswitch").msleep(60000)`) }()
	cancel() // the call hung up: msleep returns early, without an error
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("msleep after hangup: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("msleep ignored the handler's context")
	}
}

func TestFreeswitchUnsupported(t *testing.T) {
	L := newTestState(t, &testEnv{})
	for _, name := range []string{"Session", "Dbh", "EventConsumer", "email"} {
		err := L.DoString(`require("freeswitch").` + name + `("x")`)
		if err == nil || !strings.Contains(err.Error(), "freeswitch."+name+" is not supported by eslscript") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestFreeswitchEvent(t *testing.T) {
	fc := &fakeCommander{}
	L := newTestState(t, &testEnv{ESL: fc})
	run(t, L, `
		local freeswitch = require("freeswitch")
		local e = freeswitch.Event("message_waiting")
		e:addHeader("MWI-Messages-Waiting", "yes")
		e:addHeader("MWI-Message-Account", "sip:1000@example.com")
		e:addHeader("Gone", "x")
		del = e:delHeader("gone")
		del2 = e:delHeader("gone")
		typ = e:getType()
		acct = e:getHeader("mwi-message-account")
		missing = e:getHeader("nope")
		nobody = e:getBody()
		plain = e:serialize()
		fired = e:fire()
		local c = freeswitch.Event("SWITCH_EVENT_CUSTOM", "myapp::ping")
		c:addBody("hello")
		ctype = c:getType()
		body = c:getBody()
		bodyhdr = c:getHeader("_body")
		json = c:serialize("json")
		xml = c:serialize("xml")
		c:fire()
		unknown = freeswitch.Event("no_such_event"):getType()
		forced = freeswitch.Event("CHANNEL_ANSWER", "x::y"):getType()
	`)
	want := map[string]string{"del": "true", "del2": "false", "typ": "MESSAGE_WAITING",
		"acct": "sip:1000@example.com", "missing": "nil", "nobody": "nil", "fired": "true",
		"ctype": "CUSTOM", "body": "hello", "bodyhdr": "hello", "unknown": "MESSAGE", "forced": "CUSTOM",
		"plain": "Event-Name: MESSAGE_WAITING\nMWI-Messages-Waiting: yes\nMWI-Message-Account: sip%3A1000%40example.com\n\n",
		"json":  `{"Event-Name":"CUSTOM","Event-Subclass":"myapp::ping","Content-Length":"5","_body":"hello"}`,
	}
	for name, w := range want {
		if got := global(L, name); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
	if x := global(L, "xml"); !strings.Contains(x, "<Event-Subclass>myapp%3A%3Aping</Event-Subclass>") || !strings.Contains(x, "<body>hello</body>") {
		t.Errorf("xml = %q", x)
	}
	assertList(t, "wire", fc.wire, []string{
		"sendevent MESSAGE_WAITING\nMWI-Messages-Waiting: yes\nMWI-Message-Account: sip:1000@example.com\n\n",
		"sendevent CUSTOM\nEvent-Subclass: myapp::ping\nContent-Length: 5\n\nhello",
	})
}

func TestFSURLEncode(t *testing.T) {
	for in, want := range map[string]string{
		"a b&c":   "a%20b%26c",
		"100%41":  "100%41", // already encoded: kept
		"50%":     "50%25",
		"é\n":     "%C3%A9%0A",
		"plain-1": "plain-1",
	} {
		if got := fsURLEncode(in); got != want {
			t.Errorf("fsURLEncode(%q) = %q, want %q", in, got, want)
		}
	}
}
