package test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/internal/realfs"
)

// With an admin token (here from $ESLSCRIPT_ADMIN_TOKEN) the daemon's
// /reload needs it: `eslscript reload` without it is refused, with it the
// scripts reload; a browser-style request naming another host is refused
// whatever it carries.
func TestAdminTokenGuardsReload(t *testing.T) {
	t.Parallel()
	sim, secret := newSim(t, esltest.Options{})
	token := newSecret()
	dir := writeScripts(t, map[string]string{"ivr.lua": restartScript})
	port, err := realfs.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	admin := "127.0.0.1:" + itoa(port)
	env := []string{"ESL_PASSWORD=" + secret, "ESLSCRIPT_ADMIN_TOKEN=" + token}
	d := startBin(t, token, env, "run", "--fs-address", sim.Addr(), "--scripts", dir,
		"--admin", admin, "--log-format", "json")
	d.waitLog("connected", msg("eslscript: connected"))
	waitReady(t, admin, http.StatusOK)

	noTok := startBin(t, token, nil, "reload", "--admin", admin)
	if code := noTok.waitExit(waitLong); code != 2 || !strings.Contains(noTok.stderr.String(), "token") {
		t.Fatalf("reload without the token: exit %d, stderr %q", code, noTok.stderr)
	}
	withTok := startBin(t, token, []string{"ESLSCRIPT_ADMIN_TOKEN=" + token}, "reload", "--admin", admin)
	if code := withTok.waitExit(waitLong); code != 0 {
		t.Fatalf("reload with the token: exit %d, stderr %q", code, withTok.stderr)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+admin+"/reload", nil)
	req.Host = "attacker.example"
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("rebinding-style request: %d", resp.StatusCode)
	}
}
