package esltest

import (
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

// setVarLocked sets (or, with "", unsets) a channel variable; c.mu held.
func (c *Call) setVarLocked(name, value string) {
	if value == "" {
		if _, ok := c.vars[name]; ok {
			delete(c.vars, name)
			for i, n := range c.varNames {
				if n == name {
					c.varNames = append(c.varNames[:i:i], c.varNames[i+1:]...)
					break
				}
			}
		}
		return
	}
	if _, ok := c.vars[name]; !ok {
		c.varNames = append(c.varNames, name)
	}
	c.vars[name] = value
}

// SetVar sets a channel variable ("" unsets it), like uuid_setvar.
func (c *Call) SetVar(name, value string) {
	c.mu.Lock()
	c.setVarLocked(name, value)
	c.mu.Unlock()
	c.s.bump()
}

// Var returns a variable as uuid_getvar resolves it: channel variables,
// then caller-profile fields, then globals; "" if unset.
func (c *Call) Var(name string) string {
	v, _ := c.lookupVar(name)
	return v
}

func (c *Call) lookupVar(name string) (string, bool) {
	c.mu.Lock()
	v, ok := c.vars[name]
	if !ok {
		v, ok = c.profileField(name)
	}
	c.mu.Unlock()
	if ok {
		return v, true
	}
	return c.s.globalVar(name)
}

// profileField maps caller-profile variable names; c.mu held.
func (c *Call) profileField(name string) (string, bool) {
	p := c.prof
	m := map[string]string{
		"caller_id_number": p.CallerIDNumber, "caller_id_name": p.CallerIDName,
		"destination_number": p.Destination, "context": p.Context, "ani": p.CallerIDNumber,
		"dialplan": "XML", "source": "mod_sofia", "chan_name": p.ChannelName,
		"uuid": c.uuid, "direction": c.direction, "state": c.state,
	}
	v, ok := m[name]
	return v, ok && v != ""
}

// Vars returns a copy of the channel variables.
func (c *Call) Vars() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]string, len(c.vars))
	for k, v := range c.vars {
		out[k] = v
	}
	return out
}

// expand replaces ${var} and $${global} in app arguments, like
// switch_channel_expand_variables (no nesting, no api calls).
func (c *Call) expand(s string) string {
	if c.Var("app_disable_expand_variables") == "true" || !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		name := s[i+2 : i+j]
		if i > 0 && s[i-1] == '$' {
			v, _ := c.s.globalVar(name)
			b.WriteString(s[:i-1] + v)
		} else {
			b.WriteString(s[:i] + c.Var(name))
		}
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}
