package bindings

import (
	"errors"
	"fmt"
	"slices"

	lua "github.com/yuin/gopher-lua"
)

// ErrModuleExists is returned by Registry.Add for a name already taken.
var ErrModuleExists = errors.New("bindings: module already registered")

// builtins is the one list of eslscript's own modules.
func builtins() []Module {
	return []Module{
		{Name: "log", Open: openLog},
		{Name: "json", Open: openJSON},
		{Name: "timer", Open: openTimer},
		{Name: "kv", Open: openKV},
		{Name: "esl", Open: openESL},
		{Name: "freeswitch", Open: openFreeswitch},
	}
}

// Registry lists the modules a Lua state may require: the built-ins plus
// any added by an embedding program. Build it once per host; it is not
// safe to Add while states are being preloaded.
type Registry struct {
	mods []Module
}

// NewRegistry returns a registry holding the built-in modules.
func NewRegistry() *Registry {
	return &Registry{mods: builtins()}
}

// Add registers an extra module; it fails if the name is taken.
func (r *Registry) Add(m Module) error {
	if m.Name == "" || m.Open == nil {
		return errors.New("bindings: module needs a name and an Open function")
	}
	if r.has(m.Name) {
		return fmt.Errorf("%w: %q", ErrModuleExists, m.Name)
	}
	r.mods = append(r.mods, m)
	return nil
}

func (r *Registry) has(name string) bool {
	return slices.ContainsFunc(r.mods, func(m Module) bool { return m.Name == name })
}

// Names lists the registered module names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, len(r.mods))
	for i, m := range r.mods {
		names[i] = m.Name
	}
	slices.Sort(names)
	return names
}

// Preload makes every module available to require in L, opened for rt,
// and makes rt L's one Runtime. It only registers loaders in
// package.preload (L must have the package library open); a module's
// table is built on its first require.
func (r *Registry) Preload(L *lua.LState, rt *Runtime) {
	rt.bind(L)
	for _, m := range r.mods {
		open := m.Open
		L.PreloadModule(m.Name, func(L *lua.LState) int {
			L.Push(open(L, rt))
			return 1
		})
	}
}
