package host

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// hangupTimeout bounds each hangup attempt (uuid_kill, then the sendmsg
// fallback) made for a call at drain.
const hangupTimeout = 5 * time.Second

// outbound tracks the host's outbound servers and live calls.
type outbound struct {
	mu      sync.Mutex
	closing bool
	servers []*esl.Server
	calls   map[*liveCall]struct{}
}

// liveCall is one running outbound call.
type liveCall struct {
	listener, script string
	s                *esl.Session
}

func (o *outbound) init() { o.calls = make(map[*liveCall]struct{}) }

// addServer registers a server; false once Shutdown began.
func (o *outbound) addServer(srv *esl.Server) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closing {
		return false
	}
	o.servers = append(o.servers, srv)
	return true
}

func (o *outbound) track(listener, script string, s *esl.Session) *liveCall {
	c := &liveCall{listener: listener, script: script, s: s}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls[c] = struct{}{}
	return c
}

func (o *outbound) untrack(c *liveCall) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.calls, c)
}

// liveByScript counts the live calls of each script.
func (o *outbound) liveByScript() map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	m := make(map[string]int)
	for c := range o.calls {
		m[c.script]++
	}
	return m
}

// beginClose stops new listeners and returns the servers.
func (o *outbound) beginClose() []*esl.Server {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closing = true
	return append([]*esl.Server(nil), o.servers...)
}

func (o *outbound) liveCalls() []*liveCall {
	o.mu.Lock()
	defer o.mu.Unlock()
	cs := make([]*liveCall, 0, len(o.calls))
	for c := range o.calls {
		cs = append(cs, c)
	}
	return cs
}

// drainOutbound stops accepting calls and waits for the live ones until
// ctx ends; then it hangs up the rest with cause and gives their scripts
// grace to finish their cleanup. graceful reports whether every call ended
// on its own before ctx did; ended whether every call ended at all.
func (h *Host) drainOutbound(ctx context.Context, cause string, grace time.Duration) (graceful, ended bool) {
	servers := h.out.beginClose()
	if waitServers(ctx, servers) {
		return true, true
	}
	h.hangupAll(cause)
	gctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	return false, waitServers(gctx, servers)
}

// waitServers shuts every server down and waits for their calls until ctx
// ends; true when all are idle.
func waitServers(ctx context.Context, servers []*esl.Server) bool {
	ok := true
	for _, srv := range servers {
		if srv.Shutdown(ctx) != nil {
			ok = false
		}
	}
	return ok
}

// hangupAll hangs up every live call with cause.
func (h *Host) hangupAll(cause string) {
	var wg sync.WaitGroup
	for _, c := range h.out.liveCalls() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := killCall(c.s, cause); err != nil {
				h.log.Warn("host: drain hangup failed", "listener", c.listener, "script", c.script, "uuid", c.s.UUID(), "error", err)
			}
		}()
	}
	wg.Wait()
}

// killCall hangs a call up with "api uuid_kill", which FreeSWITCH runs at
// once even while an application started with event-lock is still running
// (a sendmsg hangup would wait behind it, e.g. behind a long sleep). When
// the api fails (an outbound socket without "full" refuses it) it falls
// back to a sendmsg hangup. Each attempt is bounded by hangupTimeout.
func killCall(s *esl.Session, cause string) error {
	ctx, cancel := context.WithTimeout(context.Background(), hangupTimeout)
	defer cancel()
	_, err := s.API(ctx, "uuid_kill "+s.UUID()+" "+cause)
	if err == nil || hungUp(s) {
		return nil
	}
	hctx, hcancel := context.WithTimeout(context.Background(), hangupTimeout)
	defer hcancel()
	if herr := s.Hangup(hctx, cause); herr != nil {
		return fmt.Errorf("host: uuid_kill: %w; hangup: %w", err, herr)
	}
	return nil
}

// hungUp reports whether the call is already down.
func hungUp(s *esl.Session) bool {
	select {
	case <-s.HungUp():
		return true
	default:
		return false
	}
}
