package esltest

import "github.com/eslscript/eslscript/esl"

// scope is one set of scoped variables (a %[k=v,...] application prefix),
// visible before channel variables while that one execution runs.
type scope struct {
	names []string
	vals  map[string]string
}

// splitScope strips a leading "%[k=v,k2=v2]" or "%<delim>[...]" from an
// expanded application argument, as switch_core_session_exec does. ok is
// false (and rest is arg) without such a prefix.
func splitScope(arg string) (rest string, sc scope, ok bool) {
	if len(arg) < 3 || arg[0] != '%' || (arg[1] != '[' && arg[2] != '[') {
		return arg, sc, false
	}
	delim, p := byte(','), arg[1:]
	if p[0] != '[' {
		delim, p = p[0], p[1:]
	}
	end := endBracket(p)
	if end < 0 {
		return arg, sc, false
	}
	sc.vals = map[string]string{}
	for _, kv := range esl.SeparateString(p[1:end], delim, 0) {
		if f := esl.SeparateString(kv, '=', 2); len(f) == 2 {
			sc.add(f[0], f[1])
		}
	}
	return p[end+1:], sc, true
}

func (sc *scope) add(name, value string) {
	if _, dup := sc.vals[name]; !dup {
		sc.names = append(sc.names, name)
	}
	sc.vals[name] = value
}

// endBracket returns the index of the ']' closing the '[' at p[0]
// (nesting counted), or -1.
func endBracket(p string) int {
	depth := 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '[':
			depth++
		case ']':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// pushScope makes sc visible until the matching popScope.
func (c *Call) pushScope(sc scope) {
	c.mu.Lock()
	c.scopes = append(c.scopes, sc)
	c.mu.Unlock()
}

func (c *Call) popScope() {
	c.mu.Lock()
	c.scopes = c.scopes[:len(c.scopes)-1]
	c.mu.Unlock()
}

// scopeVar looks name up in the scopes, innermost first; c.mu held.
func (c *Call) scopeVar(name string) (string, bool) {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		if v, ok := c.scopes[i].vals[name]; ok {
			return v, true
		}
	}
	return "", false
}

// addScopeHeaders writes scope_variable_<name> headers, innermost scope
// winning, as switch_channel_event_set_extended_data does; c.mu held.
func (c *Call) addScopeHeaders(ev *esl.Event) {
	seen := map[string]bool{}
	for i := len(c.scopes) - 1; i >= 0; i-- {
		for _, n := range c.scopes[i].names {
			if !seen[n] && c.scopes[i].vals[n] != "" {
				seen[n] = true
				ev.Add("scope_variable_"+n, c.scopes[i].vals[n])
			}
		}
	}
}
