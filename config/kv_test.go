package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestKVDefaults(t *testing.T) {
	c := mustLoad(t, "", nil, nil)
	if c.KV.Backend != KVMemory || c.KV.Timeout != DefaultKVTimeout {
		t.Fatalf("kv = %+v, want memory and the default timeout", c.KV)
	}
	if err := c.Resolve(envMap{DefaultKVPasswordEnv: pw}.lookup, nil); err != nil || c.KV.Password != "" {
		t.Fatalf("memory backend read a password: %v", err)
	}
}

func TestKVLayers(t *testing.T) {
	c := mustLoad(t, "kv: {backend: redis, address: 'r1:6379', db: 2, prefix: 'a:', timeout: 2s}",
		envMap{"ESLSCRIPT_KV_ADDRESS": "r2:6379", "ESLSCRIPT_KV_DB": "3"},
		map[string]string{"kv-prefix": "b:", "kv-timeout": "250ms"})
	want := KV{Backend: KVRedis, Address: "r2:6379", DB: 3, Prefix: "b:", Timeout: 250 * time.Millisecond}
	if c.KV != want {
		t.Fatalf("kv = %+v, want %+v", c.KV, want)
	}
}

func TestKVInvalid(t *testing.T) {
	cases := map[string]string{
		"kv: {backend: etcd}":                                                      "kv.backend",
		"kv: {backend: redis}":                                                     "kv.address: required",
		"kv: {backend: redis, address: 'r:1', db: -1}":                             "kv.db",
		"kv: {backend: redis, address: 'r:1', timeout: -1s}":                       "kv.timeout",
		"kv: {backend: redis, address: 'r:1', password_env: A, password_file: /b}": "only one",
		"kv: {backend: redis, address: 'r:1', password: x}":                        "password",
	}
	for y, want := range cases {
		if got := loadErr(t, y, nil, nil); !strings.Contains(got, want) {
			t.Errorf("%s: error %q, want %q", y, got, want)
		}
	}
	if got := loadErr(t, "", envMap{"ESLSCRIPT_KV_DB": "two"}, nil); !strings.Contains(got, "ESLSCRIPT_KV_DB") {
		t.Errorf("bad db in the environment: %q", got)
	}
}

func TestKVPassword(t *testing.T) {
	redis := "kv: {backend: redis, address: 'r:6379'"
	cases := []struct {
		yaml string
		env  envMap
		want string
	}{
		{redis + "}", envMap{DefaultKVPasswordEnv: pw}, pw},
		{redis + "}", envMap{}, ""}, // no password
		{redis + ", password_env: MY_PW}", envMap{"MY_PW": pw, DefaultKVPasswordEnv: "other"}, pw},
		{redis + ", password_file: /pw}", envMap{DefaultKVPasswordEnv: "other"}, pw},
	}
	for _, tc := range cases {
		c := mustLoad(t, tc.yaml, nil, nil)
		if err := c.Resolve(tc.env.lookup, files{"/pw": pw + "\n"}.read); err != nil {
			t.Fatalf("%s: %v", tc.yaml, err)
		}
		if got := c.KV.Password.Reveal(); got != tc.want {
			t.Errorf("%s: password %q, want %q", tc.yaml, got, tc.want)
		}
	}
	c := mustLoad(t, redis+", password_env: MY_PW}", nil, nil)
	if err := c.Resolve(envMap{}.lookup, nil); err == nil || !strings.Contains(err.Error(), "MY_PW is not set") {
		t.Errorf("unset password_env: %v", err)
	}
	c = mustLoad(t, redis+"}", nil, map[string]string{"kv-password-file": "/empty"})
	if err := c.Resolve(envMap{}.lookup, files{"/empty": "\n"}.read); err == nil || !strings.Contains(err.Error(), "kv.password_file") {
		t.Errorf("empty password file: %v", err)
	}
}

func TestKVPasswordNeverPrinted(t *testing.T) {
	c := mustLoad(t, "kv: {backend: redis, address: 'r:6379'}", nil, nil)
	if err := c.Resolve(envMap{DefaultKVPasswordEnv: pw}.lookup, nil); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "kv", c.KV, "cfg", c)
	for i, out := range []string{c.String(), fmt.Sprintf("%v %+v %#v", c.KV, c.KV, c.KV), logged.String()} {
		if strings.Contains(out, pw) {
			t.Errorf("output %d reveals the kv password: %s", i, out)
		}
	}
}

func TestKVSettingsHaveFlagsButNoPassword(t *testing.T) {
	flags := map[string]bool{}
	for _, s := range Settings() {
		flags[s.Flag] = true
		if strings.Contains(s.Flag, "kv-password") && s.Flag != "kv-password-file" {
			t.Errorf("flag %s would put the kv password on the command line", s.Flag)
		}
	}
	for _, f := range []string{"kv-backend", "kv-address", "kv-db", "kv-prefix", "kv-timeout", "kv-password-file"} {
		if !flags[f] {
			t.Errorf("no --%s", f)
		}
	}
}
