package scripttest

import (
	"context"
	"sync/atomic"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
)

// inflight counts the commands scripts have sent and not yet got back.
// While one is out the system is not idle: its reply is on the way, and a
// loaded machine can hold it back for longer than the quiet period, which
// must not let the runner move virtual time under a handler that is
// still running.
type inflight struct {
	out  atomic.Int64  // commands sent, replies not yet returned
	done atomic.Uint64 // commands returned (activity)
}

// wrap is host.Options.WrapCommander.
func (f *inflight) wrap(_ string, c bindings.Commander) bindings.Commander {
	return &countedCommander{c: c, f: f}
}

func (f *inflight) busy() bool { return f.out.Load() > 0 }

func (f *inflight) begin() { f.out.Add(1) }

func (f *inflight) end() {
	f.done.Add(1)
	f.out.Add(-1)
}

// countedCommander is a script's Commander as counted by inflight.
type countedCommander struct {
	c bindings.Commander
	f *inflight
}

func (cc *countedCommander) Send(ctx context.Context, cmd esl.Command) (*esl.Reply, error) {
	cc.f.begin()
	defer cc.f.end()
	return cc.c.Send(ctx, cmd)
}

func (cc *countedCommander) API(ctx context.Context, cmd string) (string, error) {
	cc.f.begin()
	defer cc.f.end()
	return cc.c.API(ctx, cmd)
}

// BgAPI counts until FreeSWITCH accepted the job; its result comes as an
// event, which the runner observes.
func (cc *countedCommander) BgAPI(ctx context.Context, cmd string) (*esl.Job, error) {
	cc.f.begin()
	defer cc.f.end()
	return cc.c.BgAPI(ctx, cmd)
}

// Unwrap implements bindings.CommanderUnwrapper.
func (cc *countedCommander) Unwrap() bindings.Commander { return cc.c }
