package esltest

import (
	"strings"
	"time"
)

// APIFunc implements an api command: it gets the argument string (the rest
// of the line, trimmed) and returns the output. An empty output is sent as
// "-ERR no reply\n", as FreeSWITCH does.
type APIFunc func(args string) string

// HandleAPI installs (or replaces) the handler of an api command.
func (s *Server) HandleAPI(name string, fn APIFunc) {
	s.mu.Lock()
	s.apis[strings.ToLower(name)] = fn
	s.mu.Unlock()
}

// API runs an api command line ("uuid_getvar <uuid> x") the way the
// `api` socket command does and returns the response body.
func (s *Server) API(line string) string {
	out, ok := s.cannedFor(line)
	if !ok {
		cmd, args := splitAPI(line)
		s.mu.Lock()
		fn := s.apis[strings.ToLower(cmd)]
		s.mu.Unlock()
		if fn == nil {
			return "-ERR " + cmd + " Command not found!\n"
		}
		out = fn(args)
	}
	if out == "" {
		return "-ERR no reply\n"
	}
	return out
}

func splitAPI(line string) (cmd, args string) {
	cmd, args, _ = strings.Cut(strings.TrimSpace(line), " ")
	return cmd, strings.TrimSpace(args)
}

// versionShort is FreeSWITCH-Version / the `version` output's version.
const versionShort = "1.10.12-release+git~20240802T210227Z~a88d069d6f~64bit"

const versionLine = "FreeSWITCH Version " + versionShort + " (git a88d069 2024-08-02 21:02:27Z 64bit)\n"

func defaultGlobals(host string) map[string]string {
	return map[string]string{
		"hostname": host, "local_ip_v4": "127.0.0.1", "domain": "127.0.0.1",
		"switch_serial": "esltest", "core_uuid": "",
	}
}

// globalVar reads a global variable.
func (s *Server) globalVar(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.globals[name]
	return v, ok && v != ""
}

// SetGlobal sets a global variable (global_getvar, $${name}).
func (s *Server) SetGlobal(name, value string) {
	s.mu.Lock()
	s.globals[name] = value
	s.mu.Unlock()
}

func uptimeText(d time.Duration) string {
	days := int(d.Hours()) / 24
	return itoa(days/365) + " years, " + itoa(days%365) + " days, " + itoa(int(d.Hours())%24) +
		" hours, " + itoa(int(d.Minutes())%60) + " minutes, " + itoa(int(d.Seconds())%60) +
		" seconds, " + itoa(int(d.Milliseconds())%1000) + " milliseconds, " +
		itoa(int(d.Microseconds())%1000) + " microseconds"
}

// installAPIs registers the default api commands.
func (s *Server) installAPIs() {
	for name, fn := range map[string]APIFunc{
		"status":          s.apiStatus,
		"version":         func(string) string { return versionLine },
		"hostname":        func(string) string { return s.opts.Hostname },
		"uptime":          func(string) string { return itoa(int(time.Since(s.started).Seconds())) },
		"global_getvar":   func(a string) string { v, _ := s.globalVar(a); return v },
		"global_setvar":   s.apiGlobalSetvar,
		"module_exists":   func(string) string { return "true" },
		"show":            s.apiShow,
		"eval":            s.apiEval,
		"msleep":          s.apiMsleep,
		"originate":       s.apiOriginate,
		"uuid_kill":       s.apiUUIDKill,
		"uuid_getvar":     s.apiUUIDGetvar,
		"uuid_setvar":     s.apiUUIDSetvar,
		"uuid_transfer":   s.apiUUIDTransfer,
		"uuid_answer":     s.uuidSimple(func(c *Call, _ []string) { c.Answer() }),
		"uuid_pre_answer": s.uuidSimple(func(c *Call, _ []string) { c.preAnswer() }),
		"uuid_park":       s.uuidSimple(func(c *Call, _ []string) { c.park() }),
		"uuid_bridge":     s.apiUUIDBridge,
		"uuid_dump":       s.apiUUIDDump,
		"uuid_break":      s.uuidSimple(uuidBreak),
		"uuid_fileman":    s.apiUUIDFileman,
		"uuid_exists":     s.apiUUIDExists,
		"uuid_send_dtmf":  s.apiUUIDSendDTMF,
		"hash":            s.apiHash,
		"db":              s.apiDB,
		"reloadxml":       s.apiReloadxml,
		"sofia":           s.apiSofia,
		"uuid_recv_dtmf":  s.apiUUIDRecvDTMF,
		"uuid_flush_dtmf": s.uuidSimple(func(c *Call, _ []string) { c.flushDTMF() }),
	} {
		s.apis[name] = fn
	}
}

func (s *Server) apiStatus(string) string {
	up := time.Since(s.started)
	n := itoa(s.liveCount())
	return "UP " + uptimeText(up) + "\n" +
		"FreeSWITCH (Version 1.10.12-release git a88d069 2024-08-02 21:02:27Z 64bit) is ready\n" +
		itoa(s.sessionCount()) + " session(s) since startup\n" +
		n + " session(s) - peak " + n + ", last 5min " + n + " \n" +
		"0 session(s) per Sec out of max 30, peak 0, last 5min 0 \n" +
		"1000 session(s) max\nmin idle cpu 0.00/99.00\nCurrent Stack Size/Max 240K/8192K\n"
}

func (s *Server) apiGlobalSetvar(args string) string {
	name, value, _ := strings.Cut(args, "=")
	s.SetGlobal(strings.TrimSpace(name), strings.TrimSpace(value))
	return "+OK"
}

// apiShow supports "show calls count", "show channels count", "show
// channels" and "show channels as json".
func (s *Server) apiShow(args string) string {
	f := strings.Fields(args)
	if len(f) == 1 && f[0] == "channels" {
		return s.channelsText()
	}
	if len(f) == 3 && f[0] == "channels" && f[1] == "as" && f[2] == "json" {
		return s.channelsJSON()
	}
	if len(f) == 2 && f[1] == "count" && (f[0] == "calls" || f[0] == "channels") {
		return "\n" + itoa(s.liveCount()) + " total.\n"
	}
	return "-USAGE: show <calls|channels> count\n"
}
