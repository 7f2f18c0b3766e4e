package conformance

import (
	"testing"

	"github.com/eslscript/eslscript/esl"
)

func init() {
	scenarios = append(scenarios,
		scenario{"apps/playback-missing-file", appsPlaybackMissing},
		scenario{"apps/response-is-per-application", appsResponsePerApp},
		scenario{"apps/read-with-digits", appsReadDigits},
		scenario{"apps/read-timeout", appsReadTimeout},
		scenario{"apps/play_and_get_digits-with-digits", appsPAGDDigits},
		scenario{"apps/uuid_break-playback", appsBreakPlayback},
	)
}

// runDigits executes app, and once it started sends digits to the channel
// (digits queued before would be eaten by the park on FreeSWITCH).
func runDigits(s *sock, tr *trace, app, arg, digits string) *esl.Event {
	tr.Add("%s: %s", app, s.Send(esl.Execute{App: app, Arg: arg}))
	evs := only(s.Until(named("CHANNEL_EXECUTE")), legEvents...)
	tr.Add("recv_dtmf: %s", s.Send(esl.API{Command: "uuid_recv_dtmf " + s.uuid + " " + digits}))
	evs = append(evs, only(s.Until(completes(app)), legEvents...)...)
	for _, ev := range evs {
		tr.Add("socket: %s", describeApp(ev))
	}
	return evs[len(evs)-1]
}

// run executes app on the socket and records its completion and the
// events in between.
func run(s *sock, tr *trace, app, arg string) *esl.Event {
	tr.Add("%s: %s", app, s.Send(esl.Execute{App: app, Arg: arg}))
	evs := only(s.Until(completes(app)), legEvents...)
	for _, ev := range evs {
		tr.Add("socket: %s", describeApp(ev))
	}
	return evs[len(evs)-1]
}

// hangup ends the call from the socket and waits for its end.
func hangup(s *sock) {
	s.Send(esl.Hangup{})
	s.Until(named("CHANNEL_HANGUP_COMPLETE"))
}

// appsPlaybackMissing: a file that does not exist completes at once with
// FILE NOT FOUND.
func appsPlaybackMissing(t *testing.T, tg target, tr *trace) {
	s, _ := answered(t, tg, tr)
	done := run(s, tr, "playback", "/nonexistent/eslscript-missing.wav")
	tr.Add("terminator=%q", done.Var("playback_terminator_used"))
	hangup(s)
}

// appsResponsePerApp: current_application_response is cleared when an
// application starts: a set after a playback reports _none_.
func appsResponsePerApp(t *testing.T, tg target, tr *trace) {
	s, _ := answered(t, tg, tr)
	run(s, tr, "playback", "silence_stream://20")
	run(s, tr, "set", "x=1")
	hangup(s)
}

// appsReadDigits: read collects digits queued on the channel up to the
// terminator and reports read_result.
func appsReadDigits(t *testing.T, tg target, tr *trace) {
	s, _ := answered(t, tg, tr)
	done := runDigits(s, tr, "read", "1 4 silence_stream://3000 my_read 3000 #", "12#")
	tr.Add("my_read=%q read_result=%q terminator=%q", done.Var("my_read"), done.Var("read_result"),
		done.Var("read_terminator_used"))
	hangup(s)
}

// appsReadTimeout: read without digits times out.
func appsReadTimeout(t *testing.T, tg target, tr *trace) {
	s, _ := answered(t, tg, tr)
	done := run(s, tr, "read", "1 4 silence_stream://20 my_read 1000 #")
	tr.Add("my_read=%q read_result=%q terminator=%q", done.Var("my_read"), done.Var("read_result"),
		done.Var("read_terminator_used"))
	hangup(s)
}

// appsPAGDDigits: play_and_get_digits with digits queued.
func appsPAGDDigits(t *testing.T, tg target, tr *trace) {
	s, _ := answered(t, tg, tr)
	done := runDigits(s, tr, "play_and_get_digits", "1 4 1 3000 # silence_stream://3000 silence_stream://10 my_digits \\d+", "42#")
	tr.Add("my_digits=%q read_result=%q terminator=%q", done.Var("my_digits"), done.Var("read_result"),
		done.Var("read_terminator_used"))
	hangup(s)
}

// appsBreakPlayback: uuid_break stops a playback, which still reports
// FILE PLAYED.
func appsBreakPlayback(t *testing.T, tg target, tr *trace) {
	s, _ := answered(t, tg, tr)
	tr.Add("playback: %s", s.Send(esl.Execute{App: "playback", Arg: "silence_stream://10000"}))
	s.Until(named("CHANNEL_EXECUTE"))
	tr.Add("break: %s", s.Send(esl.API{Command: "uuid_break " + s.uuid}))
	done := s.Until(completes("playback"))
	tr.Add("socket: %s", describeApp(done[len(done)-1]))
	hangup(s)
}
