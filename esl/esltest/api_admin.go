package esltest

import (
	"fmt"
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// apiReloadxml is "reloadxml": there is no XML to reload; it fires
// RELOADXML and answers as FreeSWITCH does.
func (s *Server) apiReloadxml(string) string {
	s.emit("RELOADXML", func(*esl.Event) {})
	return "+OK [Success]\n"
}

// sofiaLine is mod_sofia's status separator.
var sofiaLine = strings.Repeat("=", 97)

// apiSofia answers "sofia status" with the two profiles of FreeSWITCH's
// default configuration, running, with no gateways. Other sofia commands
// are not modelled.
func (s *Server) apiSofia(args string) string {
	if strings.TrimSpace(args) != "status" {
		return "-ERR the simulator models `sofia status` only (script other replies)\n"
	}
	row := func(name, typ, data, state string) string {
		return fmt.Sprintf("%25s\t%s\t  %40s\t%s\n", name, typ, data, state)
	}
	return row("Name", "   Type", "Data", "State") + sofiaLine + "\n" +
		row("external", "profile", "sip:mod_sofia@127.0.0.1:5080", "RUNNING (0)") +
		row("internal", "profile", "sip:mod_sofia@127.0.0.1:5060", "RUNNING (0)") +
		sofiaLine + "\n2 profiles 0 aliases\n"
}

// channelsText is "show channels": the columns of FreeSWITCH's channels
// table, comma-separated, a row per live call, then "N total.".
func (s *Server) channelsText() string {
	var b strings.Builder
	n := 0
	for _, c := range s.Calls() {
		if !c.Up() {
			continue
		}
		cols := c.channelCols()
		if n == 0 {
			b.WriteString(joinEvery(cols, 0) + "\n")
		}
		b.WriteString(joinEvery(cols, 1) + "\n")
		n++
	}
	return b.String() + "\n" + itoa(n) + " total.\n"
}

// joinEvery joins cols[from], cols[from+2], ... with commas.
func joinEvery(cols []string, from int) string {
	var out []string
	for i := from; i < len(cols); i += 2 {
		out = append(out, cols[i])
	}
	return strings.Join(out, ",")
}
