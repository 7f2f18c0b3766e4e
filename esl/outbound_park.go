package esl

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Why an outbound socket must not end before its channel is parked
// (mod_event_socket.c socket_function, switch_ivr.c switch_ivr_park): in
// async mode the channel's own thread waits for "connect", then parks the
// call (switch_ivr_park sets CF_CONTROLLED and loops while it stays set).
// Only the listener's end clears CF_CONTROLLED. A socket that ends after
// "connect" but before the park began clears the flag too early: the park
// then sets it again and loops for good, and the call stays in the socket
// app until someone kills it (a window of milliseconds; 1 call in 40 under
// load before this was handled).
//
// So before "exit" the server proves that the park began:
//   - a CHANNEL_PARK of the call was seen ("myevents" goes out with
//     "connect" in one write, so it is subscribed before the park fires),
//     or a CHANNEL_EXECUTE of it (queued sendmsg messages run inside the
//     park);
//   - else, when the channel has media (answered or early media), it
//     queues a message that does nothing (an unknown call-command) and
//     waits for the PRIVATE_COMMAND that the park loop fires after parsing
//     it (the park loop of a channel without media parses queued messages
//     without that event, so the probe would prove nothing there);
//   - else it waits for CHANNEL_PARK up to parkWait.
// A hangup makes the wait moot: the park loop does not run on a channel
// that is not ready.

// parkProbeCommand is the call-command of the probe: FreeSWITCH knows no
// such command, parses it without effect and fires PRIVATE_COMMAND.
const parkProbeCommand = "eslscript-park-probe"

// parkWait bounds the wait for CHANNEL_PARK when no probe can prove the
// park: the exposure window is milliseconds.
const parkWait = time.Second

// parkState records whether the call's channel is known to be parked.
type parkState struct {
	once  sync.Once
	ch    chan struct{} // closed once parked
	media atomic.Bool   // CHANNEL_ANSWER or CHANNEL_PROGRESS_MEDIA seen
}

func (p *parkState) init() { p.ch = make(chan struct{}) }

// mark records that the park began (idempotent; reader goroutine).
func (p *parkState) mark() { p.once.Do(func() { close(p.ch) }) }

// seen reports whether the park is known to have begun.
func (p *parkState) seen() bool {
	select {
	case <-p.ch:
		return true
	default:
		return false
	}
}

// noteParked marks the park on the events that prove it, and notes when
// the channel has media.
func (s *Session) noteParked(ev *Event) {
	switch ev.Name() {
	case "CHANNEL_PARK", "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "PRIVATE_COMMAND":
		s.parked.mark()
	case "CHANNEL_ANSWER", "CHANNEL_PROGRESS_MEDIA":
		s.parked.media.Store(true)
	}
}

// hasMedia reports whether the channel is answered or has early media.
func (s *Session) hasMedia() bool {
	if s.parked.media.Load() {
		return true
	}
	st := s.Data.Get("Answer-State")
	return st == "answered" || st == "early"
}

// ensureParked returns once ending the socket cannot leave the channel
// parked for good: the park began, the call hung up, the socket ended, or
// the bounded wait expired (an error: the caller ends the socket anyway
// and logs it). A static (non-async) socket has no park.
func (s *Session) ensureParked(ctx context.Context) error {
	if s.parked.seen() || s.isDown() || s.Data.Get("Socket-Mode") == "static" {
		return nil
	}
	if s.hasMedia() && s.Data.Get("Control") == "full" {
		if err := s.probePark(ctx); err != nil {
			return err
		}
	} else {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, parkWait)
		defer cancel()
	}
	select {
	case <-s.parked.ch:
		return nil
	case <-s.HungUp():
		return nil
	case <-ctx.Done():
		return fmt.Errorf("esl: no proof that the channel parked: %w", ctx.Err())
	}
}

// probePark subscribes to PRIVATE_COMMAND (myevents keeps it to this call)
// and queues a message that does nothing.
func (s *Session) probePark(ctx context.Context) error {
	if _, err := s.Send(ctx, EventCmd{Format: FormatPlain, Names: []string{"PRIVATE_COMMAND"}}); err != nil {
		return err
	}
	_, err := s.Send(ctx, SendMsg{UUID: s.target, CallCommand: parkProbeCommand})
	return err
}
