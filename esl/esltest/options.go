package esltest

import "time"

// Options configures a simulated FreeSWITCH. The zero value is usable: it
// listens on 127.0.0.1:0 with password "ClueCon" and runs in real time.
type Options struct {
	// Addr is the inbound listen address (default "127.0.0.1:0").
	Addr string
	// Password is the inbound ESL password (default "ClueCon").
	Password string
	// Users enables userauth: "user@domain" -> password.
	Users map[string]string
	// Hostname is FreeSWITCH-Hostname/-Switchname and the `hostname` api
	// output (default "esltest").
	Hostname string
	// RejectACL answers every inbound connection with text/rude-rejection
	// and closes it, like an apply-inbound-acl refusal.
	RejectACL bool
	// TimeScale multiplies every simulated duration (sleep, play_and_get_digits
	// timeouts, silence_stream, linger timeouts). 0 means 1 (real time); tests
	// typically use 0.001.
	TimeScale float64
	// QueueLimit is the per-connection event queue capacity (default 100000,
	// as MAX_QUEUE_LEN). When more than 500 events in a row are dropped the
	// connection is killed with "killed listener because of lost events".
	QueueLimit int
	// ParkConsumesDTMF makes a parked, idle call dequeue injected digits
	// (firing DTMF events and losing them) as FreeSWITCH's park does. By
	// default digits stay queued until an application reads them.
	ParkConsumesDTMF bool
	// FileExists, when set, says whether a file an application plays
	// exists (streams such as silence_stream:// always do): playback of a
	// missing file completes at once with FILE NOT FOUND and a digit
	// prompt fails, as in FreeSWITCH. Without it every file exists.
	FileExists func(path string) bool
	// MissingApps are applications the simulated server has not loaded:
	// executing one hangs the call up with DESTINATION_OUT_OF_ORDER and
	// fires no event, as FreeSWITCH does for an unknown application. Any
	// other application without an implementation completes with
	// Application-Response _none_ (see OtherApps).
	MissingApps []string
	// Faults enables fault injection from the start (see SetFaults).
	Faults Faults
	// Logf, when set, receives a line per connection event (never secrets).
	Logf func(format string, args ...any)
}

// Faults are misbehaviours the simulator can inject to exercise client
// error handling. They may be changed at run time with Server.SetFaults.
type Faults struct {
	// CloseAfterCommands closes a connection abruptly (no reply, no notice)
	// right after its Nth command (counting auth) was received. 0 = off.
	CloseAfterCommands int
	// ByteWrites splits every write into 1-byte writes.
	ByteWrites bool
	// CorruptEvents inserts a header with invalid UTF-8 and one with a
	// malformed % escape, raw, into every plain/json event written.
	CorruptEvents bool
}

// DialOptions configures an outbound (socket application) connection.
type DialOptions struct {
	// Async is the socket app's "async" flag: the call is parked and
	// sendmsg is answered at once. Without it sendmsg replies after the
	// application finished.
	Async bool
	// Full is the socket app's "full" flag: api, bgapi, event, linger...
	// are allowed. Without it they get "-ERR command not found".
	Full bool
}

const (
	defaultPassword = "ClueCon"
	defaultHostname = "esltest"
	defaultQueue    = 100000
	maxMissed       = 500
	maxContentLen   = 16 << 20
)

func (o Options) withDefaults() Options {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.Password == "" {
		o.Password = defaultPassword
	}
	if o.Hostname == "" {
		o.Hostname = defaultHostname
	}
	if o.TimeScale <= 0 {
		o.TimeScale = 1
	}
	if o.QueueLimit <= 0 {
		o.QueueLimit = defaultQueue
	}
	return o
}

// scale converts a simulated duration into real time.
func (o Options) scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) * o.TimeScale)
}
