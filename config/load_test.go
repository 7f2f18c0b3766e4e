package config

import (
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

func TestDefaults(t *testing.T) {
	c := mustLoad(t, "", nil, nil)
	if len(c.Nodes) != 0 || len(c.Listeners) != 0 {
		t.Errorf("nodes/listeners = %v/%v, want none", c.Nodes, c.Listeners)
	}
	if c.Scripts.Dir != "./scripts" || c.Scripts.HandlerBudget != 5*time.Second || c.Scripts.SessionBudget != 4*time.Hour {
		t.Errorf("scripts = %+v", c.Scripts)
	}
	if c.Log != (Log{Level: "info", Format: "text"}) {
		t.Errorf("log = %+v", c.Log)
	}
	if c.Drain != (Drain{Timeout: 30 * time.Second, Cause: "SYSTEM_SHUTDOWN"}) {
		t.Errorf("drain = %+v", c.Drain)
	}
	if c.Admin.Address != "127.0.0.1:9180" || len(c.Admin.Prefixes) != 2 {
		t.Errorf("admin = %+v", c.Admin)
	}
}

func TestAdminOff(t *testing.T) {
	c := mustLoad(t, "admin: {address: off}\n", nil, nil)
	if c.Admin.Address != "" {
		t.Errorf("admin.address off gave %q, want disabled", c.Admin.Address)
	}
}

func TestParseFull(t *testing.T) {
	c := mustLoad(t, `
nodes:
  - {name: fs1, address: "10.0.0.5:8021", password_file: /etc/pw, user: admin, reconnect: false}
  - {name: fs2, address: "fs2.example:8021"}
listeners:
  - {name: ivr, address: ":9000", script: ivr, max_calls: 5, allow: [10.0.0.0/8, 192.168.1.7]}
  - {name: q, script: queue}
scripts: {dir: /srv/scripts, watch: true, handler_budget: 250ms, session_budget: 1h, sandbox: {allow_io: true, read_paths: [/tmp]}}
log: {level: DEBUG, format: json}
admin: {address: "127.0.0.1:9180"}
drain: {timeout: 1m, cause: MANAGER_REQUEST}
`, nil, nil)
	n0, n1 := c.Nodes[0], c.Nodes[1]
	if n0.PasswordFile != "/etc/pw" || n0.User != "admin" || n0.Reconnects() || n0.PasswordEnv != "" {
		t.Errorf("nodes[0] = %+v", n0)
	}
	if n1.PasswordEnv != "ESL_PASSWORD" || !n1.Reconnects() {
		t.Errorf("nodes[1] defaults = %+v", n1)
	}
	l0, l1 := c.Listeners[0], c.Listeners[1]
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32")}
	if l0.Address != "127.0.0.1:9000" || l0.MaxCalls != 5 || len(l0.Prefixes) != 2 || l0.Prefixes[0] != want[0] || l0.Prefixes[1] != want[1] {
		t.Errorf("listeners[0] = %+v", l0)
	}
	if l1.Address != "127.0.0.1:8084" || l1.MaxCalls != 1000 || len(l1.Prefixes) != 2 {
		t.Errorf("listeners[1] defaults = %+v", l1)
	}
	s := c.Scripts
	if s.Dir != "/srv/scripts" || !s.Watch || s.HandlerBudget != 250*time.Millisecond || s.SessionBudget != time.Hour || !s.Sandbox.AllowIO || s.Sandbox.ReadPaths[0] != "/tmp" {
		t.Errorf("scripts = %+v", s)
	}
	if c.Log.Level != "debug" || c.Log.Format != "json" || c.Drain.Timeout != time.Minute || c.Drain.Cause != "MANAGER_REQUEST" {
		t.Errorf("log/drain = %+v %+v", c.Log, c.Drain)
	}
}

func TestPrecedence(t *testing.T) {
	file := "scripts: {dir: from-file, handler_budget: 1s}\nlog: {level: warn}\n"
	env := envMap{"ESLSCRIPT_SCRIPTS": "from-env", "ESLSCRIPT_HANDLER_BUDGET": "2s", "ESLSCRIPT_LOG_FORMAT": "json"}
	flags := map[string]string{"scripts": "from-flag"}
	c := mustLoad(t, file, env, flags)
	if c.Scripts.Dir != "from-flag" {
		t.Errorf("dir = %q, want the flag's", c.Scripts.Dir)
	}
	if c.Scripts.HandlerBudget != 2*time.Second {
		t.Errorf("handler budget = %v, want the env's 2s", c.Scripts.HandlerBudget)
	}
	if c.Log.Level != "warn" || c.Log.Format != "json" {
		t.Errorf("log = %+v, want level from file, format from env", c.Log)
	}
	if c.Scripts.SessionBudget != DefaultSessionBudget {
		t.Errorf("session budget = %v, want the default", c.Scripts.SessionBudget)
	}
}

func TestConfigPathFromEnv(t *testing.T) {
	c, err := Load(Options{
		Lookup:   envMap{"ESLSCRIPT_CONFIG": "x.yaml"}.lookup,
		ReadFile: files{"x.yaml": "log: {level: error}"}.read,
	})
	if err != nil || c.Log.Level != "error" {
		t.Fatalf("Load = %+v, %v", c, err)
	}
}

func TestDefaultNodeOverride(t *testing.T) {
	file := "nodes: [{name: default, address: '10.1.1.1:8021', password_file: /pw}, {name: other, address: '10.1.1.2:8021'}]\n"
	c := mustLoad(t, file, envMap{"ESLSCRIPT_FS_ADDRESS": "10.9.9.9:8021", "ESLSCRIPT_FS_PASSWORD": "s3"},
		map[string]string{"fs-address": "10.8.8.8:8021"})
	if len(c.Nodes) != 2 {
		t.Fatalf("nodes = %+v", c.Nodes)
	}
	d := c.Nodes[0]
	if d.Address != "10.8.8.8:8021" || d.Password.Reveal() != "s3" || d.PasswordFile != "" {
		t.Errorf("default node = %+v", d)
	}
}

func TestFlagsCreateNodeAndListener(t *testing.T) {
	c := mustLoad(t, "", envMap{"ESL_PASSWORD": "x"},
		map[string]string{"fs-address": "127.0.0.1:8021", "listen": "0", "script": "ivr"})
	if len(c.Nodes) != 1 || c.Nodes[0].Name != "default" || c.Nodes[0].PasswordEnv != "ESL_PASSWORD" {
		t.Errorf("nodes = %+v", c.Nodes)
	}
	if len(c.Listeners) != 1 || c.Listeners[0].Address != "127.0.0.1:0" || c.Listeners[0].Script != "ivr" {
		t.Errorf("listeners = %+v", c.Listeners)
	}
}

func TestPasswordAloneCreatesNoNode(t *testing.T) {
	c := mustLoad(t, "", envMap{"ESLSCRIPT_FS_PASSWORD": "x", "ESL_PASSWORD": "y"}, nil)
	if len(c.Nodes) != 0 {
		t.Errorf("nodes = %+v, want none", c.Nodes)
	}
}

func TestErrorsNameTheKey(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown top key", "log: {level: info}\nlisten: 1\n", "config: c.yaml:2: listen: unknown key"},
		{"unknown nested key", "listeners:\n  - name: a\n    script: s\n    adress: 1.2.3.4:5\n", "config: c.yaml:4: listeners[0].adress: unknown key"},
		{"bad type", "listeners:\n  - name: a\n    max_calls: lots\n", "config: c.yaml:3: listeners[0].max_calls: \"lots\" is not an integer"},
		{"bad duration", "scripts:\n  handler_budget: 5 seconds\n", "config: c.yaml:2: scripts.handler_budget:"},
		{"syntax", "nodes: [\n", "config: c.yaml:"},
		{"bad listener address", "listeners: [{name: a, script: s, address: '1.2.3.4:99999'}]", "config: c.yaml:1: listeners[0].address: \"1.2.3.4:99999\": invalid port"},
		{"bad node address", "nodes: [{name: a, address: fs1}]", "config: c.yaml:1: nodes[0].address: \"fs1\" is not host:port"},
		{"missing node address", "nodes: [{name: a}]", "config: c.yaml:1: nodes[0].address: required"},
		{"missing script", "listeners: [{name: a}]", "config: c.yaml:1: listeners[0].script: required"},
		{"duplicate", "listeners: [{name: a, script: s}, {name: a, script: t, address: '9'}]", "config: c.yaml:1: listeners[1].name: duplicate name \"a\""},
		{"bad allow", "admin: {allow: [10.0.0.0/33]}", "config: c.yaml:1: admin.allow[0]: \"10.0.0.0/33\" is not a CIDR"},
		{"bad level", "log: {level: loud}", "config: c.yaml:1: log.level: \"loud\" is not one of debug, info, warn, error"},
		{"negative budget", "scripts: {session_budget: -1s}", "config: c.yaml:1: scripts.session_budget: must be a positive duration"},
		{"bad cause", "drain: {cause: bye}", "config: c.yaml:1: drain.cause:"},
		{"two passwords", "nodes: [{name: a, address: 'h:1', password_env: X, password_file: /y}]", "config: c.yaml:1: nodes[0]: set only one of"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := loadErr(t, tc.yaml, nil, nil); !strings.Contains(got, tc.want) {
				t.Errorf("error = %q\nwant it to contain %q", got, tc.want)
			}
		})
	}
}

