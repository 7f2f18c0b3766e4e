package config

import (
	"strings"
	"testing"
	"time"
)

func TestLimitsDefaults(t *testing.T) {
	s := mustLoad(t, "", nil, nil).Scripts
	if s.BusyBudget != 5*time.Second || s.MemoryLimit != 1<<30 || s.StringLimit != 16<<20 {
		t.Errorf("busy %v, memory %v, string %v; want 5s, 1GiB, 16MiB", s.BusyBudget, s.MemoryLimit, s.StringLimit)
	}
}

// The limits come from the file, the environment and flags, each over the
// one before; sizes take units.
func TestLimitsLayers(t *testing.T) {
	file := "scripts: {busy_budget: 2s, memory_limit: 512MiB, string_limit: 1048576}\n"
	s := mustLoad(t, file, nil, nil).Scripts
	if s.BusyBudget != 2*time.Second || s.MemoryLimit != 512<<20 || s.StringLimit != 1<<20 {
		t.Errorf("file: busy %v, memory %v, string %v", s.BusyBudget, s.MemoryLimit, s.StringLimit)
	}
	env := envMap{"ESLSCRIPT_MEMORY_LIMIT": "2GiB", "ESLSCRIPT_BUSY_BUDGET": "1s"}
	s = mustLoad(t, file, env, map[string]string{"busy-budget": "3s", "string-limit": "4MiB"}).Scripts
	if s.BusyBudget != 3*time.Second || s.MemoryLimit != 2<<30 || s.StringLimit != 4<<20 {
		t.Errorf("layers: busy %v, memory %v, string %v", s.BusyBudget, s.MemoryLimit, s.StringLimit)
	}
	if s.MemoryLimit.String() != "2GiB" || ByteSize(1500).String() != "1500B" {
		t.Errorf("String: %s, %s", s.MemoryLimit, ByteSize(1500))
	}
}

func TestLimitsErrorsNameTheKey(t *testing.T) {
	for _, tc := range []struct{ yaml, env, want string }{
		{"scripts:\n  memory_limit: lots\n", "", "config: c.yaml:2: scripts.memory_limit: invalid size \"lots\""},
		{"scripts: {memory_limit: 10MiB}", "", "config: c.yaml:1: scripts.memory_limit: 10MiB is below the minimum of 64MiB"},
		{"scripts: {string_limit: 1GiB}", "", "config: c.yaml:1: scripts.string_limit: 1GiB must be positive and at most 1/8 of scripts.memory_limit (1GiB)"},
		{"scripts: {busy_budget: -1s}", "", "config: c.yaml:1: scripts.busy_budget: must be a positive duration"},
		{"", "1.5GiB", "config: ESLSCRIPT_MEMORY_LIMIT: invalid size \"1.5GiB\""},
	} {
		var env envMap
		if tc.env != "" {
			env = envMap{"ESLSCRIPT_MEMORY_LIMIT": tc.env}
		}
		if got := loadErr(t, tc.yaml, env, nil); !strings.Contains(got, tc.want) {
			t.Errorf("%q: error = %q\nwant it to contain %q", tc.yaml+tc.env, got, tc.want)
		}
	}
}

// scripts.queue_bytes reads a size with a unit; left out it is 0 (the
// host's default).
func TestQueueBytes(t *testing.T) {
	if s := mustLoad(t, "", nil, nil).Scripts; s.QueueBytes != 0 {
		t.Errorf("default queue_bytes %v, want 0 (host default)", s.QueueBytes)
	}
	if s := mustLoad(t, "scripts: {queue_bytes: 8MiB}\n", nil, nil).Scripts; s.QueueBytes != 8<<20 {
		t.Errorf("queue_bytes %v, want 8MiB", s.QueueBytes)
	}
}
