package config

import (
	"strings"
	"testing"
	"time"
)

func TestFleetDefaultsAndLayers(t *testing.T) {
	c := mustLoad(t, "", nil, nil)
	if c.Fleet.Enabled || c.Fleet.Lease != DefaultFleetLease || c.Fleet.Prefix != DefaultFleetPrefix {
		t.Fatalf("fleet = %+v, want off with the default lease and prefix", c.Fleet)
	}
	c = mustLoad(t, "fleet: {enabled: true, address: 'r1:6379', lease: 5s, instance: a}",
		envMap{"ESLSCRIPT_FLEET_INSTANCE": "b"}, map[string]string{"fleet-lease": "2s"})
	if !c.Fleet.Enabled || c.Fleet.Instance != "b" || c.Fleet.Lease != 2*time.Second || c.Fleet.Address != "r1:6379" {
		t.Fatalf("fleet = %+v", c.Fleet)
	}
}

func TestFleetInvalid(t *testing.T) {
	cases := map[string]string{
		"fleet: {enabled: true}":                                                     "fleet.address: required unless kv.backend is redis",
		"fleet: {enabled: true, address: 'r:1', lease: 100ms}":                       "fleet.lease",
		"fleet: {enabled: true, address: 'r:1', password_env: A, password_file: /b}": "only one",
		"fleet: {enabled: true, address: 'r:1', instance: 'a b'}":                    "fleet.instance",
		"fleet: {enabled: true, address: 'nope'}":                                    "fleet.address",
	}
	for y, want := range cases {
		if got := loadErr(t, y, nil, nil); !strings.Contains(got, want) {
			t.Errorf("%s: error %q, want %q", y, got, want)
		}
	}
}

func TestFleetPassword(t *testing.T) {
	own := "fleet: {enabled: true, address: 'r:6379'"
	cases := []struct {
		yaml string
		env  envMap
		want string
	}{
		{own + "}", envMap{DefaultFleetPasswordEnv: pw}, pw},
		{own + "}", envMap{}, ""},
		{own + ", password_env: MY_PW}", envMap{"MY_PW": pw}, pw},
		{own + ", password_file: /pw}", envMap{DefaultFleetPasswordEnv: "other"}, pw},
		// no address: the kv store's Redis, with its password
		{"kv: {backend: redis, address: 'k:6379', db: 4}\nfleet: {enabled: true}", envMap{DefaultKVPasswordEnv: pw}, pw},
	}
	for _, c := range cases {
		cfg := mustLoad(t, c.yaml, c.env, nil)
		if err := cfg.Resolve(c.env.lookup, files{"/pw": pw + "\n"}.read); err != nil {
			t.Fatalf("%s: %v", c.yaml, err)
		}
		if got := cfg.Fleet.Password.Reveal(); got != c.want {
			t.Errorf("%s: password %q, want %q", c.yaml, got, c.want)
		}
	}
	cfg := mustLoad(t, "kv: {backend: redis, address: 'k:6379', db: 4}\nfleet: {enabled: true}", nil, nil)
	if err := cfg.Resolve(envMap{}.lookup, nil); err != nil || cfg.Fleet.Address != "k:6379" || cfg.Fleet.DB != 4 {
		t.Fatalf("fleet on the kv's Redis: %+v, %v", cfg.Fleet, err)
	}
	cfg = mustLoad(t, own+", password_env: MISSING}", nil, nil)
	err := cfg.Resolve(envMap{}.lookup, nil)
	if err == nil || !strings.Contains(err.Error(), "fleet.password_env") {
		t.Fatalf("missing password_env: %v", err)
	}
}
