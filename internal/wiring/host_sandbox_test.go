package wiring

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/host"
)

// TestSandboxDirsReachTheHost loads a config with scripts.sandbox_dirs and
// starts a host from HostOptions: a script under billing/ may read the
// allowed file at load time, the same script at the root may not.
func TestSandboxDirsReachTheHost(t *testing.T) {
	scripts, data := t.TempDir(), t.TempDir()
	rates := filepath.Join(data, "rates.txt")
	mustWrite(t, rates, "1")
	src := fmt.Sprintf("local f = assert(io.open(%q)); f:close()\nreturn { session = function() end }\n", rates)
	mustWrite(t, filepath.Join(scripts, "billing", "charge.lua"), src)
	yaml := fmt.Sprintf("scripts:\n  dir: %s\n  sandbox_dirs:\n    billing: {allow_io: true, read_paths: [%s]}\n", scripts, data)
	cfgFile := filepath.Join(t.TempDir(), "c.yaml")
	mustWrite(t, cfgFile, yaml)
	cfg, err := config.Load(config.Options{Path: cfgFile})
	if err != nil {
		t.Fatal(err)
	}
	startAndStop(t, cfg, nil)
	mustWrite(t, filepath.Join(scripts, "root.lua"), src)
	startAndStop(t, cfg, func(err error) bool { return strings.Contains(err.Error(), "root.lua:1") })
}

// startAndStop starts a host from cfg; wantErr nil means it must start.
func startAndStop(t *testing.T, cfg *config.Config, wantErr func(error) bool) {
	t.Helper()
	h, err := host.New(HostOptions(cfg, slog.New(slog.DiscardHandler), nil))
	if wantErr != nil {
		if err == nil || !wantErr(err) {
			t.Fatalf("host.New error = %v", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("host.New: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