func TestEnvAndFlagErrorsNameTheSource(t *testing.T) {
	got := loadErr(t, "", envMap{"ESLSCRIPT_SESSION_BUDGET": "forever"}, nil)
	if !strings.Contains(got, "config: ESLSCRIPT_SESSION_BUDGET: invalid duration \"forever\"") {
		t.Errorf("env error = %q", got)
	}
	got = loadErr(t, "", nil, map[string]string{"watch": "maybe"})
	if !strings.Contains(got, "config: --watch: invalid boolean") {
		t.Errorf("flag error = %q", got)
	}
}

func TestMissingFile(t *testing.T) {
	_, err := Load(Options{Path: "/nonexistent/eslscript.yaml"})
	if err == nil || !strings.Contains(err.Error(), "config: /nonexistent/eslscript.yaml: open") {
		t.Fatalf("err = %v", err)
	}
}

func TestExampleConfigLoads(t *testing.T) {
	c, err := Load(Options{Path: "../eslscript.example.yaml"})
	if err != nil {
		t.Fatalf("example config: %v", err)
	}
	if len(c.Nodes) != 1 || len(c.Listeners) != 1 || c.Listeners[0].Script != "ivr" {
		t.Errorf("example config = %s", c)
	}
	if _, err := os.Stat("../eslscript.example.yaml"); err != nil {
		t.Fatal(err)
	}
}
