package conformance

import (
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

func init() {
	scenarios = append(scenarios, scenario{"api/hash-reloadxml-send_dtmf", apiHashReloadSendDTMF})
}

// apiHashReloadSendDTMF: mod_hash's replies, reloadxml, and uuid_send_dtmf
// on a live and on an unknown channel.
func apiHashReloadSendDTMF(t *testing.T, tg target, tr *trace) {
	c := tg.Client(t)
	realm := realfs.NewUUID()
	tr.Redact(realm, "REALM")
	for _, cmd := range []string{"insert/" + realm + "/k/v/1", "select/" + realm + "/k", "insert_ifempty/" + realm + "/k/x",
		"delete_ifmatch/" + realm + "/k/x", "delete_ifmatch/" + realm + "/k/v/1", "delete/" + realm + "/k",
		"select/" + realm + "/k", "insert/" + realm, "bogus/" + realm + "/k"} {
		tr.Add("hash %s: %q", cmd, api(t, c, "hash "+cmd))
	}
	tr.Add("reloadxml: %q", api(t, c, "reloadxml"))
	id := realfs.NewUUID()
	tr.Redact(id, "UUID")
	api(t, c, "originate {origination_uuid="+id+"}"+tg.Dial("park")+" &park")
	tr.Add("send_dtmf: %q", api(t, c, "uuid_send_dtmf "+id+" 12"))
	tr.Add("send_dtmf unknown: %q", api(t, c, "uuid_send_dtmf "+realfs.NewUUID()+" 1"))
	tr.Add("send_dtmf usage: %q", api(t, c, "uuid_send_dtmf "+id))
	tr.Add("kill: %q", api(t, c, "uuid_kill "+id))
}
