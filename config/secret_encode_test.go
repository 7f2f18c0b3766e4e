package config

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestSecretNeverEncoded checks every encoder a config might go through
// (a debug dump, a support bundle, an error wrapping the node).
func TestSecretNeverEncoded(t *testing.T) {
	c := mustLoad(t, "nodes: [{name: a, address: 'h:8021', password: "+pw+"}]", nil, nil)
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	ym, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	n := c.Nodes[0]
	outputs := map[string]string{
		"json": string(js), "yaml": string(ym),
		"%+v node": fmt.Sprintf("%+v", n), "%#v node": fmt.Sprintf("%#v", n), "%#v config": fmt.Sprintf("%#v", *c),
		"%d": fmt.Sprintf("%d", n.Password), "%10.4s": fmt.Sprintf("%10.4s", n.Password),
		"error":       fmt.Errorf("node %v: %w", n, fmt.Errorf("with %s", n.Password)).Error(),
		"panic value": panicText(func() { panic(fmt.Sprintf("bad node %+v", n)) }),
	}
	for what, out := range outputs {
		if strings.Contains(out, pw) || strings.Contains(out, fmt.Sprintf("%x", pw)) {
			t.Errorf("%s reveals the password: %s", what, out)
		}
	}
	if !strings.Contains(string(js), `"[redacted]"`) || !strings.Contains(string(ym), "password: '[redacted]'") {
		t.Errorf("encoders should show the redaction:\n%s\n%s", js, ym)
	}
}

// panicText runs f and returns what it panicked with, as a recover-and-log
// handler would print it.
func panicText(f func()) (s string) {
	defer func() { s = fmt.Sprint(recover()) }()
	f()
	return ""
}
