package test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

// consumerEvents are the channel events the consumer scripts handle (all
// of them recorded by realfs.Record too).
var consumerEvents = []string{"CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE",
	"CHANNEL_PARK", "CHANNEL_UNPARK", "PLAYBACK_START", "PLAYBACK_STOP", "DTMF", "CHANNEL_HANGUP",
	"CHANNEL_HANGUP_COMPLETE", "CHANNEL_DESTROY"}

// consumerFields are the headers the consumer scripts log per event, by
// log field.
var consumerFields = map[string]string{
	"name": "Event-Name", "seq": "Event-Sequence", "leg": "Channel-Name", "app": "Application",
	"data": "Application-Data", "cause": "Hangup-Cause", "state": "Channel-Call-State",
	"cid": "Caller-Caller-ID-Number", "ts": "Event-Date-Timestamp", "note": "variable_e2e_note",
	"digit": "DTMF-Digit",
}

// luaEventStep returns Lua code that defines step(ev): for an event of a
// call tagged with the channel variable e2e_token = TOKEN (a Lua local the
// script defines), it logs an "event" line with the uuid, the headers of
// consumerFields and the extra fields (Lua table entries); and the lines
// "NAME = step," for every consumerEvents name. FreeSWITCH puts no
// channel variables in some events (DTMF), so a leg is remembered in kv
// (shared by every state and generation) from its first tagged event.
func luaEventStep(extra string) (def, handlers string) {
	var b strings.Builder
	for field, header := range consumerFields {
		fmt.Fprintf(&b, "    %s = ev:get(%q),\n", field, header)
	}
	def = fmt.Sprintf(`local function step(ev)
  local kv, leg = require("kv"), "e2e_leg:" .. tostring(ev:uuid())
  if ev:var("e2e_token") == TOKEN then kv.set(leg, 1) end
  if not kv.get(leg) then return end
  require("log").info("event", {
    uuid = ev:uuid(), %s
%s  })
end
`, extra, b.String())
	for _, name := range consumerEvents {
		handlers += fmt.Sprintf("    %s = step,\n", name)
	}
	return def, handlers
}

// realConsumerScript logs every handled event of the calls tagged tok, the
// CUSTOM e2e::arr events tagged tok (repeated header, ARRAY value, body)
// and the node_up local event.
func realConsumerScript(tok string) string {
	step, handlers := luaEventStep(`pct = ev:var("e2e_pct"),`)
	return fmt.Sprintf(`local log = require("log")
local json = require("json")
local TOKEN = %q
%slocal function names(ev)
  local out = {}
  for _, h in ipairs(ev:headers()) do table.insert(out, h[1]) end
  table.sort(out)
  return json.encode(out)
end
return {
  events = {
%s    ["e2e::arr"] = function(ev)
      if ev:get("Token") ~= TOKEN then return end
      log.info("custom", { name = ev:name(), sub = ev:subclass(), first = ev:get("Multi"),
        values = json.encode(ev:values("Multi")), array = json.encode(ev:array("Arr")), raw = ev:get("Arr"),
        body = ev:body(), get_body = ev:getBody(), headers = names(ev) })
    end,
    ["eslscript::node_up"] = function(ev)
      log.info("node up", { which = ev:get("Node"), state = ev:get("Node-State"), attempt = ev:get("Attempt") })
    end,
  },
}
`, tok, step, handlers)
}

// The events of a real call reach a consumer script as FreeSWITCH sent
// them: both legs, every handled event once, each leg's in FreeSWITCH's
// order, with the same values an independent client decoded; a CUSTOM
// subclass handler reads a repeated header (ev:values), an ARRAY value
// (ev:array) and the body; node_up is raised at the first connection.
// The same holds whether the node receives its events as plain text or
// as JSON (nodes[].event_format), which a relay between the daemon and
// FreeSWITCH confirms on the wire, except for a value holding a valid
// %XX sequence: FreeSWITCH does not escape it in plain text.
func TestRealConsumerCallEvents(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"plain", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			fs := realfs.Start(t)
			rec := fs.Record(t)
			tap := newESLTap(t, fs.Addr)
			tok := realToken(t)
			dir := writeScripts(t, withIdle(map[string]string{"consumer.lua": realConsumerScript(tok)}))
			cfg := writeConfigFile(t, "nodes:\n  - name: default\n    event_format: "+format+"\n")
			d := startRealDaemon(t, fs, dir, idleScript, "--config", cfg, "--fs-address", tap.Addr)
			if l := d.waitLog("node up", msg("node up")); l.str("which") != "default" || l.str("state") != "connected" || l.str("attempt") != "0" {
				t.Errorf("node_up line %v", l)
			}

			var calls []string // in parallel: each call's events in its own order
			for i := range 3 {
				calls = append(calls, fs.Originate(t, "tone", map[string]string{"e2e_token": tok,
					"e2e_note": "50%:q;r&s%zz", "e2e_pct": "p%41", "origination_caller_id_number": fmt.Sprint(5550 + i)}))
			}
			for _, a := range calls {
				checkCallEvents(t, d, rec, a)
			}
			// FreeSWITCH's plain format leaves a valid %XX of a value
			// unescaped, so plain reads it decoded; JSON carries it as is.
			pct := map[string]string{"plain": "pA", "json": "p%41"}[format]
			for _, l := range d.logs(msg("event")) {
				if l.str("pct") != pct {
					t.Errorf("%s event: e2e_pct = %q, want %q", l.str("name"), l.str("pct"), pct)
				}
			}
			checkCustomEvent(t, d, fs, tok)
			if n := tap.contentTypes()["text/event-"+format]; n == 0 {
				t.Errorf("FreeSWITCH sent no text/event-%s frame to the daemon (%v)", format, tap.contentTypes())
			}
			if format == "json" && tap.contentTypes()["text/event-plain"] > 0 {
				t.Errorf("FreeSWITCH sent plain events to a json node (%v)", tap.contentTypes())
			}
			d.stop()
			checkLogKeys(t, d.proc)
		})
	}
}

