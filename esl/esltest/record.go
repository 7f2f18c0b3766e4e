package esltest

import (
	"context"
	"strings"
)

// record stores a received command.
func (s *Server) record(cmd Command) {
	s.mu.Lock()
	s.cmds = append(s.cmds, cmd)
	s.bumpLocked()
	s.mu.Unlock()
	line := cmd.Line
	if strings.HasPrefix(strings.ToLower(line), "auth") || strings.HasPrefix(strings.ToLower(line), "userauth") {
		line = line[:strings.IndexByte(line+" ", ' ')] + " [redacted]"
	}
	s.logf("esltest: conn %d: %s", cmd.Conn, line)
}

// Commands returns every command received so far on any connection, in
// arrival order (auth lines included, as sent).
func (s *Server) Commands() []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command(nil), s.cmds...)
}

// WaitCommand waits until a command whose line starts with prefix
// (case-insensitive) was received, and returns the first such command.
func (s *Server) WaitCommand(ctx context.Context, prefix string) (Command, error) {
	var found Command
	err := s.waitFor(ctx, "command "+prefix, func() bool {
		for _, c := range s.Commands() {
			if len(c.Line) >= len(prefix) && strings.EqualFold(c.Line[:len(prefix)], prefix) {
				found = c
				return true
			}
		}
		return false
	})
	return found, err
}

// Conns returns the open connections.
func (s *Server) Conns() []*Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connList()
}

// WaitConns waits until at least n authenticated inbound connections are
// open.
func (s *Server) WaitConns(ctx context.Context, n int) error {
	return s.waitFor(ctx, "connections", func() bool {
		k := 0
		for _, c := range s.Conns() {
			if !c.outbound && c.Authenticated() {
				k++
			}
		}
		return k >= n
	})
}
