package esl

import (
	"context"
	"errors"
	"time"
)

// livenessProbe is the command that asks a silent FreeSWITCH for a reply.
const livenessProbe = "uptime"

// watchLiveness ends conn as lost when FreeSWITCH stops answering: a TCP
// connection that stays open while FreeSWITCH is frozen (or a peer that
// stopped mid-frame) never fails a read, so silence is checked for. It
// runs until conn ends or the client closes.
func (c *Client) watchLiveness(conn *Conn) {
	l := c.opts.Liveness
	if l < 0 {
		return
	}
	tick := time.NewTicker(l / 3)
	defer tick.Stop()
	last := conn.reads.Load()
	for {
		select {
		case <-conn.Done():
			return
		case <-c.ctx.Done():
			return
		case <-tick.C:
		}
		if n := conn.reads.Load(); n != last {
			last = n
			continue
		}
		if err := c.probe(conn, 2*l/3); err != nil {
			conn.shutdown(lostError("no reply from FreeSWITCH within " + l.String()))
			return
		}
		last = conn.reads.Load()
	}
}

// probe sends the liveness probe and waits up to limit for any reply. A
// refusal is a reply too: FreeSWITCH is alive.
func (c *Client) probe(conn *Conn, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(c.ctx, limit)
	defer cancel()
	_, err := conn.API(ctx, livenessProbe)
	var ce *CommandError
	if err == nil || errors.As(err, &ce) || c.ctx.Err() != nil {
		return nil
	}
	return err
}
