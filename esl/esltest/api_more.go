package esltest

import (
	"strconv"
	"strings"
	"time"
)

// apiEval is "eval [uuid:<uuid> ]<string>": the string expanded as
// switch_event_expand_headers does on the call's channel data: ${name}
// is a header of that event (Unique-ID, variable_x...), else a global
// variable; $${name} is a global.
func (s *Server) apiEval(args string) string {
	input := args
	ev := s.NewEvent("CHANNEL_DATA")
	if rest, ok := strings.CutPrefix(args, "uuid:"); ok {
		id, in, _ := strings.Cut(rest, " ")
		input = in
		if c := s.liveCall(id); c != nil {
			c.addChannelData(ev, true)
		}
	}
	lookup := func(name string) string {
		if v, ok := ev.Lookup(name); ok {
			return v
		}
		v, _ := s.globalVar(name)
		return v
	}
	return expander{lookup: lookup, s: s}.expand(input)
}

// apiMsleep is "msleep <ms>": it waits that long (scaled) and says +OK.
func (s *Server) apiMsleep(args string) string {
	if ms := atoi(args); ms > 0 {
		time.Sleep(s.opts.scale(time.Duration(ms) * time.Millisecond))
	}
	return "+OK"
}

// channelsJSON is "show channels as json": {"row_count": N, "rows":
// [...]} with a row per live call (the main columns of FreeSWITCH's
// channels table), {"row_count": 0} without calls.
func (s *Server) channelsJSON() string {
	var rows []string
	for _, c := range s.Calls() {
		if c.Up() {
			rows = append(rows, c.channelRow())
		}
	}
	if len(rows) == 0 {
		return `{"row_count": 0}` + "\n"
	}
	return `{"row_count": ` + strconv.Itoa(len(rows)) + `, "rows": [` + strings.Join(rows, ", ") + "]}\n"
}

// channelRow is one row of the channels table as a JSON object.
func (c *Call) channelRow() string {
	cols := c.channelCols()
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < len(cols); i += 2 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(cols[i]) + ": " + strconv.Quote(cols[i+1]))
	}
	b.WriteString("}")
	return b.String()
}

// channelCols is the call's row of the channels table: column, value,
// column, value...
func (c *Call) channelCols() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.prof
	return []string{
		"uuid", c.uuid, "direction", c.direction, "created", c.created.Format("2006-01-02 15:04:05"),
		"created_epoch", strconv.FormatInt(c.created.Unix(), 10), "name", p.ChannelName, "state", c.state,
		"cid_name", p.CallerIDName, "cid_num", p.CallerIDNumber, "ip_addr", "", "dest", p.Destination,
		"application", c.vars["current_application"], "application_data", c.vars["current_application_data"],
		"dialplan", "XML", "context", p.Context, "read_codec", "PCMU", "read_rate", "8000",
		"read_bit_rate", "64000", "write_codec", "PCMU", "write_rate", "8000", "write_bit_rate", "64000",
		"secure", "", "hostname", c.s.opts.Hostname, "presence_id", "", "presence_data", "", "accountcode", "",
		"callstate", c.callState, "callee_name", "", "callee_num", "", "callee_direction", "",
		"call_uuid", c.uuid, "sent_callee_name", "", "sent_callee_num", "",
		"initial_cid_name", p.CallerIDName, "initial_cid_num", p.CallerIDNumber, "initial_ip_addr", "",
		"initial_dest", p.Destination, "initial_dialplan", "XML", "initial_context", p.Context,
	}
}
