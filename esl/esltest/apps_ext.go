package esltest

import "strings"

// OtherApps is the name under which HandleApp and AppHandler reach the
// implementation of every application that has none of its own. By
// default such an application completes at once with Application-Response
// _none_ (as most FreeSWITCH applications report) and is listed in
// Call.Executed, because the simulator cannot know which applications a
// real server has loaded. Applications named in Options.MissingApps, or
// given a nil implementation with HandleApp, behave instead like an
// application FreeSWITCH does not have: the call hangs up with
// DESTINATION_OUT_OF_ORDER and no event is fired for it.
const OtherApps = "*"

// AppHandler returns the implementation that runs for an application: its
// own, else OtherApps's; nil for a missing application. A test harness
// uses it to wrap a built-in application with HandleApp (run something
// before or after it) without re-implementing it.
func (s *Server) AppHandler(name string) AppFunc { return s.app(name) }

// AppNames returns the names of every application with an implementation
// of its own, and OtherApps, unsorted.
func (s *Server) AppNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.apps))
	for n, fn := range s.apps {
		if fn != nil {
			names = append(names, n)
		}
	}
	return names
}

// app returns the implementation of an application (see AppHandler).
func (s *Server) app(name string) AppFunc {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fn, ok := s.apps[name]; ok {
		return fn
	}
	return s.apps[OtherApps]
}

// installMissing marks the applications of Options.MissingApps missing.
func (s *Server) installMissing() {
	for _, name := range s.opts.MissingApps {
		if name = strings.TrimSpace(name); name != "" && name != OtherApps {
			s.apps[name] = nil
		}
	}
}
