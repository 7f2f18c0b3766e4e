package bindings

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLogAttributes(t *testing.T) {
	lg, buf := capture()
	env := &Env{Script: "ivr/main", Node: "fs1", CallUUID: "u-1", Logger: lg}
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
	L := newTestState(t, &Env{Script: "consumer", Logger: lg})
	run(t, L, `require("log").error("boom")`)
	want := `{"level":"ERROR","msg":"boom","script":"consumer"}`
	if got := strings.TrimSpace(buf.String()); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
