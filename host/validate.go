package host

import (
	"fmt"
	"sort"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// validator checks one script's handler table against the script shape,
// reporting at the line of the file's return statement.
type validator struct {
	f *luaFile
	s *Script
}

// validateScript checks tbl and describes the script, or names what is
// wrong with it.
func validateScript(f *luaFile, tbl *lua.LTable) (*Script, *LoadError) {
	v := &validator{f: f, s: &Script{Name: scriptName(f.rel), Path: f.path, file: f}}
	if err := v.topLevel(tbl); err != nil {
		return nil, err
	}
	if len(v.s.Events) == 0 && !v.s.Session && !v.s.Init && len(v.s.Timers) == 0 {
		return nil, v.fail("script has no events, session, init or timers")
	}
	return v.s, nil
}

func (v *validator) fail(format string, args ...any) *LoadError {
	return &LoadError{File: v.f.path, Line: v.f.retLine, Msg: fmt.Sprintf(format, args...)}
}

// topLevel checks every key of the returned table, in a stable order.
func (v *validator) topLevel(tbl *lua.LTable) *LoadError {
	for _, kv := range sortedPairs(tbl) {
		if err := v.key(kv.k, kv.v); err != nil {
			return err
		}
	}
	return nil
}

func (v *validator) key(k, val lua.LValue) *LoadError {
	name, ok := k.(lua.LString)
	if !ok {
		return v.fail("unknown key %s (want events, session, init or timers)", k.String())
	}
	switch name {
	case "events":
		return v.events(val)
	case "session":
		v.s.Session = true
		return v.function("session", val)
	case "init":
		v.s.Init = true
		return v.function("init", val)
	case "timers":
		return v.timers(val)
	}
	return v.fail("unknown key %q (want events, session, init or timers)", string(name))
}

func (v *validator) function(what string, val lua.LValue) *LoadError {
	if _, ok := val.(*lua.LFunction); !ok {
		return v.fail("%s must be a function, got %s", what, val.Type())
	}
	return nil
}

func (v *validator) events(val lua.LValue) *LoadError {
	tbl, ok := val.(*lua.LTable)
	if !ok {
		return v.fail("events must be a table, got %s", val.Type())
	}
	for _, kv := range sortedPairs(tbl) {
		name, ok := kv.k.(lua.LString)
		if !ok || name == "" {
			return v.fail("events key %s must be an event name", kv.k.String())
		}
		if err := v.function(fmt.Sprintf("events[%q]", string(name)), kv.v); err != nil {
			return err
		}
		v.s.Events = append(v.s.Events, string(name))
	}
	return nil
}

func (v *validator) timers(val lua.LValue) *LoadError {
	tbl, ok := val.(*lua.LTable)
	if !ok {
		return v.fail("timers must be a table, got %s", val.Type())
	}
	for _, kv := range sortedPairs(tbl) {
		name, ok := kv.k.(lua.LString)
		if !ok || name == "" {
			return v.fail("timers key %s must be a timer name", kv.k.String())
		}
		spec, err := v.timer(string(name), kv.v)
		if err != nil {
			return err
		}
		v.s.Timers = append(v.s.Timers, spec)
	}
	return nil
}

// timer checks one timer: a table with a positive `every` (milliseconds)
// and a function `fn`.
func (v *validator) timer(name string, val lua.LValue) (TimerSpec, *LoadError) {
	tbl, ok := val.(*lua.LTable)
	if !ok {
		return TimerSpec{}, v.fail("timers.%s must be a table {every = ms, fn = function}, got %s", name, val.Type())
	}
	every, ok := tbl.RawGetString("every").(lua.LNumber)
	if !ok || every <= 0 {
		return TimerSpec{}, v.fail("timers.%s.every must be a positive number of milliseconds", name)
	}
	if err := v.function("timers."+name+".fn", tbl.RawGetString("fn")); err != nil {
		return TimerSpec{}, err
	}
	return TimerSpec{Name: name, Every: time.Duration(float64(every) * float64(time.Millisecond))}, nil
}

type luaPair struct{ k, v lua.LValue }

// sortedPairs lists a table's entries ordered by the key's string form, so
// that validation reports the same first error every time.
func sortedPairs(tbl *lua.LTable) []luaPair {
	var out []luaPair
	tbl.ForEach(func(k, v lua.LValue) { out = append(out, luaPair{k, v}) })
	sort.Slice(out, func(i, j int) bool { return out[i].k.String() < out[j].k.String() })
	return out
}
