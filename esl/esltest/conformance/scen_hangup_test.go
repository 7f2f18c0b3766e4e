package conformance

import (
	"testing"

	"github.com/eslscript/eslscript/esl"
)

func init() {
	scenarios = append(scenarios,
		scenario{"hangup/far-end-during-play_and_get_digits", hangupFarDuringPAGD},
		scenario{"hangup/uuid_kill-during-playback", hangupKillDuringPlayback},
	)
}

// answered connects, subscribes, lingers and answers.
func answered(t *testing.T, tg target, tr *trace) (*sock, *callRef) {
	l := listen(t)
	tr.Redact(l.Addr(), "ADDR")
	ref := tg.Place(t, l.Addr(), nil)
	s := l.Accept(t)
	tr.Add("connect: %s", s.Connect())
	tr.Redact(s.uuid, "UUID")
	tr.Add("myevents: %s", s.Send(esl.MyEvents{}))
	tr.Add("linger: %s", s.Send(esl.Linger{}))
	tr.Add("answer: %s", s.Send(esl.Execute{App: "answer"}))
	s.Until(completes("answer"))
	return s, ref
}

// describeApp adds the state of the channel at an application's end.
func describeApp(ev *esl.Event) string {
	return describe(ev) + " [" + ev.Get("Answer-State") + "]"
}

// hangupFarDuringPAGD: the far end hangs up while play_and_get_digits
// waits. On a loopback call FreeSWITCH races the application's end (it
// loses its media) against the hangup: either comes first, and the
// completion says answered exactly when it came first. The trace keeps the
// pair unordered and checks that consistency; the rest is in order.
func hangupFarDuringPAGD(t *testing.T, tg target, tr *trace) {
	s, ref := answered(t, tg, tr)
	tr.Add("pagd: %s", s.Send(esl.Execute{App: "play_and_get_digits",
		Arg: "1 4 1 10000 # silence_stream://10000 silence_stream://10 my_digits \\d+ 3000"}))
	s.Until(named("CHANNEL_EXECUTE"))
	tg.FarHangup(t, ref)
	evs := only(s.Until(named("CHANNEL_HANGUP_COMPLETE")), legEvents...)
	if len(evs) < 2 {
		t.Fatalf("events %d", len(evs))
	}
	first, second := evs[0], evs[1]
	if first.Name() == "CHANNEL_HANGUP" {
		first, second = second, first
	}
	tr.Add("race: %s | %s", describe(first), describe(second))
	completedFirst := evs[0] == first
	tr.Add("answered at completion iff it came first: %v", completedFirst == (first.Get("Answer-State") == "answered"))
	for _, ev := range evs[2:] {
		tr.Add("socket: %s", describeApp(ev))
	}
	hc := evs[len(evs)-1]
	tr.Add("my_digits=%q read_result=%q", hc.Var("my_digits"), hc.Var("read_result"))
	tr.Add("notice: %s", s.Notice())
}

// hangupKillDuringPlayback: uuid_kill of the channel itself during a
// playback: the hangup comes first, then the playback completes on a
// hung-up channel.
func hangupKillDuringPlayback(t *testing.T, tg target, tr *trace) {
	s, _ := answered(t, tg, tr)
	tr.Add("playback: %s", s.Send(esl.Execute{App: "playback", Arg: "silence_stream://10000"}))
	s.Until(named("CHANNEL_EXECUTE"))
	tr.Add("kill: %s", s.Send(esl.API{Command: "uuid_kill " + s.uuid}))
	for _, ev := range only(s.Until(named("CHANNEL_HANGUP_COMPLETE")), legEvents...) {
		tr.Add("socket: %s", describeApp(ev))
	}
	tr.Add("notice: %s", s.Notice())
}
