package conformance

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/internal/realfs"
)

func init() {
	scenarios = append(scenarios, scenario{"api/show-channels-json", apiShowChannelsJSON})
}

// apiShowChannelsJSON: "show channels as json" lists a parked call's
// channel with the channels table's columns, in FreeSWITCH's order, and
// its state once it is parked (what a client resynchronising after a
// reconnect reads).
func apiShowChannelsJSON(t *testing.T, tg target, tr *trace) {
	c := tg.Client(t)
	id := realfs.NewUUID()
	tr.Redact(id, "UUID")
	api(t, c, "originate {origination_uuid="+id+"}"+tg.Dial("park")+" &park")
	defer api(t, c, "uuid_kill "+id)
	tg.Watch().Wait(t, "the call's park", func(ev *esl.Event) bool {
		return ev.Name() == "CHANNEL_PARK" && ev.UniqueID() == id
	})
	// FreeSWITCH writes the channels table a moment after the channel
	// exists.
	var row []string
	for deadline := time.Now().Add(limit); row == nil && time.Now().Before(deadline); {
		row = channelRow(t, api(t, c, "show channels as json"), id)
		if row == nil {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if row == nil {
		t.Fatalf("show channels as json never listed %s", id)
	}
	var cols []string
	vals := map[string]string{}
	for i := 0; i+1 < len(row); i += 2 {
		cols = append(cols, row[i])
		vals[row[i]] = row[i+1]
	}
	tr.Add("columns: %s", strings.Join(cols, ","))
	for _, k := range []string{"uuid", "direction", "state", "callstate", "application"} {
		tr.Add("%s: %s", k, vals[k])
	}
}

// channelRow returns the row of uuid in a "show channels as json" reply
// as column, value pairs in the reply's order (nil when absent).
func channelRow(t *testing.T, out, uuid string) []string {
	t.Helper()
	var v struct {
		Rows []json.RawMessage `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("show channels as json: %v: %q", err, out)
	}
	for _, raw := range v.Rows {
		pairs := orderedPairs(t, raw)
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i] == "uuid" && pairs[i+1] == uuid {
				return pairs
			}
		}
	}
	return nil
}

// orderedPairs reads a flat JSON object of strings as key, value pairs in
// order.
func orderedPairs(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	var out []string
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		if s, ok := tok.(string); ok {
			out = append(out, s)
		}
	}
}
