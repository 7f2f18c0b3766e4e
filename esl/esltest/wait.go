package esltest

import (
	"context"
	"fmt"
)

// bump wakes every waiter; s.mu must be held.
func (s *Server) bumpLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// bump wakes every waiter.
func (s *Server) bump() {
	s.mu.Lock()
	s.bumpLocked()
	s.mu.Unlock()
}

// waitFor blocks until cond (called without s.mu held) is true or ctx ends.
func (s *Server) waitFor(ctx context.Context, what string, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("esltest: waiting for %s: %w", what, ctx.Err())
		}
	}
}
