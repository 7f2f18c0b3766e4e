package config

import (
	"strings"
	"testing"
)

// nodes[].event_format defaults to plain, accepts json in any case, and
// --fs-event-format / ESLSCRIPT_FS_EVENT_FORMAT set it for node "default"
// (the flag over the environment over the file).
func TestNodeEventFormat(t *testing.T) {
	c := mustLoad(t, "nodes:\n  - {name: a, address: 'h:1'}\n  - {name: b, address: 'h:2', event_format: JSON}\n", nil, nil)
	if c.Nodes[0].EventFormat != EventFormatPlain || c.Nodes[1].EventFormat != EventFormatJSON {
		t.Errorf("event formats %q, %q; want plain (default), json", c.Nodes[0].EventFormat, c.Nodes[1].EventFormat)
	}
	file := "nodes: [{name: default, address: 'h:1', event_format: plain}]\n"
	c = mustLoad(t, file, envMap{"ESLSCRIPT_FS_EVENT_FORMAT": "json"}, nil)
	if c.Nodes[0].EventFormat != EventFormatJSON {
		t.Errorf("env: event format %q, want json", c.Nodes[0].EventFormat)
	}
	c = mustLoad(t, file, envMap{"ESLSCRIPT_FS_EVENT_FORMAT": "json"}, map[string]string{"fs-event-format": "Plain"})
	if c.Nodes[0].EventFormat != EventFormatPlain {
		t.Errorf("flag: event format %q, want plain", c.Nodes[0].EventFormat)
	}
	c = mustLoad(t, "", nil, map[string]string{"fs-address": "h:1", "fs-event-format": "json"})
	if len(c.Nodes) != 1 || c.Nodes[0].EventFormat != EventFormatJSON {
		t.Errorf("flags: nodes %+v, want default with json", c.Nodes)
	}
}

func TestNodeEventFormatErrors(t *testing.T) {
	for _, c := range []struct {
		yaml  string
		flags map[string]string
		want  string
	}{
		{"nodes: [{name: a, address: 'h:1', event_format: xml}]", nil, `config: c.yaml:1: nodes[0].event_format: "xml" is not one of plain, json`},
		{"", map[string]string{"fs-address": "h:1", "fs-event-format": "xml"}, `config: --fs-event-format: invalid event format "xml"`},
	} {
		if got := loadErr(t, c.yaml, nil, c.flags); !strings.Contains(got, c.want) {
			t.Errorf("error = %q\nwant it to contain %q", got, c.want)
		}
	}
}
