package esltest

import (
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// fileApps are the applications that hold an open file handle while they
// run, so uuid_fileman acts on them.
var fileApps = map[string]bool{"playback": true, "record": true}

// apiUUIDFileman is "uuid_fileman <uuid> <cmd>:<val>": a command for the
// file the channel is playing or recording (switch_ivr_process_fh). The
// simulator accepts every command (Commands records it); "stop" and
// "truncate" end the running playback or record application, whose
// CHANNEL_EXECUTE_COMPLETE then fires as for a finished file. Without a
// running file application the command does nothing, as in FreeSWITCH.
func (s *Server) apiUUIDFileman(args string) string {
	a := esl.SeparateString(args, ' ', 3)
	if len(a) != 2 || a[0] == "" || a[1] == "" {
		return "-USAGE: <uuid> <cmd>:<val>\n"
	}
	c := s.liveCall(a[0])
	if c == nil {
		return noSuchChannel
	}
	switch strings.ToLower(a[1]) {
	case "stop", "truncate":
		if c.runningApp(fileApps) {
			c.breakApp(false)
		}
	}
	return "+OK\n"
}

// runningApp reports whether the application running now (started, not
// completed) is one of apps.
func (c *Call) runningApp(apps map[string]bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.executed) - 1; i >= 0; i-- {
		if e := c.executed[i]; !e.Done {
			return apps[e.App]
		}
	}
	return false
}
