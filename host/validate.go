package host

import (
	"fmt"
	"sort"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// validator checks one script's handler table against the script shape,
// reporting at the line of the field at fault (the return statement's
// when the field cannot be located).
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
		return nil, v.fail(nil, "script has no events, session, init or timers")
	}
	sort.SliceStable(v.s.Warnings, func(i, j int) bool { return v.s.Warnings[i].Line < v.s.Warnings[j].Line })
	return v.s, nil
}

// fail reports a problem with the field at path (no path: the table).
func (v *validator) fail(path []string, format string, args ...any) *LoadError {
	return &LoadError{File: v.f.path, Line: v.line(path), Msg: fmt.Sprintf(format, args...)}
}

// line is the line of the field at path, else of its closest located
// parent, else of the return statement.
func (v *validator) line(path []string) int {
	for n := len(path); n > 0; n-- {
		if l, ok := v.f.lines[fieldPath(path[:n]...)]; ok {
			return l
		}
	}
	return v.f.retLine
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
		return v.fail(nil, "unknown key %s (want events, session, init, timers or every_instance)", k.String())
	}
	switch name {
	case "events":
		return v.events(val)
	case "session":
		v.s.Session = true
		return v.function([]string{"session"}, "session", val)
	case "init":
		v.s.Init = true
		return v.function([]string{"init"}, "init", val)
	case "timers":
		return v.timers(val)
	case "every_instance":
		b, ok := val.(lua.LBool)
		if !ok {
			return v.fail([]string{"every_instance"}, "every_instance must be a boolean, got %s", val.Type())
		}
		v.s.EveryInstance = bool(b)
		return nil
	}
	return v.fail([]string{string(name)}, "unknown key %q (want events, session, init, timers or every_instance)", string(name))
}

func (v *validator) function(path []string, what string, val lua.LValue) *LoadError {
	if _, ok := val.(*lua.LFunction); !ok {
		return v.fail(path, "%s must be a function, got %s", what, val.Type())
	}
	return nil
}

func (v *validator) events(val lua.LValue) *LoadError {
	tbl, ok := val.(*lua.LTable)
	if !ok {
		return v.fail([]string{"events"}, "events must be a table, got %s", val.Type())
	}
	for _, kv := range sortedPairs(tbl) {
		name, ok := kv.k.(lua.LString)
		if !ok || name == "" {
			return v.fail([]string{"events"}, "events key %s must be an event name", kv.k.String())
		}
		path := []string{"events", string(name)}
		if err := v.function(path, fmt.Sprintf("events[%q]", string(name)), kv.v); err != nil {
			return err
		}
		if msg := eventKeyProblem(string(name)); msg != "" {
			v.s.Warnings = append(v.s.Warnings, Warning{File: v.f.path, Line: v.line(path),
				Msg: fmt.Sprintf("events[%q]: %s", string(name), msg)})
		}
		v.s.Events = append(v.s.Events, string(name))
	}
	return nil
}

func (v *validator) timers(val lua.LValue) *LoadError {
	tbl, ok := val.(*lua.LTable)
	if !ok {
		return v.fail([]string{"timers"}, "timers must be a table, got %s", val.Type())
	}
	for _, kv := range sortedPairs(tbl) {
		name, ok := kv.k.(lua.LString)
		if !ok || name == "" {
			return v.fail([]string{"timers"}, "timers key %s must be a timer name", kv.k.String())
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
		return TimerSpec{}, v.fail([]string{"timers", name}, "timers.%s must be a table {every = ms, fn = function}, got %s", name, val.Type())
	}
	every, ok := tbl.RawGetString("every").(lua.LNumber)
	if !ok || every <= 0 {
		return TimerSpec{}, v.fail([]string{"timers", name, "every"}, "timers.%s.every must be a positive number of milliseconds", name)
	}
	if err := v.function([]string{"timers", name, "fn"}, "timers."+name+".fn", tbl.RawGetString("fn")); err != nil {
		return TimerSpec{}, err
	}
	leader, ok := tbl.RawGetString("leader").(lua.LBool)
	if lv := tbl.RawGetString("leader"); !ok && lv != lua.LNil {
		return TimerSpec{}, v.fail([]string{"timers", name, "leader"}, "timers.%s.leader must be a boolean, got %s", name, lv.Type())
	}
	return TimerSpec{Name: name, Every: time.Duration(float64(every) * float64(time.Millisecond)), Leader: bool(leader)}, nil
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
