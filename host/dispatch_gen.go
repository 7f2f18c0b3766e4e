package host

import (
	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

// genView is the host's view of one generation: the generation itself plus
// the index dispatch needs. It is immutable once built.
type genView struct {
	id      uint64
	gen     *Generation
	scripts []*Script
	byName  map[string]*Script
	byKey   map[string][]string // event key -> names of the scripts handling it
	byEvent map[string][]target // Event-Name -> its targets, "*" included
	star    []target            // the targets of any other Event-Name
}

// target is one handler an event goes to: events[key] of script.
type target struct {
	script string
	key    string
}

// viewOf indexes a loaded generation.
func viewOf(g *Generation) *genView {
	scripts := g.Scripts()
	v := &genView{id: g.ID, gen: g, scripts: scripts,
		byName: make(map[string]*Script, len(scripts)),
		byKey:  make(map[string][]string)}
	for _, s := range scripts {
		v.byName[s.Name] = s
		for _, k := range s.Events {
			v.byKey[k] = append(v.byKey[k], s.Name)
		}
	}
	v.star = v.appendKey(nil, "*")
	v.byEvent = make(map[string][]target, len(v.byKey))
	for k := range v.byKey {
		if k != "*" {
			v.byEvent[k] = v.appendKey(v.appendKey(nil, k), "*")
		}
	}
	return v
}

// targets lists the handlers ev (whose Event-Name is name) goes to:
// events[Event-Name], for CUSTOM events events[Event-Subclass], then
// events["*"]. The slice is shared: callers must not modify it.
func (v *genView) targets(ev *esl.Event, name string) []target {
	if name == "CUSTOM" {
		if sub := ev.Subclass(); sub != "" && len(v.byKey[sub]) > 0 {
			return v.appendKey(v.appendKey(v.appendKey(nil, name), sub), "*")
		}
	}
	if ts, ok := v.byEvent[name]; ok {
		return ts
	}
	return v.star
}

func (v *genView) appendKey(ts []target, key string) []target {
	for _, s := range v.byKey[key] {
		ts = append(ts, target{script: s, key: key})
	}
	return ts
}

// eventKeys returns the union of the event keys every script handles.
func (v *genView) eventKeys() map[string]bool {
	keys := make(map[string]bool, len(v.byKey))
	for k := range v.byKey {
		keys[k] = true
	}
	return keys
}

// handler returns events[key] of a script's table (nil if absent).
func handler(tbl *lua.LTable, key string) *lua.LFunction {
	events, ok := tbl.RawGetString("events").(*lua.LTable)
	if !ok {
		return nil
	}
	fn, _ := events.RawGetString(key).(*lua.LFunction)
	return fn
}

// field returns tbl[name] if it is a function.
func field(tbl *lua.LTable, name string) *lua.LFunction {
	fn, _ := tbl.RawGetString(name).(*lua.LFunction)
	return fn
}
