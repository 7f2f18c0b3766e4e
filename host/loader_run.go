package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"time"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// loadScripts runs every script (files under lib/ are modules only) in a
// fresh state of g and validates the table it returns. Files under
// mod_lua/ are compiled but not run: their top level is the session
// handler, run per call.
func (l *Loader) loadScripts(g *Generation, srcs []sourceFile) ([]*Script, []*LoadError) {
	var scripts []*Script
	var errs []*LoadError
	for _, s := range srcs {
		if isModuleOnly(s.rel) {
			continue
		}
		if isModLua(s.rel) {
			scripts = append(scripts, modLuaScript(g.files[s.rel]))
			continue
		}
		sc, err := l.loadScript(g, g.files[s.rel])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		scripts = append(scripts, sc)
	}
	return scripts, errs
}

// loadScript runs one script's top level and validates its table.
func (l *Loader) loadScript(g *Generation, f *luaFile) (*Script, *LoadError) {
	rt := &bindings.Runtime{Script: scriptName(f.rel), Logger: slog.New(slog.DiscardHandler)}
	st := g.newState(rt, f.rel, nil)
	defer st.close()
	tbl, err := g.runScript(st, f)
	if err != nil {
		return nil, err
	}
	return validateScript(f, tbl)
}

// runScript runs f's top level in st, bounded by the load timeout and the
// generation's limits, and returns the table it returns.
func (g *Generation) runScript(st *luaState, f *luaFile) (*lua.LTable, *LoadError) {
	ctx, cancel := context.WithTimeout(context.Background(), g.loadTimeout)
	defer cancel()
	v, res := st.call(ctx, "main", bindings.Scope{}, monoNow(), st.L.NewFunctionFromProto(f.proto))
	if res.luaErr != nil {
		le := runtimeError(f, res.luaErr, ctx.Err() != nil, g.loadTimeout)
		if se, ok := res.stop.(*stopError); ok {
			le.Msg, le.transient = "top level "+se.stopped(), true
		}
		return nil, le
	}
	tbl, ok := v.(*lua.LTable)
	if !ok {
		return nil, &LoadError{File: f.path, Line: f.retLine, Msg: "script must return a table, got " + v.Type().String()}
	}
	return tbl, nil
}

// luaWhere matches the "file.lua:12: " prefix gopher-lua puts on errors.
var luaWhere = regexp.MustCompile(`^(.+?\.lua):(\d+): `)

// runtimeError turns an error raised while running f into a LoadError
// naming the file and line the error was raised at (which may be a module
// f required).
func runtimeError(f *luaFile, err error, timedOut bool, limit time.Duration) *LoadError {
	msg := err.Error()
	var ae *lua.ApiError
	if errors.As(err, &ae) && ae.Object != nil {
		msg = ae.Object.String()
	}
	le := &LoadError{File: f.path, Msg: msg}
	if m := luaWhere.FindStringSubmatch(msg); m != nil {
		le.File, le.Msg = m[1], msg[len(m[0]):]
		le.Line, _ = strconv.Atoi(m[2])
	}
	if timedOut {
		le.Msg = fmt.Sprintf("top level still running after %s", limit)
		le.transient = true
	}
	return le
}
