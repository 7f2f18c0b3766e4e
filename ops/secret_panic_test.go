package ops

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
	lua "github.com/yuin/gopher-lua"
)

// panicPassword is distinctive so that any appearance is a leak.
const panicPassword = "Pw-PanicMustNotLeak-8086"

// boomModule is a Lua module whose functions panic in Go the ways a buggy
// binding could: with the raw password, with the esl.Options holding it
// (%v and %+v) and with an error wrapping them.
func boomModule(opts esl.Options) bindings.Module {
	return bindings.Module{Name: "boom", Open: func(L *lua.LState, _ *bindings.Runtime) *lua.LTable {
		return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"raw":   func(*lua.LState) int { panic("boom-raw: login with " + opts.Password) },
			"opts":  func(*lua.LState) int { panic(fmt.Sprintf("boom-opts: dial %v / %+v", opts, &opts)) },
			"err":   func(*lua.LState) int { panic(fmt.Errorf("boom-err: %w", fmt.Errorf("dial %#v", opts))) },
			"value": func(*lua.LState) int { panic(opts) },
		})
	}}
}

// panicScripts call each boom function from init; "literal" raises a Lua
// error with the password written in the script itself.
var panicScripts = map[string]string{
	"raw.lua":     `local b = require("boom"); return { init = function() b.raw() end }`,
	"opts.lua":    `local b = require("boom"); return { init = function() b.opts() end }`,
	"err.lua":     `local b = require("boom"); return { init = function() b.err() end }`,
	"value.lua":   `local b = require("boom"); return { init = function() b.value() end }`,
	"literal.lua": `return { init = function() error("boom-literal: auth ` + panicPassword + ` refused") end }`,
}

// startPanicHost starts a host over scripts with the boom module, logging
// to a text and a JSON sink (through RedactHandler when redact is set).
func startPanicHost(t *testing.T, scripts map[string]string, redact bool) (*host.Host, *syncBuffer) {
	t.Helper()
	out := &syncBuffer{}
	var h slog.Handler = teeHandler{slog.NewTextHandler(out, nil), slog.NewJSONHandler(out, nil)}
	if redact {
		h = RedactHandler(h, NewRedactor(panicPassword))
	}
	reg := bindings.NewRegistry()
	if err := reg.Add(boomModule(esl.Options{Password: panicPassword, Node: "fs1"})); err != nil {
		t.Fatal(err)
	}
	hst, err := host.New(host.Options{ScriptsDir: writeScripts(t, scripts), Registry: reg, Logger: slog.New(h), Workers: 1})
	if err != nil {
		t.Fatalf("host.New: %v (a panicking init must not stop the host)", err)
	}
	t.Cleanup(func() { shutdownHost(hst) })
	return hst, out
}

func shutdownHost(h *host.Host) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = h.Shutdown(ctx)
}

func assertNoPassword(t *testing.T, what, out string) {
	t.Helper()
	if strings.Contains(out, panicPassword) || strings.Contains(out, "PanicMustNotLeak") {
		t.Errorf("the password leaked into %s:\n%s", what, out)
	}
}

// TestPanicsNeverRevealThePassword: Go panics in bindings are recovered by
// the host (the script's call fails, the host runs on) and neither the
// logged panic text nor a failed reload's /status shows the password.
func TestPanicsNeverRevealThePassword(t *testing.T) {
	h, out := startPanicHost(t, panicScripts, true)
	for _, marker := range []string{"boom-raw", "boom-opts", "boom-err", "boom-literal", "value.lua"} {
		if !strings.Contains(out.String(), marker) {
			t.Errorf("no log of the %s failure: the test is not looking at the right output:\n%s", marker, out)
		}
	}
	a := NewAdmin(AdminOptions{Source: h, Redactor: NewRedactor(panicPassword)})
	writeScriptFile(t, scriptsDirOf(t, h), "top.lua", `require("boom").raw(); return { init = function() end }`)
	if err := a.Reload(); err == nil {
		t.Fatal("a script whose top level panics loaded")
	}
	st := statusOf(t, a)
	if st.LastReload == nil || st.LastReload.OK || !strings.Contains(st.LastReload.Error, "boom-raw") {
		t.Fatalf("last_reload = %+v, want the failure", st.LastReload)
	}
	assertNoPassword(t, "/status", fmt.Sprintf("%+v", st.LastReload))
	assertNoPassword(t, "the logs", out.String())
}

// TestPanicsWithOptionsAreCleanWithoutRedaction: the esl.Options and
// errors formatting them redact the password by themselves, so even a
// logger without the last-line scrubbing shows no password.
func TestPanicsWithOptionsAreCleanWithoutRedaction(t *testing.T) {
	scripts := map[string]string{"opts.lua": panicScripts["opts.lua"], "err.lua": panicScripts["err.lua"], "value.lua": panicScripts["value.lua"]}
	_, out := startPanicHost(t, scripts, false)
	if !strings.Contains(out.String(), "boom-opts") || !strings.Contains(out.String(), "Node:fs1") {
		t.Fatalf("no log of the panics:\n%s", out)
	}
	assertNoPassword(t, "the unredacted logs", out.String())
}

func writeScriptFile(t *testing.T, dir, name, src string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scriptsDirOf is the directory of h's scripts.
func scriptsDirOf(t *testing.T, h *host.Host) string {
	t.Helper()
	g := h.Generation()
	if g == nil || len(g.Scripts()) == 0 {
		t.Fatal("no scripts")
	}
	return filepath.Dir(g.Scripts()[0].Path)
}
