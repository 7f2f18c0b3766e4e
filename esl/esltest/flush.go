package esltest

import "context"

// Flush waits until every event queued so far on any connection has been
// written to its socket (or the connection died). A test that then makes a
// command round trip on a client knows that client's reader has seen those
// events: its reply is written after them. FreeSWITCH itself gives no such
// guarantee (it writes queued events only while idle), so this is a test aid.
func (s *Server) Flush(ctx context.Context) error {
	type mark struct {
		c      *Conn
		target uint64
	}
	var marks []mark
	for _, c := range s.Conns() {
		c.mu.Lock()
		marks = append(marks, mark{c, c.queued})
		c.mu.Unlock()
	}
	return s.waitFor(ctx, "queued events to be written", func() bool {
		for _, m := range marks {
			m.c.mu.Lock()
			done := m.c.written >= m.target || m.c.dead
			m.c.mu.Unlock()
			if !done {
				return false
			}
		}
		return true
	})
}
