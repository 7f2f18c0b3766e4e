package esltest

import "testing"

// TestPlaybackConsumesQueuedDigits: digits queued before a playback are
// all dequeued by it (as FreeSWITCH's frame loop does), however little real
// time the scaled playback lasts; a terminator among them still stops it.
func TestPlaybackConsumesQueuedDigits(t *testing.T) {
	s := fastSim(t, Options{TimeScale: 1e-9}) // 100 ms of media = 0.1 µs
	c := authed(t, s)
	for _, tc := range []struct{ dtmf, scope, left, term string }{
		{"1234", "%[playback_terminators=none]", "", ""},
		{"5*6", "", "6", "*"},
	} {
		call := s.NewCall(CallOptions{DTMF: tc.dtmf})
		c.send("sendmsg " + call.UUID() + "\ncall-command: execute\nexecute-app-name: playback\n" +
			"execute-app-arg: " + tc.scope + "silence_stream://100")
		c.expectReply("+OK")
		if _, err := call.WaitExecuted(ctxT(t), "playback"); err != nil {
			t.Fatal(err)
		}
		if left, term := call.PendingDTMF(), call.Var("playback_terminator_used"); left != tc.left || term != tc.term {
			t.Errorf("%q: queued %q after the playback, terminator %q; want %q, %q",
				tc.dtmf, left, term, tc.left, tc.term)
		}
	}
}
