package esltest

// AppHandler returns the implementation installed for an application, or
// nil. A test harness uses it to wrap a built-in application with
// HandleApp (run something before or after it) without re-implementing it.
func (s *Server) AppHandler(name string) AppFunc { return s.app(name) }

// AppNames returns the names of every installed application, unsorted.
func (s *Server) AppNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.apps))
	for n := range s.apps {
		names = append(names, n)
	}
	return names
}
