package host

import (
	"fmt"
	"strings"
)

// routeError says why a name cannot take calls; it matches ErrNoScript.
type routeError struct{ msg string }

func (e *routeError) Error() string        { return "host: " + e.msg }
func (e *routeError) Is(target error) bool { return target == ErrNoScript }

func routeErrorf(format string, args ...any) error {
	return &routeError{msg: fmt.Sprintf(format, args...)}
}

// CheckSessionScript returns nil when name is a session script of g (a
// script with a session function, or a mod_lua/ script), the only kind an
// outbound call can run; else an error wrapping ErrNoScript that says why
// and lists the session scripts there are. Use it to check a listener's
// default script before serving: a wrong default refuses every call.
func (g *Generation) CheckSessionScript(name string) error {
	s := g.scripts[name]
	switch {
	case s == nil:
		return routeErrorf("no script %q in the scripts directory (session scripts: %s)", name, g.sessionNames())
	case !s.Session:
		return routeErrorf("script %q (%s) has no session function: it cannot take calls (session scripts: %s)",
			name, s.Path, g.sessionNames())
	}
	return nil
}

// sessionNames lists the session scripts of g, "none" when there are none.
func (g *Generation) sessionNames() string {
	var names []string
	for _, s := range g.order {
		if s.Session {
			names = append(names, s.Name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
