package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

var causeRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// Validate checks every setting and fills the parsed allow lists. It
// returns all problems joined, each an *Error naming its key.
func (c *Config) Validate() error {
	var errs []error
	add := func(e *Error) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	c.validateNodes(add)
	c.validateListeners(add)
	c.validateScripts(add)
	add(oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error"))
	add(oneOf("log.format", c.Log.Format, "text", "json"))
	c.validateAdmin(add)
	c.validateKV(add)
	c.validateFleet(add)
	add(positive("drain.timeout", c.Drain.Timeout.Seconds()))
	if !causeRE.MatchString(c.Drain.Cause) {
		add(errorf("drain.cause", "%q is not a hangup cause (like SYSTEM_SHUTDOWN)", c.Drain.Cause))
	}
	return errors.Join(errs...)
}

func (c *Config) validateNodes(add func(*Error)) {
	seen := map[string]bool{}
	for i, n := range c.Nodes {
		key := fmt.Sprintf("nodes[%d]", i)
		add(name(key, n.Name, seen))
		add(address(key+".address", n.Address, false))
		add(oneOf(key+".event_format", n.EventFormat, EventFormatPlain, EventFormatJSON))
		set := 0
		for _, s := range []string{string(n.Password), n.PasswordEnv, n.PasswordFile} {
			if s != "" {
				set++
			}
		}
		if set > 1 {
			add(errorf(key, "set only one of password, password_env and password_file"))
		}
	}
}

func (c *Config) validateListeners(add func(*Error)) {
	seen := map[string]bool{}
	for i := range c.Listeners {
		l := &c.Listeners[i]
		key := fmt.Sprintf("listeners[%d]", i)
		add(name(key, l.Name, seen))
		add(address(key+".address", l.Address, true))
		if l.Script == "" {
			add(errorf(key+".script", "required (the default script for calls without eslscript_script)"))
		}
		if l.MaxCalls < 0 {
			add(errorf(key+".max_calls", "must not be negative"))
		}
		var e *Error
		l.Prefixes, e = prefixes(key+".allow", l.Allow)
		add(e)
	}
}

func (c *Config) validateScripts(add func(*Error)) {
	if c.Scripts.Dir == "" {
		add(errorf("scripts.dir", "required"))
	}
	add(positive("scripts.handler_budget", c.Scripts.HandlerBudget.Seconds()))
	add(positive("scripts.session_budget", c.Scripts.SessionBudget.Seconds()))
	c.Scripts.validateLimits(add)
	validateSandboxDirs(c.Scripts.SandboxDirs, add)
}

func (c *Config) validateAdmin(add func(*Error)) {
	if c.Admin.Address != "" {
		add(address("admin.address", c.Admin.Address, true))
	}
	var e *Error
	c.Admin.Prefixes, e = prefixes("admin.allow", c.Admin.Allow)
	add(e)
}

// name checks that a list item has a unique name.
func name(key, n string, seen map[string]bool) *Error {
	switch {
	case n == "":
		return errorf(key+".name", "required")
	case seen[n]:
		return errorf(key+".name", "duplicate name %q", n)
	}
	seen[n] = true
	return nil
}

// address checks host:port; port 0 (any free port) only if zeroOK.
func address(key, a string, zeroOK bool) *Error {
	if a == "" {
		return errorf(key, "required (host:port)")
	}
	_, port, err := net.SplitHostPort(a)
	if err != nil {
		return errorf(key, "%q is not host:port", a)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil || (p == 0 && !zeroOK) {
		return errorf(key, "%q: invalid port %q", a, port)
	}
	return nil
}

// prefixes parses CIDRs; a bare IP means that one address.
func prefixes(key string, list []string) ([]netip.Prefix, *Error) {
	out := make([]netip.Prefix, 0, len(list))
	for i, s := range list {
		p, err := parsePrefix(s)
		if err != nil {
			return nil, errorf(fmt.Sprintf("%s[%d]", key, i), "%q is not a CIDR prefix or IP address", s)
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	return p.Masked(), err
}

func oneOf(key, v string, allowed ...string) *Error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return errorf(key, "%q is not one of %s", v, strings.Join(allowed, ", "))
}

func positive(key string, v float64) *Error {
	if v <= 0 {
		return errorf(key, "must be a positive duration")
	}
	return nil
}
