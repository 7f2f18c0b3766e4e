package test

import (
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/internal/realfs"
)

// Real-server tests: the same binary against a real FreeSWITCH 1.10.12
// (internal/realfs starts one per test process; under CI it never skips).
// FreeSWITCH places calls with "originate loopback/sockPORT_SCRIPT/default
// &park": the b-leg runs the socket app against the daemon's listener.

// waitReal bounds the waits of the real-server tests.
const waitReal = 20 * time.Second

// realDaemon is an `eslscript run` connected to a real FreeSWITCH.
type realDaemon struct {
	*proc
	fs   *realfs.FreeSWITCH
	port int // the outbound listener's port (loopback/sockPORT_SCRIPT)
}

// startRealDaemon runs `eslscript run` against fs with an outbound listener
// on a free port whose default script is script, serving dir; extra flags
// follow. It returns once the daemon listens.
func startRealDaemon(t *testing.T, fs *realfs.FreeSWITCH, dir, script string, extra ...string) *realDaemon {
	t.Helper()
	port, err := realfs.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	listen := "127.0.0.1:" + itoa(port)
	args := append([]string{"run", "--fs-address", fs.Addr, "--listen", listen,
		"--script", script, "--scripts", dir, "--log-format", "json"}, extra...)
	p := startBin(t, fs.Password, []string{"ESL_PASSWORD=" + fs.Password}, args...)
	p.waitLog("eslscript: listening", msg("eslscript: listening"))
	return &realDaemon{proc: p, fs: fs, port: port}
}

// call places a loopback call into the daemon's listener running script
// ("" for the listener's default) and returns the a-leg's uuid; the b-leg
// runs the script. vars are set on the call before the socket app.
func (d *realDaemon) call(t *testing.T, script string, vars map[string]string) string {
	t.Helper()
	ext := "sock" + itoa(d.port)
	if script != "" {
		ext += "_" + script
	}
	return d.fs.Originate(t, ext, vars)
}

// waitCallsGone waits until none of the calls (a-leg uuids) has a channel
// left on FreeSWITCH, a-leg or b-leg (uuid_exists; other tests share the
// instance, so a global channel count would not do). It fails the test
// with the survivors' "show channels" rows.
func waitCallsGone(t *testing.T, fs *realfs.FreeSWITCH, rec *realfs.Recorder, calls []string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		var alive []string
		for _, a := range calls {
			for _, id := range []string{a, rec.BLegUUID(a)} {
				if id != "" && strings.TrimSpace(fs.MustAPI(t, "uuid_exists "+id)) == "true" {
					alive = append(alive, id)
				}
			}
		}
		if len(alive) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d channels of %d calls still up after %s: %v\n%s", len(alive), len(calls), limit,
				alive, fs.MustAPI(t, "show channels"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{digits[n%10]}, b...)
	}
	return string(b)
}
