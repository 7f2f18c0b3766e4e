package ops

import (
	"context"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
)

// Commander wraps a node's commander (an *esl.Client) so that every
// command is timed into m (eslscript_command_duration_seconds,
// eslscript_command_errors_total) and traced by t. m and t may be nil.
func Commander(node string, c bindings.Commander, m *Metrics, t *Tracer) bindings.Commander {
	return &commander{node: node, c: c, m: m, t: t}
}

type commander struct {
	node string
	c    bindings.Commander
	m    *Metrics
	t    *Tracer
}

// observe starts timing and tracing cmd; call the result with the error.
func (x *commander) observe(ctx context.Context, cmd string) (context.Context, func(error)) {
	start := time.Now()
	ctx, end := x.t.StartCommand(ctx, x.node, cmd)
	return ctx, func(err error) {
		if x.m != nil {
			x.m.CommandDone(x.node, cmd, time.Since(start), err)
		}
		end(err)
	}
}

// Send implements bindings.Commander.
func (x *commander) Send(ctx context.Context, cmd esl.Command) (*esl.Reply, error) {
	ctx, done := x.observe(ctx, cmd.String())
	r, err := x.c.Send(ctx, cmd)
	done(replyErr(r, err))
	return r, err
}

// replyErr is err, or the -ERR of a reply that arrived.
func replyErr(r *esl.Reply, err error) error {
	if err == nil && r != nil {
		return r.Err()
	}
	return err
}

// API implements bindings.Commander.
func (x *commander) API(ctx context.Context, cmd string) (string, error) {
	ctx, done := x.observe(ctx, cmd)
	out, err := x.c.API(ctx, cmd)
	done(err)
	return out, err
}

// BgAPI implements bindings.Commander (the time is the submission's round
// trip, not the job's).
func (x *commander) BgAPI(ctx context.Context, cmd string) (*esl.Job, error) {
	ctx, done := x.observe(ctx, cmd)
	j, err := x.c.BgAPI(ctx, cmd)
	done(err)
	return j, err
}

// Unwrap returns the wrapped commander (bindings.CommanderUnwrapper), so
// that an event consumer can reach the connection's event stream.
func (x *commander) Unwrap() bindings.Commander { return x.c }
