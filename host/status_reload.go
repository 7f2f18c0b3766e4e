package host

// LastReload returns the outcome of the host's most recent load of the
// scripts, whatever triggered it: New, Reload (the admin endpoint, SIGHUP)
// or Watch. A save that restores the running content reports OK (nil Err,
// Changed false). The Err of a failed load is the *LoadError (errors.As
// names file and line), possibly wrapped in ErrKnownBad. It never blocks.
func (h *Host) LastReload() BuildOutcome {
	o, _ := h.reloader.loader.lastBuild()
	return o
}
