package bindings

import (
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
)

func TestLogAttributes(t *testing.T) {
	lg, buf := capture()
	env := &testEnv{Script: "ivr/main", Node: "fs1", CallUUID: "u-1", Logger: lg}
	L := newTestState(t, env)
	run(t, L, `
		local log = require("log")
		log.info("answered", {z = 1, a = "x", f = 1.5, b = true, t = {1, 2}})
		log.warn("failed: ", "busy")
		log.debug("plain")
	`)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines: %s", len(lines), buf.String())
	}
	want := `{"level":"INFO","msg":"answered","script":"ivr/main","call":"u-1","node":"fs1","a":"x","b":true,"f":1.5,"t":"[1,2]","z":1}`
	if lines[0] != want {
		t.Errorf("line 1:\n got %s\nwant %s", lines[0], want)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &m); err != nil {
		t.Fatal(err)
	}
	if m["msg"] != "failed: busy" || m["level"] != "WARN" {
		t.Errorf("line 2 = %s", lines[1])
	}
}

func TestLogWithoutCall(t *testing.T) {
	lg, buf := capture()
	L := newTestState(t, &testEnv{Script: "consumer", Logger: lg})
	run(t, L, `require("log").error("boom")`)
	want := `{"level":"ERROR","msg":"boom","script":"consumer"}`
	if got := strings.TrimSpace(buf.String()); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// A field named like a key the host's logger writes itself (time, level,
// msg, script, call, node) is written as "field.<name>" (prefixed again
// while that name is taken), so no line repeats a key.
func TestLogFieldsNeverRepeatAKey(t *testing.T) {
	var buf syncBuffer
	env := &testEnv{Script: "s", Node: "fs1", CallUUID: "u-1", Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
	L := newTestState(t, env)
	run(t, L, `require("log").info("x", { time = 1, level = "q", msg = "m", script = "s2", call = "c2",
		node = "n2", ["field.time"] = 7, other = 2 })`)
	dec := json.NewDecoder(strings.NewReader(buf.String()))
	var keys []string
	values := map[string]any{}
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		values[k.(string)] = v
	}
	want := []string{"time", "level", "msg", "script", "call", "node", "field.call", "field.field.time",
		"field.level", "field.msg", "field.node", "field.script", "field.time", "other"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %q\nwant %q\nline %s", keys, want, buf.String())
	}
	for k, v := range map[string]any{"msg": "x", "level": "INFO", "script": "s", "call": "u-1", "node": "fs1",
		"field.field.time": 1.0, "field.time": 7.0, "field.level": "q", "field.msg": "m", "field.script": "s2",
		"field.call": "c2", "field.node": "n2", "other": 2.0} {
		if values[k] != v {
			t.Errorf("%s = %v, want %v", k, values[k], v)
		}
	}
}
