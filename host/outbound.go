package host

import (
	"context"
	"errors"
	"net"
	"net/netip"

	"github.com/eslscript/eslscript/esl"
)

// ScriptVar is the channel variable that names the script of an outbound
// call, overriding the listener's default (set it in the dialplan before
// "socket").
const ScriptVar = "eslscript_script"

// sessionEventQueue bounds each outbound call's event queue
// (esl.Server.EventQueue). The session binding drains it whenever the
// script waits (and keeps its own bounded backlog of events and digits),
// so it only fills while a script runs Lua code for long without waiting;
// overflow is counted by esl.Session.EventsDropped and logged at the end of
// the call. 256 pointers are 2 KiB per call instead of esl's default 32 KiB.
const sessionEventQueue = 256

// RefusedVar is the channel variable a refused outbound call gets, set to
// the reason: not_allowed (allow-list), max_calls (the listener's cap),
// shutting_down (drain began) or no_script (no session script of that
// name). A refused call is handed back to FreeSWITCH: the socket app
// returns and the dialplan continues after it, where a fallback can test
// the variable.
const RefusedVar = "eslscript_refused"

// refuseCall marks a call the host will not run (reason as in RefusedVar);
// the esl server then hands it back to FreeSWITCH when the handler returns.
func refuseCall(ctx context.Context, s *esl.Session, reason string) {
	_, _ = s.API(ctx, "uuid_setvar "+s.UUID()+" "+RefusedVar+" "+reason)
}

// ErrClosed is returned by ServeOutbound once Shutdown has begun.
var ErrClosed = errors.New("host: shut down")

// ServeOutbound accepts FreeSWITCH's outbound socket connections on l until
// ctx ends or Shutdown, running one script per call (see ListenerOptions).
// It returns nil after a clean stop; calls still running go on until they
// end or Shutdown hangs them up. l is closed on return.
func (h *Host) ServeOutbound(ctx context.Context, l net.Listener, lo ListenerOptions) error {
	if lo.Node == "" {
		lo.Node = lo.Name
	}
	srv := h.newServer(lo)
	if !h.out.addServer(srv) {
		l.Close()
		return ErrClosed
	}
	stop := context.AfterFunc(ctx, func() { stopAccepting(srv) })
	defer stop()
	err := srv.Serve(l)
	if errors.Is(err, esl.ErrServerClosed) {
		return nil
	}
	return err
}

// newServer builds the esl.Server of one listener.
func (h *Host) newServer(lo ListenerOptions) *esl.Server {
	return &esl.Server{
		Handler: func(ctx context.Context, s *esl.Session) {
			h.serveCall(ctx, lo, s)
		},
		MaxSessions: lo.MaxCalls,
		RefusedVar:  RefusedVar,
		EventQueue:  sessionEventQueue,
		Allow:       allowFunc(lo.Allow),
		OnReject: func(_ net.Addr, reason error) {
			h.obs.SessionRejected(lo.Name, esl.RefusalReason(reason))
		},
		Node:   lo.Node,
		Logger: h.log.With("listener", lo.Name),
	}
}

// stopAccepting closes a server's listeners without waiting for its calls.
func stopAccepting(srv *esl.Server) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = srv.Shutdown(ctx)
}

// loopbackOnly is the allow-list of a listener that names none.
var loopbackOnly = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// allowFunc returns the peer check of an allow-list (empty: loopback only).
func allowFunc(allow []netip.Prefix) func(net.Addr) bool {
	if len(allow) == 0 {
		allow = loopbackOnly
	}
	return func(a net.Addr) bool {
		ap, err := netip.ParseAddrPort(a.String())
		if err != nil {
			return false
		}
		ip := ap.Addr().Unmap()
		for _, p := range allow {
			if p.Contains(ip) {
				return true
			}
		}
		return false
	}
}
