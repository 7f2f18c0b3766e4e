package bindings

// Modules returns a copy of the registered modules, in registration order
// (the built-ins first). A program can wrap them (say, to intercept their
// functions in tests) and Add the results to a new, empty Registry.
func (r *Registry) Modules() []Module {
	out := make([]Module, len(r.mods))
	copy(out, r.mods)
	return out
}
