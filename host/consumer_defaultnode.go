package host

import (
	"context"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
)

// defaultNode is the esl Commander of init functions and timers, which
// handle no event or call of their own: the first node by name (with one
// node, that node). It is looked up at every command, so a node added
// after the state was opened (init runs in New, before any AddNode) is
// used from then on; with no node at all, commands fail with
// bindings.ErrNoESL as before.
type defaultNode struct{ h *Host }

// client returns the default node's Commander (wrapped like every
// node's, see Options.WrapCommander) and name.
func (d defaultNode) client() (bindings.Commander, string, error) {
	ns := d.h.nodeList()
	if len(ns) == 0 {
		return nil, "", bindings.ErrNoESL
	}
	if c := d.h.commander(ns[0].name); c != nil {
		return c, ns[0].name, nil
	}
	return nil, "", bindings.ErrNoESL // removed meanwhile
}

// Send implements bindings.Commander.
func (d defaultNode) Send(ctx context.Context, cmd esl.Command) (*esl.Reply, error) {
	c, _, err := d.client()
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, cmd)
}

// API implements bindings.Commander.
func (d defaultNode) API(ctx context.Context, cmd string) (string, error) {
	c, _, err := d.client()
	if err != nil {
		return "", err
	}
	return c.API(ctx, cmd)
}

// BgAPI implements bindings.Commander.
func (d defaultNode) BgAPI(ctx context.Context, cmd string) (*esl.Job, error) {
	c, _, err := d.client()
	if err != nil {
		return nil, err
	}
	return c.BgAPI(ctx, cmd)
}

// defaultScope is the scope of a run without an event or call of its own
// (init, timers): esl.* reaches the default node, log lines carry its
// name. The node is looked up now: call it before each run, the node list
// may have changed.
func (h *Host) defaultScope() bindings.Scope {
	d := defaultNode{h}
	_, name, _ := d.client()
	return bindings.NewScope(name, "", d)
}
