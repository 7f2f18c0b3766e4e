package host

import "github.com/eslscript/eslscript/bindings"

// commanderMap maps node names to their Commander, already wrapped by
// Options.WrapCommander.
type commanderMap map[string]bindings.Commander

// commander is Runtime.Nodes: a node's client as a Commander (nil if unknown).
// It is called for every event, so it reads a copy-on-write map: no lock,
// no allocation.
func (h *Host) commander(name string) bindings.Commander {
	if m := h.cmds.Load(); m != nil {
		return (*m)[name]
	}
	return nil
}

// rebuildCommanders refreshes the map commander reads from h.nodes; the
// caller holds nodesMu for writing.
func (h *Host) rebuildCommanders() {
	m := make(commanderMap, len(h.nodes))
	for name, n := range h.nodes {
		m[name] = h.wrapCommander(name, n.c)
	}
	h.cmds.Store(&m)
}
