package host

import (
	"context"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
)

// legNode is the node a call's script reaches besides its own socket: the
// inbound node named like the listener's Node, else the default node (the
// first by name), looked up at each use. freeswitch.Session legs attach
// through it (bindings.LegDialer: each leg gets a new connection with
// that node's options), and the script's commands go through it once the
// call's socket is gone (callCommands).
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

// commander returns the node's Commander (wrapped like every node's).
func (n legNode) commander() (bindings.Commander, error) {
	if c := n.h.commander(n.name); c != nil {
		return c, nil
	}
	c, _, err := defaultNode{n.h}.client()
	return c, err
}

// callCommands is a call script's esl Commander (its Scope's: esl.*,
// freeswitch.API, freeswitch.Event:fire, legs' originate): the call's own
// socket while it is up, which FreeSWITCH keeps after the hangup while it
// lingers; once the socket is gone (FreeSWITCH closed it, or went away),
// the listener's node, so that a script's cleanup still reaches
// FreeSWITCH. The choice is made per command: a command already sent on
// the socket when it closes fails (it may have run) and is not resent.
type callCommands struct {
	sock bindings.Commander // the call's socket (wrapped)
	gone <-chan struct{}    // closed when the socket has ended
	node legNode
}

// pick returns the Commander for the next command.
func (c callCommands) pick() (bindings.Commander, error) {
	select {
	case <-c.gone:
		return c.node.commander()
	default:
		return c.sock, nil
	}
}

// Send implements bindings.Commander.
func (c callCommands) Send(ctx context.Context, cmd esl.Command) (*esl.Reply, error) {
	x, err := c.pick()
	if err != nil {
		return nil, err
	}
	return x.Send(ctx, cmd)
}

// API implements bindings.Commander.
func (c callCommands) API(ctx context.Context, cmd string) (string, error) {
	x, err := c.pick()
	if err != nil {
		return "", err
	}
	return x.API(ctx, cmd)
}

// BgAPI implements bindings.Commander. A job submitted on the socket
// reports its result there; if the socket ends first, the job fails.
func (c callCommands) BgAPI(ctx context.Context, cmd string) (*esl.Job, error) {
	x, err := c.pick()
	if err != nil {
		return nil, err
	}
	return x.BgAPI(ctx, cmd)
}
