package host

import (
	"context"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
)

// legNode is the bindings.LegDialer of a call's script (freeswitch.Session
// legs): the inbound node named like the listener's Node, else the
// default node (the first by name), looked up at each Attach. Each leg
// gets a new connection with that node's options.
type legNode struct {
	h    *Host
	name string
}

// Attach implements bindings.LegDialer.
func (n legNode) Attach(ctx context.Context, uuid string) (*esl.Session, error) {
	c := n.h.Node(n.name)
	if c == nil {
		if ns := n.h.nodeList(); len(ns) > 0 {
			c = ns[0].c
		}
	}
	if c == nil {
		return nil, bindings.ErrNoESL
	}
	return c.Attach(ctx, uuid)
}
