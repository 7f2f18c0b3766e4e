package host

import "github.com/eslscript/eslscript/bindings"

// KV returns the store of the scripts' kv module: Options.KV, or the
// in-memory store the host made when it was nil. An admin endpoint reads
// and seeds it.
func (h *Host) KV() bindings.KV { return h.opts.KV }
