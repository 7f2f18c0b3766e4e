package esltest

import (
	"strings"
)

// cmdEvent: "event [plain|json|xml] NAMES... [CUSTOM sub...]".
func (c *Conn) cmdEvent(cmd Command) {
	toks := strings.Fields(cmd.Arg())
	c.mu.Lock()
	if len(toks) > 0 {
		if f, ok := parseFormat(toks[0]); ok {
			c.format = f
			toks = toks[1:]
		}
	}
	n := c.subs.add(toks)
	format := c.format
	c.mu.Unlock()
	if n == 0 {
		c.reply("-ERR no keywords supplied")
		return
	}
	c.reply("+OK event listener enabled " + format.String())
	c.armPark()
}

func (c *Conn) cmdNixevent(cmd Command) {
	c.mu.Lock()
	n := c.subs.remove(strings.Fields(cmd.Arg()))
	c.mu.Unlock()
	if n == 0 {
		c.reply("-ERR no keywords supplied")
		return
	}
	c.reply("+OK events nixed")
}

func (c *Conn) cmdNoevents(Command) {
	c.mu.Lock()
	was := !c.subs.empty()
	c.subs.reset()
	c.events = nil
	c.mu.Unlock()
	if !was {
		c.reply("-ERR not listening for events")
		return
	}
	c.reply("+OK no longer listening for events")
}

// cmdFilter: "filter [add] H v", "filter delete H [v]", "filter delete all".
func (c *Conn) cmdFilter(cmd Command) {
	arg := cmd.Arg()
	if rest, ok := cutWord(arg, "delete"); ok {
		h, v, _ := strings.Cut(rest, " ")
		c.mu.Lock()
		c.filters = deleteFilters(c.filters, h, v)
		c.mu.Unlock()
		c.reply("+OK filter deleted. [" + h + "][" + v + "]")
		return
	}
	if rest, ok := cutWord(arg, "add"); ok {
		arg = rest
	}
	h, v, _ := strings.Cut(arg, " ")
	if h == "" || v == "" {
		c.reply("-ERR invalid syntax")
		return
	}
	c.mu.Lock()
	c.filters = append(c.filters, newFilter(h, v))
	c.mu.Unlock()
	c.reply("+OK filter added. [" + h + "]=[" + v + "]")
}

// cutWord strips a leading keyword (case-insensitive) and spaces.
func cutWord(s, word string) (string, bool) {
	if len(s) < len(word) || !strings.EqualFold(s[:len(word)], word) {
		return s, false
	}
	rest := s[len(word):]
	if rest != "" && rest[0] != ' ' {
		return s, false
	}
	return strings.TrimSpace(rest), true
}

// cmdLog: "log [level]"; levels are numbers 0-7 or names.
func (c *Conn) cmdLog(cmd Command) {
	arg := strings.TrimSpace(cmd.Line[3:])
	lvl, ok := logLevel(arg)
	if !ok {
		c.reply("-ERR invalid log level")
		return
	}
	c.mu.Lock()
	c.logLevel = lvl
	c.mu.Unlock()
	c.reply("+OK log level " + arg + " [" + itoa(lvl) + "]")
}

var logLevels = []string{"console", "alert", "crit", "err", "warning", "notice", "info", "debug"}

func logLevel(s string) (int, bool) {
	if s == "" {
		return 7, true
	}
	for i, n := range logLevels {
		if strings.EqualFold(s, n) || s == itoa(i) {
			return i, true
		}
	}
	return 0, false
}

func (c *Conn) cmdNolog(Command) {
	c.mu.Lock()
	was := c.logLevel >= 0
	c.logLevel = -1
	c.mu.Unlock()
	if !was {
		c.reply("-ERR not loging")
		return
	}
	c.reply("+OK no longer logging")
}

// Log sends a log/data line to every connection logging at level or above
// (0 = console ... 7 = debug).
func (s *Server) Log(level int, text string) {
	s.mu.Lock()
	conns := s.connList()
	s.mu.Unlock()
	for _, c := range conns {
		c.mu.Lock()
		ok := c.authed && c.logLevel >= level
		c.mu.Unlock()
		if ok {
			c.queueEvent(outItem{raw: logFrame(level, text)})
		}
	}
}
