package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const pw = "Sup3rS3cretPw"

func TestSecretNeverPrinted(t *testing.T) {
	c := mustLoad(t, "nodes: [{name: a, address: 'h:8021', password: "+pw+"}]", nil, nil)
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "node", c.Nodes[0].Password, "cfg", c)
	outputs := []string{
		c.String(),
		fmt.Sprint(c), fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", c.Nodes), fmt.Sprintf("%v", c.Nodes[0]),
		fmt.Sprintf("%s %q %x", c.Nodes[0].Password, c.Nodes[0].Password, c.Nodes[0].Password),
		logged.String(),
	}
	for i, out := range outputs {
		if strings.Contains(out, pw) || strings.Contains(out, fmt.Sprintf("%x", pw)) {
			t.Errorf("output %d reveals the password: %s", i, out)
		}
	}
	if !strings.Contains(c.String(), "[redacted]") {
		t.Errorf("String() = %s, want [redacted]", c.String())
	}
	if c.Nodes[0].Password.Reveal() != pw {
		t.Errorf("Reveal() = %q", c.Nodes[0].Password.Reveal())
	}
}

func TestPasswordNotInErrors(t *testing.T) {
	bad := []string{
		"nodes: [{name: a, address: bad, password: " + pw + "}]",
		"nodes: [{name: a, address: 'h:1', password: " + pw + ", password_env: X}]",
		"nodes: [{name: a, address: 'h:1', password: " + pw + ", bogus: 1}]",
		"nodes: [{name: a, address: 'h:1', password: [" + pw + "]}]",
		"nodes: [{name: a, address: 'h:1', password: {" + pw + ": 1}}]",
		"nodes:\n  - name: a\n    password: " + pw + "\n   bad indent: x\n",
	}
	for _, y := range bad {
		if got := loadErr(t, y, nil, nil); strings.Contains(got, pw) {
			t.Errorf("error reveals the password: %s", got)
		}
	}
	got := loadErr(t, "", envMap{"ESLSCRIPT_FS_PASSWORD": pw, "ESLSCRIPT_FS_ADDRESS": "nope"}, nil)
	if strings.Contains(got, pw) {
		t.Errorf("error reveals the password: %s", got)
	}
}

func TestResolve(t *testing.T) {
	c := mustLoad(t, `
nodes:
  - {name: a, address: 'h:1', password_file: /pw}
  - {name: b, address: 'h:2'}
  - {name: c, address: 'h:3', password_env: C_PW}
`, nil, nil)
	err := c.Resolve(envMap{"ESL_PASSWORD": "bpw", "C_PW": "cpw"}.lookup, files{"/pw": pw + "\n"}.read)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{pw, "bpw", "cpw"} {
		if got := c.Nodes[i].Password.Reveal(); got != want {
			t.Errorf("nodes[%d] password = %q, want %q", i, got, want)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	c := mustLoad(t, "nodes: [{name: a, address: 'h:1'}]", nil, nil)
	err := c.Resolve(envMap{}.lookup, nil)
	if err == nil || err.Error() != "config: nodes[0].password_env: environment variable ESL_PASSWORD is not set" {
		t.Errorf("err = %v", err)
	}
	c = mustLoad(t, "nodes: [{name: a, address: 'h:1', password_file: /missing}]", nil, nil)
	err = c.Resolve(nil, files{}.read)
	if err == nil || !strings.HasPrefix(err.Error(), "config: nodes[0].password_file: open /missing") {
		t.Errorf("err = %v", err)
	}
}
