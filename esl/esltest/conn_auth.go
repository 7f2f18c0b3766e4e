package esltest

import "strings"

// dispatchAuth handles the unauthenticated state: only auth and userauth.
func (c *Conn) dispatchAuth(cmd Command, lower string) bool {
	switch {
	case strings.HasPrefix(lower, "auth "):
		return c.cmdAuth(strings.TrimPrefix(cmd.Line, cmd.Line[:5]))
	case strings.HasPrefix(lower, "userauth "):
		return c.cmdUserauth(strings.TrimSpace(cmd.Line[9:]))
	}
	c.reply("-ERR command not found")
	return true
}

// cmdAuth compares the rest of the line exactly, like strcmp.
func (c *Conn) cmdAuth(pw string) bool {
	if pw != c.s.opts.Password {
		c.s.logf("esltest: conn %d: auth refused", c.id)
		c.reply("-ERR invalid")
		c.closeNormally()
		return false
	}
	c.setAuthed()
	c.reply("+OK accepted")
	return true
}

// cmdUserauth accepts "user@domain:pass" and "user:pass@domain".
func (c *Conn) cmdUserauth(arg string) bool {
	user, pass, ok := splitUserauth(arg)
	want, known := c.s.opts.Users[user]
	if !ok || !known || want != pass {
		c.reply("-ERR invalid")
		c.closeNormally()
		return false
	}
	c.setAuthed()
	c.queueReply([]byte("Content-Type: command/reply\nReply-Text: +OK accepted\n" +
		"Allowed-Events: all\nAllowed-API: all\nAllowed-LOG: true\n\n"))
	return true
}

func splitUserauth(arg string) (user, pass string, ok bool) {
	at := strings.IndexByte(arg, '@')
	colon := strings.IndexByte(arg, ':')
	if at < 0 || colon < 0 {
		return "", "", false
	}
	if colon > at { // user@domain:pass
		return arg[:colon], arg[colon+1:], true
	}
	// user:pass@domain
	return arg[:colon] + arg[at:], arg[colon+1 : at], true
}

func (c *Conn) setAuthed() {
	c.mu.Lock()
	c.authed = true
	c.mu.Unlock()
	c.s.bump()
}
