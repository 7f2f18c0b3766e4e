package esltest

import "strings"

// cannedReply answers the api command lines that start with line.
type cannedReply struct{ line, reply string }

// ReplyAPI makes api and bgapi answer reply to every command line equal
// to line or starting with line and a space ("sofia status" answers
// "sofia status" and "sofia status profile internal", not "sofia
// statusx"), before any handler; the command name is matched without
// regard to case, the rest exactly. The longest matching line wins; a
// later call for the same line replaces its reply.
func (s *Server) ReplyAPI(line, reply string) {
	line = normalizeAPILine(line)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.canned {
		if r.line == line {
			s.canned[i].reply = reply
			return
		}
	}
	s.canned = append(s.canned, cannedReply{line, reply})
}

// cannedFor returns the reply ReplyAPI set for a command line.
func (s *Server) cannedFor(line string) (string, bool) {
	line = normalizeAPILine(line)
	s.mu.Lock()
	defer s.mu.Unlock()
	best := -1
	for i, r := range s.canned {
		if (line == r.line || strings.HasPrefix(line, r.line+" ")) && (best < 0 || len(r.line) > len(s.canned[best].line)) {
			best = i
		}
	}
	if best < 0 {
		return "", false
	}
	return s.canned[best].reply, true
}

// normalizeAPILine lower-cases the command name and trims the line.
func normalizeAPILine(line string) string {
	cmd, args := splitAPI(line)
	if args == "" {
		return strings.ToLower(cmd)
	}
	return strings.ToLower(cmd) + " " + args
}
