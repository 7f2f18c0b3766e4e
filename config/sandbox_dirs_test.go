package config

import (
	"strings"
	"testing"
)

func TestSandboxDirsParse(t *testing.T) {
	c := mustLoad(t, `
scripts:
  sandbox: {allow_io: true, read_paths: [/srv/common]}
  sandbox_dirs:
    billing: {allow_io: true, read_paths: [/var/lib/billing], write_paths: [/var/spool/billing]}
    billing/eu: {}
    ops: {allow_os: true}
`, nil, nil)
	d := c.Scripts.SandboxDirs
	if len(d) != 3 {
		t.Fatalf("sandbox_dirs = %+v", d)
	}
	if b := d["billing"]; !b.AllowIO || b.AllowOS || b.ReadPaths[0] != "/var/lib/billing" || b.WritePaths[0] != "/var/spool/billing" {
		t.Errorf("billing = %+v", b)
	}
	if eu := d["billing/eu"]; eu.AllowIO || eu.AllowOS {
		t.Errorf("billing/eu = %+v, want nothing allowed", eu)
	}
	if !d["ops"].AllowOS || !c.Scripts.Sandbox.AllowIO {
		t.Errorf("ops = %+v, default = %+v", d["ops"], c.Scripts.Sandbox)
	}
	if def := mustLoad(t, "", nil, nil); len(def.Scripts.SandboxDirs) != 0 {
		t.Errorf("default sandbox_dirs = %+v", def.Scripts.SandboxDirs)
	}
}

func TestSandboxDirsErrorsNameTheKey(t *testing.T) {
	cases := map[string]string{
		"../billing": "must stay inside",
		"a/../../b":  "must stay inside",
		"/etc":       "must be relative",
		"./billing":  "must be a clean path",
		"billing/":   "must be a clean path",
		"a//b":       "must be a clean path",
		".":          "must name a subdirectory",
		`billing\eu`: `use "/"`,
	}
	for key, want := range cases {
		got := loadErr(t, "scripts:\n  sandbox_dirs:\n    '"+key+"': {allow_io: true}\n", nil, nil)
		prefix := `config: c.yaml:3: scripts.sandbox_dirs["` + strings.ReplaceAll(key, `\`, `\\`) + `"]: `
		if !strings.HasPrefix(got, prefix) || !strings.Contains(got, want) {
			t.Errorf("key %q: error %q, want %q... %q", key, got, prefix, want)
		}
	}
	got := loadErr(t, "scripts:\n  sandbox_dirs:\n    billing: {allow_io: true, read_path: [/x]}\n", nil, nil)
	if !strings.Contains(got, "c.yaml:3") || !strings.Contains(got, "read_path") {
		t.Errorf("unknown key in an entry: %q", got)
	}
	both := loadErr(t, "scripts:\n  sandbox_dirs: {/a: {}, ../b: {}}\n", nil, nil)
	if !strings.Contains(both, `"/a"`) || !strings.Contains(both, `"../b"`) {
		t.Errorf("every bad key should be reported: %q", both)
	}
}
