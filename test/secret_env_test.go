package test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
)

// The variable a configuration reads the ESL password from is not
// readable by scripts, whatever its name and whether or not the sandbox
// opens os: os.getenv returns nil and os.execute's children do not
// inherit it.
func TestScriptsCannotReadConfiguredSecretEnv(t *testing.T) {
	t.Parallel()
	for _, allowOS := range []string{"false", "true"} {
		t.Run("allow_os="+allowOS, func(t *testing.T) {
			sim, secret := newSim(t, esltest.Options{})
			dir := writeScripts(t, map[string]string{"probe.lua": `
local log = require("log")
return {
  init = function()
    local child = "n/a"
    if pcall(function() return os.execute("true") end) then -- disabled: raises
      child = (os.execute("test -z \"$FS_PW\"") == 0 or os.execute("test -z \"$FS_PW\"") == true) and "empty" or "set"
    end
    log.info("probe", { getenv = os.getenv("FS_PW") or "nil", child = child })
  end,
}`})
			cfg := filepath.Join(t.TempDir(), "eslscript.yaml")
			body := "nodes:\n  - name: fs1\n    address: " + sim.Addr() + "\n    password_env: FS_PW\n" +
				"scripts:\n  sandbox:\n    allow_os: " + allowOS + "\n"
			if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			p := startBin(t, secret, []string{"FS_PW=" + secret}, "run", "--config", cfg,
				"--scripts", dir, "--log-format", "json")
			l := p.waitLog("the probe line", msg("probe"))
			if got := l.str("getenv"); got != "nil" {
				t.Errorf("os.getenv(\"FS_PW\") = %q, want nil", got)
			}
			want := map[string]string{"false": "n/a", "true": "empty"}[allowOS]
			if got := l.str("child"); got != want {
				t.Errorf("os.execute child saw FS_PW: %q, want %q", got, want)
			}
		})
	}
}
