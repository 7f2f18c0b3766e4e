package host

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// channelRow is one row of "show channels as json" (FreeSWITCH's channels
// table: every value a string).
type channelRow map[string]string

// channelHeaders maps columns of the channels table to the event headers
// a gap event carries, named as FreeSWITCH names them in channel events.
var channelHeaders = []struct{ col, header string }{
	{"name", "Channel-Name"},
	{"state", "Channel-State"},
	{"callstate", "Channel-Call-State"},
	{"direction", "Call-Direction"},
	{"cid_name", "Caller-Caller-ID-Name"},
	{"cid_num", "Caller-Caller-ID-Number"},
	{"dest", "Caller-Destination-Number"},
	{"context", "Caller-Context"},
	{"application", "variable_current_application"},
	{"application_data", "variable_current_application_data"},
	{"hostname", "FreeSWITCH-Hostname"},
}

// parseChannels reads "show channels as json": {"row_count": N, "rows":
// [...]}, or {"row_count": 0} without rows.
func parseChannels(out string) ([]channelRow, error) {
	var v struct {
		RowCount *int         `json:"row_count"`
		Rows     []channelRow `json:"rows"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &v); err != nil || v.RowCount == nil {
		return nil, fmt.Errorf("host: show channels as json: unexpected reply %.80q", out)
	}
	rows := v.Rows[:0]
	for _, r := range v.Rows {
		if r["uuid"] != "" {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// gapEvent is the row's EventGap with the channel's state as headers.
func (r channelRow) gapEvent(node string, start, end time.Time) *esl.Event {
	ev := GapEvent(EventGap, node, r["uuid"], "reconnect", start, end)
	for _, m := range channelHeaders {
		if v := r[m.col]; v != "" {
			ev.Add(m.header, v)
		}
	}
	return ev
}
