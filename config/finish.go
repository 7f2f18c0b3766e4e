package config

import (
	"net"
	"strings"
)

// finish applies the single-node and single-listener overrides, then the
// per-item defaults the YAML layer cannot express.
func (c *Config) finish() {
	c.applyNodeOverride()
	c.applyListenerOverride()
	for i := range c.Nodes {
		c.Nodes[i].setDefaults()
	}
	for i := range c.Listeners {
		c.Listeners[i].setDefaults()
	}
	c.Scripts.setDefaults()
	c.KV.setDefaults()
	c.Fleet.setDefaults()
	c.Log.Level = orString(strings.ToLower(c.Log.Level), DefaultLogLevel)
	c.Log.Format = orString(strings.ToLower(c.Log.Format), DefaultLogFormat)
	if strings.EqualFold(c.Admin.Address, AdminOff) {
		c.Admin.Address = ""
	}
	if len(c.Admin.Allow) == 0 {
		c.Admin.Allow = []string{defaultAllowLoopback4, defaultAllowLoopback6}
	}
	if c.Drain.Timeout == 0 {
		c.Drain.Timeout = DefaultDrainTimeout
	}
	c.Drain.Cause = orString(c.Drain.Cause, DefaultDrainCause)
}

// applyNodeOverride applies --fs-* to node "default", creating it when
// --fs-address is set. Password settings alone do not create a node.
func (c *Config) applyNodeOverride() {
	o := c.override
	n := c.node(DefaultNodeName)
	if n == nil && o.address == "" {
		return
	}
	if n == nil {
		c.Nodes = append(c.Nodes, Node{Name: DefaultNodeName})
		n = &c.Nodes[len(c.Nodes)-1]
	}
	n.Address = orString(o.address, n.Address)
	n.User = orString(o.user, n.User)
	n.EventFormat = orString(o.eventFormat, n.EventFormat)
	if o.password != "" {
		n.Password, n.PasswordEnv, n.PasswordFile = o.password, "", ""
	} else if o.passwordFile != "" {
		n.Password, n.PasswordEnv, n.PasswordFile = "", "", o.passwordFile
	}
}

// applyListenerOverride applies --listen/--script to listener "default",
// creating it when either is set.
func (c *Config) applyListenerOverride() {
	o := c.listen
	if o.address == "" && o.script == "" {
		return
	}
	l := c.listener(DefaultListenerName)
	if l == nil {
		c.Listeners = append(c.Listeners, Listener{Name: DefaultListenerName})
		l = &c.Listeners[len(c.Listeners)-1]
	}
	l.Address = orString(o.address, l.Address)
	l.Script = orString(o.script, l.Script)
}

func (c *Config) node(name string) *Node {
	for i := range c.Nodes {
		if c.Nodes[i].Name == name {
			return &c.Nodes[i]
		}
	}
	return nil
}

func (c *Config) listener(name string) *Listener {
	for i := range c.Listeners {
		if c.Listeners[i].Name == name {
			return &c.Listeners[i]
		}
	}
	return nil
}

func (n *Node) setDefaults() {
	if n.Password == "" && n.PasswordEnv == "" && n.PasswordFile == "" {
		n.PasswordEnv = DefaultPasswordEnv
	}
	if n.Reconnect == nil {
		on := true
		n.Reconnect = &on
	}
	n.EventFormat = orString(strings.ToLower(n.EventFormat), EventFormatPlain)
}

func (l *Listener) setDefaults() {
	l.Address = listenAddress(l.Address)
	if l.MaxCalls == 0 {
		l.MaxCalls = DefaultMaxCalls
	}
	if len(l.Allow) == 0 {
		l.Allow = []string{defaultAllowLoopback4, defaultAllowLoopback6}
	}
}

// listenAddress fills in the defaults: "" -> 127.0.0.1:8084, "8084" and
// ":8084" -> 127.0.0.1:8084.
func listenAddress(a string) string {
	switch {
	case a == "":
		return DefaultListenAddress
	case !strings.Contains(a, ":"):
		return net.JoinHostPort(DefaultListenHost, a)
	case strings.HasPrefix(a, ":"):
		return DefaultListenHost + a
	}
	return a
}

func (s *Scripts) setDefaults() {
	s.Dir = orString(s.Dir, DefaultScriptsDir)
	if s.HandlerBudget == 0 {
		s.HandlerBudget = DefaultHandlerBudget
	}
	if s.SessionBudget == 0 {
		s.SessionBudget = DefaultSessionBudget
	}
	s.setLimitDefaults()
}

func orString(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
