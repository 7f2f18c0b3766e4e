package esl

// observe tracks wire subscription state from successful commands.
func (c *Conn) observe(cmd Command) {
	switch v := cmd.(type) {
	case EventCmd:
		c.format.Store(uint32(v.Format))
		if namesJob(v.Names) {
			c.jobEvents.Store(true)
		}
	case MyEvents:
		c.format.Store(uint32(v.Format))
	case NixEvent:
		if namesJob(v.Names) {
			c.jobEvents.Store(false)
		}
	case NoEvents:
		c.jobEvents.Store(false)
	}
}

// namesJob reports whether names cover BACKGROUND_JOB (or ALL).
func namesJob(names []string) bool {
	plain, _, _ := splitEventNames(names)
	for _, n := range plain {
		if n == "BACKGROUND_JOB" || n == "ALL" {
			return true
		}
	}
	return false
}
