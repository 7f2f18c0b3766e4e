package esltest

import "strconv"

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

// Var returns a variable as uuid_getvar resolves it: scoped variables of
// the running applications, channel variables, then caller-profile fields,
// then globals; "" if unset.
func (c *Call) Var(name string) string {
	v, _ := c.lookupVar(name)
	return v
}

func (c *Call) lookupVar(name string) (string, bool) {
	c.mu.Lock()
	v, ok := c.scopeVar(name)
	if !ok {
		v, ok = c.vars[name]
	}
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
