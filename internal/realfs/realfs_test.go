package realfs

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// The instance starts, answers api commands with its version and runs a
// call through its dialplan, whose events a subscriber sees.
func TestStartAndCall(t *testing.T) {
	fs := Start(t)
	if v := fs.MustAPI(t, "version"); !strings.Contains(v, Version) {
		t.Fatalf("version = %q, want %s", v, Version)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	evs, err := fs.client.Subscribe(ctx, "CHANNEL_HANGUP_COMPLETE")
	if err != nil {
		t.Fatal(err)
	}
	out := fs.MustAPI(t, "originate loopback/busy/default &park")
	if !strings.Contains(out, "USER_BUSY") {
		t.Fatalf("originate to busy = %q", out)
	}
	for ev := range evs {
		if strings.HasPrefix(ev.Get("Channel-Name"), "loopback/busy-b") {
			if c := ev.Get("Hangup-Cause"); c != "USER_BUSY" {
				t.Fatalf("b-leg cause %q", c)
			}
			return
		}
	}
	t.Fatal("no CHANNEL_HANGUP_COMPLETE of the b-leg")
}

// A call to the tone extension: the recorder finds its b-leg's apps, its
// hangup, and the channels count returns to zero.
func TestRecorder(t *testing.T) {
	fs := Start(t)
	rec := fs.Record(t)
	a := fs.Originate(t, "tone", map[string]string{"origination_caller_id_number": "1234"})
	hc := rec.Hangup(t, a, 10*time.Second)
	if hc.Get("Caller-Caller-ID-Number") != "1234" {
		t.Errorf("caller id %q", hc.Get("Caller-Caller-ID-Number"))
	}
	got := strings.Join(rec.Apps(a), " ")
	if want := "answer() playback(tone_stream://%(200,100,440);loops=5) hangup()"; got != want {
		t.Errorf("apps = %s, want %s", got, want)
	}
}
