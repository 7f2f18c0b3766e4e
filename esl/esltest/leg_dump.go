package esltest

import (
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// apiUUIDDump: "uuid_dump <uuid> [json]" returns the channel's data (the
// headers switch_channel_event_set_data adds, variables included) as a
// CHANNEL_DATA event: a JSON object with "json", else "Name: value"
// lines, values not encoded.
func (s *Server) apiUUIDDump(args string) string {
	a := esl.SeparateString(args, ' ', 3)
	c := s.liveCall(argAt(a, 0))
	if c == nil {
		return "-ERR No such channel!\n"
	}
	ev := s.NewEvent("CHANNEL_DATA")
	c.addChannelData(ev, true)
	if strings.EqualFold(argAt(a, 1), "json") {
		return string(ev.AppendJSON(nil))
	}
	var b strings.Builder
	ev.Range(func(name, value string) bool {
		b.WriteString(name + ": " + value + "\n")
		return true
	})
	return b.String()
}
