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
// loses its media) against the hangup, and even against the end of the
// park (the socket app may return and the dialplan go on before the
// hangup lands), so the trace keeps what holds in every order: how the
// application completed, that it says answered exactly when it completed
// before CHANNEL_HANGUP, the variables and the final cause.
func hangupFarDuringPAGD(t *testing.T, tg target, tr *trace) {
	s, ref := answered(t, tg, tr)
	tr.Add("pagd: %s", s.Send(esl.Execute{App: "play_and_get_digits",
		Arg: "1 4 1 10000 # silence_stream://10000 silence_stream://10 my_digits \\d+ 3000"}))
	s.Until(named("CHANNEL_EXECUTE"))
	tg.FarHangup(t, ref)
	evs := only(s.Until(named("CHANNEL_HANGUP_COMPLETE")), legEvents...)
	done, hung := -1, -1
	for i, ev := range evs {
		t.Logf("socket: %s", describeApp(ev))
		switch {
		case done < 0 && completes("play_and_get_digits")(ev):
			done = i
		case hung < 0 && ev.Name() == "CHANNEL_HANGUP":
			hung = i
		}
	}
	if done < 0 || hung < 0 {
		t.Fatalf("completion %d, hangup %d", done, hung)
	}
	tr.Add("completed: %s", describe(evs[done]))
	tr.Add("answered at completion iff before the hangup: %v", (done < hung) == (evs[done].Get("Answer-State") == "answered"))
	hc := evs[len(evs)-1]
	tr.Add("my_digits=%q read_result=%q cause=%s", hc.Var("my_digits"), hc.Var("read_result"), hc.Get("Hangup-Cause"))
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
