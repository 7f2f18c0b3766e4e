package esl

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// This test replays the real capture outbound-8084-async-linger end to end:
// FreeSWITCH's frames are written as captured, each reply only after our
// server sent a command, and the captured Application-UUIDs are swapped for
// the Event-UUIDs our Executes chose (same length, so Content-Length stays
// valid).

var (
	obReEventName = regexp.MustCompile(`(?m)^Event-Name: (\S+)$`)
	obReAppUUID   = regexp.MustCompile(`(?m)^Application-UUID: (\S+)$`)
)

// obReplay is the captured conversation, reordered for a handler that waits
// for each Execute before sending the next command.
type obReplay struct {
	frames  []string
	tx      []string // the captured app's commands
	appIDs  []string // Application-UUIDs of the captured CHANNEL_EXECUTEs, in order
	ourIDs  []string // our Event-UUIDs, bound in the same order
	sent    []string // what our server sent
	wantEvs []string // Event-Names FreeSWITCH delivered, in order
}

func obLoadReplay(t *testing.T) *obReplay {
	rp := &obReplay{frames: obSplitFrames(t, obReadFixture(t, obLingerRx))}
	for _, c := range strings.SplitAfter(string(obReadFixture(t, obLingerTx)), "\n\n") {
		if c != "" {
			rp.tx = append(rp.tx, c)
		}
	}
	for _, fr := range rp.frames {
		if m := obReEventName.FindStringSubmatch(fr); m != nil && obIsEvent(fr) {
			rp.wantEvs = append(rp.wantEvs, m[1])
			if m[1] == "CHANNEL_EXECUTE" {
				rp.appIDs = append(rp.appIDs, obReAppUUID.FindStringSubmatch(fr)[1])
			}
		}
	}
	rp.delayReplies()
	return rp
}

func obIsEvent(fr string) bool {
	return strings.Contains(fr, "\nContent-Type: text/event-plain\n\n")
}

func obIsReply(fr string) bool {
	head, _, _ := strings.Cut(fr, "\n\n")
	return strings.Contains(head+"\n", "Content-Type: command/reply\n")
}

// delayReplies moves the reply to the k-th execute after the completion of
// execute k-1: the captured app sent its second sendmsg early, ours waits.
func (rp *obReplay) delayReplies() {
	replyOf := make([]int, len(rp.frames)) // tx index answered by each frame, -1 for non-replies
	n := 0
	for i, fr := range rp.frames {
		replyOf[i] = -1
		if obIsReply(fr) {
			replyOf[i], n = n, n+1
		}
	}
	k := 0
	for c, cmd := range rp.tx {
		if !strings.Contains(cmd, "call-command: execute") {
			continue
		}
		if k > 0 {
			replyOf = rp.moveAfterCompletion(replyOf, slices.Index(replyOf, c), rp.appIDs[k-1])
		}
		k++
	}
}

// moveAfterCompletion moves frame i after the CHANNEL_EXECUTE_COMPLETE of
// appID when it comes before it.
func (rp *obReplay) moveAfterCompletion(replyOf []int, i int, appID string) []int {
	for j := i + 1; j < len(rp.frames); j++ {
		fr := rp.frames[j]
		if strings.Contains(fr, "Event-Name: CHANNEL_EXECUTE_COMPLETE\n") && strings.Contains(fr, "Application-UUID: "+appID+"\n") {
			fr, tag := rp.frames[i], replyOf[i]
			rp.frames = slices.Insert(slices.Delete(rp.frames, i, i+1), j, fr)
			return slices.Insert(slices.Delete(replyOf, i, i+1), j, tag)
		}
	}
	return replyOf // already after it
}

// play runs FreeSWITCH's side against the server, up to the final
// disconnect notice.
func (rp *obReplay) play(t *testing.T, f *obFakeFS) {
	for _, fr := range rp.frames {
		if obIsReply(fr) {
			rp.readCommand(f)
		}
		f.write(rp.rewrite(fr))
	}
}

// readCommand reads the next command, answering our extra BACKGROUND_JOB
// subscription (the captured app did not send it), and binds Event-UUIDs.
func (rp *obReplay) readCommand(f *obFakeFS) {
	cmd := f.readCmd()
	rp.sent = append(rp.sent, cmd)
	if cmd == "event plain BACKGROUND_JOB\n\n" {
		f.reply("+OK event listener enabled plain")
		rp.readCommand(f)
		return
	}
	if id := obCmdHeaders(cmd)["event-uuid"]; id != "" {
		rp.ourIDs = append(rp.ourIDs, id)
	}
}

func (rp *obReplay) rewrite(fr string) string {
	for i, id := range rp.ourIDs {
		fr = strings.ReplaceAll(fr, rp.appIDs[i], id)
	}
	return fr
}

// obReplayHandler does what the captured app did, through the Session API.
func obReplayHandler(t *testing.T, got chan<- []string) Handler {
	return func(ctx context.Context, s *Session) {
		var names []string
		defer func() { got <- names }()
		ans, err := s.Execute(ctx, "answer", "")
		if err != nil || ans.Get("Application-Response") != "_none_" || ans.Get("Application") != "answer" {
			t.Errorf("answer: %v %v", ans, err)
			return
		}
		pb, err := s.Execute(ctx, "playback", "tone_stream://%(100,100,440);loops=3")
		if err != nil || pb.Get("Application-Response") != "FILE PLAYED" {
			t.Errorf("playback: %v %v", pb, err)
			return
		}
		if err := s.Hangup(ctx, "NORMAL_CLEARING"); err != nil {
			t.Errorf("hangup: %v", err)
			return
		}
		<-s.HungUp()
		for ev := range s.Events() {
			names = append(names, ev.Name())
			if ev.Name() == "CHANNEL_HANGUP_COMPLETE" {
				return
			}
		}
	}
}

func TestOutboundReplayAsyncLingerCapture(t *testing.T) {
	rp := obLoadReplay(t)
	got := make(chan []string, 1)
	addr, _ := obServer(t, &Server{Handler: obReplayHandler(t, got)})
	f := obDial(t, addr)
	rp.play(t, f)

	if names := obWait(t, got); !slices.Equal(names, rp.wantEvs) {
		t.Errorf("Events delivered\n%v\nwant\n%v", names, rp.wantEvs)
	}
	if len(rp.ourIDs) != 2 {
		t.Fatalf("bound %d Event-UUIDs, want 2", len(rp.ourIDs))
	}
	want := slices.Insert(slices.Clone(rp.tx), 2, "event plain BACKGROUND_JOB\n\n")
	if len(rp.sent) != len(want) {
		t.Fatalf("sent %d commands %q, want %d", len(rp.sent), rp.sent, len(want))
	}
	for i := range want {
		if obSameCommand(rp.sent[i], want[i]) {
			continue
		}
		t.Errorf("command %d = %q, want like %q", i, rp.sent[i], want[i])
	}
	f.expectEOF() // after the disconnect notice our side closes too
}

// obSameCommand compares our command with the captured one: same first line
// and same sendmsg headers; ours adds event-lock and Event-UUID.
func obSameCommand(ours, theirs string) bool {
	first := func(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }
	if first(ours) != first(theirs) {
		return false
	}
	oh, th := obCmdHeaders(ours), obCmdHeaders(theirs)
	for k, v := range th {
		if oh[k] != v {
			return false
		}
	}
	if th["call-command"] == "execute" {
		return oh["event-lock"] == "true" && len(oh["event-uuid"]) == 36
	}
	return len(oh) == len(th)
}
