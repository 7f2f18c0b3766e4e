package esltest

import "strings"

// expand is switch_channel_expand_variables for application arguments:
// ${var} (scope, channel, caller-profile, then global lookup; the name is
// expanded first) and $${global}. When the string holds a variable or
// escaped data, FreeSWITCH also rewrites backslashes: \$ gives a literal $,
// \\ gives \, and \' is dropped entirely. Not simulated: ${api(args)}
// calls, ${var:offset:len}, ${var[idx]}.
func (c *Call) expand(s string) string {
	if c.Var("app_disable_expand_variables") == "true" {
		return s
	}
	return expander{lookup: c.Var, s: c.s}.expand(s)
}

// expander expands ${name} with lookup and $${name} with the globals.
type expander struct {
	lookup func(name string) string
	s      *Server
}

func (e expander) expand(s string) string {
	if !needsExpand(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		i = e.expandAt(&b, s, i)
	}
	return b.String()
}

// needsExpand is switch_string_var_check_const || switch_string_has_escaped_data.
func needsExpand(s string) bool {
	if strings.Contains(s, "${") {
		return true
	}
	for i := strings.IndexByte(s, '\\'); i >= 0 && i+1 < len(s); {
		if strings.IndexByte(`\nst'`, s[i+1]) >= 0 {
			return true
		}
		j := strings.IndexByte(s[i+1:], '\\')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// expandAt writes the expansion of what starts at s[i] and returns the
// index of the last byte consumed.
func (e expander) expandAt(b *strings.Builder, s string, i int) int {
	next := func(k int) byte {
		if k < len(s) {
			return s[k]
		}
		return 0
	}
	switch {
	case s[i] == '\\' && next(i+1) == '$':
		b.WriteByte('$')
		if next(i+2) == '$' {
			return i + 2
		}
		return i + 1
	case s[i] == '\\' && next(i+1) == '\'':
		return i + 1
	case s[i] == '\\' && next(i+1) == '\\':
		b.WriteByte('\\')
		return i + 1
	case s[i] == '$' && next(i+1) == '{':
		return e.expandVar(b, s, i+1, false)
	case s[i] == '$' && next(i+1) == '$' && next(i+2) == '{':
		return e.expandVar(b, s, i+2, true)
	case s[i] == '$' && next(i+1) == '$':
		b.WriteByte('$')
		return i + 1
	}
	b.WriteByte(s[i])
	return i
}

// expandVar writes the value of the variable whose "{" is at s[open] and
// returns the index of its closing brace.
func (e expander) expandVar(b *strings.Builder, s string, open int, global bool) int {
	end, depth := len(s), 0
	for k := open; k < len(s); k++ {
		if s[k] == '{' {
			depth++
		} else if s[k] == '}' {
			if depth--; depth == 0 {
				end = k
				break
			}
		}
	}
	name := e.expand(s[open+1 : min(end, len(s))])
	if global {
		v, _ := e.s.globalVar(name)
		b.WriteString(v)
	} else {
		b.WriteString(e.lookup(name))
	}
	return end
}
