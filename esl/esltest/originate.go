package esltest

import (
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// dialRule makes originate/bridge to matching dial strings fail.
type dialRule struct{ substr, cause string }

// FailDial makes originate and bridge fail with cause (for example
// "USER_BUSY" or "NO_ROUTE_DESTINATION") when the dial string contains
// substr. Later rules win.
func (s *Server) FailDial(substr, cause string) {
	s.mu.Lock()
	s.dialFail = append(s.dialFail, dialRule{substr, cause})
	s.mu.Unlock()
}

// dialFailure returns why a dial string fails ("" if it is reached): the
// cause of a matching FailDial rule, the cause named by an error/CAUSE
// endpoint, or CHAN_NOT_IMPLEMENTED for an endpoint module FreeSWITCH
// does not have.
func (s *Server) dialFailure(dial string) string {
	s.mu.Lock()
	for i := len(s.dialFail) - 1; i >= 0; i-- {
		if strings.Contains(dial, s.dialFail[i].substr) {
			s.mu.Unlock()
			return s.dialFail[i].cause
		}
	}
	s.mu.Unlock()
	tech, rest, _ := strings.Cut(stripDialVars(dial), "/")
	switch strings.ToLower(tech) {
	case "error":
		return strings.ToUpper(rest)
	case "loopback", "sofia", "user", "group", "null", "verto", "freetdm", "skinny", "rtc":
		return ""
	}
	return "CHAN_NOT_IMPLEMENTED"
}

// stripDialVars drops leading {...}, <...> and [...] variable blocks.
func stripDialVars(dial string) string {
	for len(dial) > 0 {
		end := map[byte]byte{'{': '}', '<': '>', '[': ']'}[dial[0]]
		i := strings.IndexByte(dial, end)
		if end == 0 || i < 0 {
			return dial
		}
		dial = dial[i+1:]
	}
	return dial
}

// dialVars parses the {k=v,...} block of a dial string as
// switch_event_create_brackets does: entries split on commas like
// switch_separate_string (single quotes group, \, escapes a comma), values
// unquoted.
func dialVars(block string) map[string]string {
	vars := map[string]string{}
	for _, kv := range esl.SeparateString(block, ',', 0) {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[strings.TrimSpace(k)] = v
		}
	}
	return vars
}

// originateReq is a parsed originate command line.
type originateReq struct {
	vars     map[string]string
	dial     string
	app, arg string // "&app(arg)"; app "" means extension
	exten    string
}

func parseOriginate(args string) (originateReq, bool) {
	r := originateReq{vars: map[string]string{}}
	args = strings.TrimSpace(args)
	if strings.HasPrefix(args, "{") {
		end := strings.IndexByte(args, '}')
		if end < 0 {
			return r, false
		}
		r.vars = dialVars(args[1:end])
		args = args[end+1:]
	}
	r.dial, args, _ = strings.Cut(args, " ")
	// The rest splits like switch_separate_string: an application whose
	// argument has blanks is quoted ('&socket(addr async full)').
	target := esl.SeparateString(strings.TrimSpace(args), ' ', 0)
	if r.dial == "" || len(target) == 0 || target[0] == "" {
		return r, false
	}
	if app, ok := strings.CutPrefix(target[0], "&"); ok {
		name, arg, _ := strings.Cut(app, "(")
		if i := strings.LastIndexByte(arg, ')'); i >= 0 {
			arg = arg[:i]
		}
		r.app, r.arg = name, arg
	} else {
		r.exten = target[0]
	}
	return r, true
}

// apiOriginate creates an answered outbound call and runs its target.
func (s *Server) apiOriginate(args string) string {
	r, ok := parseOriginate(args)
	if !ok {
		return "-USAGE: <call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]\n"
	}
	if cause := s.dialFailure(r.dial); cause != "" {
		return "-ERR " + cause + "\n"
	}
	c := s.newCall(r.callOptions())
	c.setStateQuiet("CS_NONE", 13)
	s.emitChannel(c, "CHANNEL_OUTGOING", nil)
	c.setState("CS_INIT", 1)
	s.emitChannel(c, "CHANNEL_CREATE", nil)
	s.emitChannel(c, "CHANNEL_ORIGINATE", nil)
	c.setState("CS_ROUTING", 2)
	c.setState("CS_CONSUME_MEDIA", 7)
	c.Answer()
	c.setState("CS_EXECUTE", 4)
	if r.app == "" {
		c.park()
	} else {
		c.enqueue(&message{command: "extension", app: r.app, arg: r.arg, inline: true})
	}
	return "+OK " + c.uuid + "\n"
}

func (r originateReq) callOptions() CallOptions {
	dest := r.exten
	if parts := strings.Split(stripDialVars(r.dial), "/"); dest == "" && len(parts) > 2 && parts[0] == "loopback" {
		dest = parts[1] // loopback/EXT/CONTEXT
	} else if dest == "" {
		dest = r.dial[strings.LastIndexByte(r.dial, '/')+1:]
		dest, _, _ = strings.Cut(dest, "@")
	}
	vars := map[string]string{}
	for k, v := range r.vars {
		vars[k] = v
	}
	return CallOptions{
		UUID:           r.vars["origination_uuid"],
		CallerIDNumber: r.vars["origination_caller_id_number"],
		CallerIDName:   r.vars["origination_caller_id_name"],
		Destination:    dest,
		ChannelName:    r.dial,
		Direction:      "outbound",
		Variables:      vars,
	}
}