// checkCallEvents waits until FreeSWITCH destroyed both legs of the call
// whose a-leg is a and the script logged as many events, then compares
// each leg's logged events with the recorded ones, in order.
func checkCallEvents(t *testing.T, d *realDaemon, rec *realfs.Recorder, a string) {
	t.Helper()
	rec.Wait(t, waitReal, "a-leg destroyed", realfs.Named("CHANNEL_DESTROY", func(ev realfs.Event) bool { return ev.Get("Unique-ID") == a }))
	rec.Wait(t, waitReal, "b-leg destroyed", realfs.Named("CHANNEL_DESTROY", rec.BLeg(a)))
	legs := []string{a, rec.BLegUUID(a)}
	var want int
	for _, u := range legs {
		want += len(channelEvents(rec, u, consumerEvents...))
	}
	ofCall := func(l logLine) bool { return l.str("msg") == "event" && slices.Contains(legs, l.str("uuid")) }
	waitLogCount(d.proc, ofCall, want, waitReal) // a shortfall shows below, per leg
	for _, u := range legs {
		recorded := channelEvents(rec, u, consumerEvents...)
		var logged []logLine
		for _, l := range d.logs(ofCall) {
			if l.str("uuid") == u {
				logged = append(logged, l)
			}
		}
		if len(logged) != len(recorded) {
			var got, sent []string
			for _, l := range logged {
				got = append(got, l.str("name")+"#"+l.str("seq"))
			}
			for _, ev := range recorded {
				sent = append(sent, ev.Get("Event-Name")+"#"+ev.Get("Event-Sequence"))
			}
			t.Errorf("leg %s: the script handled %d events, FreeSWITCH sent %d:\n handled %v\n sent    %v",
				u, len(logged), len(recorded), got, sent)
			continue
		}
		for i, ev := range recorded {
			for field, header := range consumerFields {
				if got := logged[i].str(field); got != ev.Get(header) {
					t.Errorf("leg %s event %d (%s): %s = %q, FreeSWITCH sent %q", u, i, ev.Get("Event-Name"), header, got, ev.Get(header))
				}
			}
			if logged[i].str("call") != u {
				t.Errorf("leg %s event %d: logged with call %q", u, i, logged[i].str("call"))
			}
		}
	}
}

// checkCustomEvent fires a CUSTOM e2e::arr event with a repeated header,
// an ARRAY value and a body, and checks what the subclass handler read.
func checkCustomEvent(t *testing.T, d *realDaemon, fs *realfs.FreeSWITCH, tok string) {
	t.Helper()
	body := "line one\nline two " + tok
	fs.SendEvent(t, "CUSTOM", []realfs.Header{{Name: "Event-Subclass", Value: "e2e::arr"}, {Name: "Token", Value: tok},
		{Name: "Multi", Value: "one"}, {Name: "Multi", Value: "two words"}, {Name: "Multi", Value: "3%"},
		{Name: "Arr", Value: "ARRAY::x|:y z"}}, body)
	l := d.waitLog("custom event", msg("custom"))
	for field, want := range map[string]string{"name": "CUSTOM", "sub": "e2e::arr", "first": "one",
		"values": `["one","two words","3%"]`, "array": `["x","y z"]`, "raw": "ARRAY::x|:y z", "body": body, "get_body": body} {
		if got := l.str(field); got != want {
			t.Errorf("custom event: %s = %q, want %q", field, got, want)
		}
	}
	var names []string
	if err := json.Unmarshal([]byte(l.str("headers")), &names); err != nil {
		t.Fatalf("headers field %q: %v", l.str("headers"), err)
	}
	for _, n := range []string{"Event-Name", "Event-Subclass", "Token", "Arr", "Multi"} {
		if !slices.Contains(names, n) {
			t.Errorf("ev:headers() lacks %s: %v", n, names)
		}
	}
}
