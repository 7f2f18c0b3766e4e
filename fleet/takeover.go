package fleet

import (
	"context"
	"strconv"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/host"
	"github.com/redis/go-redis/v9"
)

// RepeatHeader marks an event replayed after a takeover: the previous
// owner may have handled it already.
const RepeatHeader = "Eslscript-Possible-Repeat"

// takeover takes this instance's share of prev's calls: all of them when
// prev is this instance (after a fence), else those the rendezvous hash
// over the live members gives it. Events of those calls may be missing
// from gapStart on. It reports whether every call of prev was looked at.
func (f *Fleet) takeover(ctx context.Context, prev string, gapStart time.Time, v view) bool {
	rctx, cancel := f.bound(ctx)
	uuids, err := f.c.SMembers(rctx, f.k.owned(prev)).Result()
	cancel()
	if err != nil {
		f.log.Warn("fleet: cannot read the calls of a stopped instance", "previous_owner", prev, "error", err)
		return false
	}
	var mine []string
	for _, u := range uuids {
		if prev == f.me || hrw(u, v.live) == f.me {
			mine = append(mine, u)
		}
	}
	owners, ok := f.take(ctx, prev, mine)
	for i, u := range mine {
		if owners[i] == f.me {
			f.tookOver(u, prev, gapStart, v.now)
		} else if owners[i] != "" {
			f.owner(u, owners[i])
		}
	}
	if prev != f.me && len(mine) == len(uuids) && ok {
		rctx, cancel := f.bound(ctx)
		defer cancel()
		_ = retireScript.Run(rctx, f.c, []string{f.k.members(), f.k.owned(prev)}, prev, v.now.UnixMilli()).Err()
	}
	return ok
}

// take runs takeScript for every call in one round trip and returns the
// owners ("" where it failed).
func (f *Fleet) take(ctx context.Context, prev string, uuids []string) ([]string, bool) {
	owners := make([]string, len(uuids))
	if len(uuids) == 0 {
		return owners, true
	}
	rctx, cancel := f.bound(ctx)
	defer cancel()
	p := f.c.Pipeline()
	cmds := make([]*redis.Cmd, len(uuids))
	for i, u := range uuids {
		cmds[i] = takeScript.Eval(rctx, p, []string{f.k.call(u), f.k.owned(prev), f.k.owned(f.me), f.k.members()},
			prev, f.me, f.opts.CallTTL.Milliseconds(), u)
	}
	_, err := p.Exec(rctx)
	for i, c := range cmds {
		owners[i], _ = c.Text()
	}
	if err != nil {
		f.log.Warn("fleet: taking over calls failed", "previous_owner", prev, "calls", len(uuids), "error", err)
	}
	return owners, err == nil
}

// owner records that another instance owns a call.
func (f *Fleet) owner(uuid, owner string) {
	c := f.calls.get(uuid)
	defer c.unlock()
	if !c.mine {
		c.owner, c.pending = owner, false
	}
}

// tookOver makes a call ours after prev stopped: the scripts get
// EventTakeover, then the events held since gapStart, marked as possible
// repeats (unless the call was ours all along and nothing was delivered
// of them: a fence's held events are marked too, as the lease may have
// been taken meanwhile). Events of another's call that FreeSWITCH made
// before now and that arrive later are marked too (call.markLate).
func (f *Fleet) tookOver(uuid, prev string, gapStart, now time.Time) {
	c := f.calls.get(uuid)
	defer c.unlock()
	c.mine, c.owner, c.pending = true, f.me, false
	if prev != f.me {
		c.markUntil = now.UnixMicro()
	}
	if c.seen.IsZero() {
		c.seen = time.Now()
	}
	var replay []heldEv
	for _, e := range f.takeHeld(c) {
		if !e.at.Before(gapStart) {
			e.ev.Set(RepeatHeader, "true")
			replay = append(replay, e)
		}
	}
	node := c.node
	if node == "" {
		if n := f.anyNode.Load(); n != nil {
			node = *n
		}
	}
	f.deliverLocked(c, append([]heldEv{{node: node, ev: f.takeoverEvent(node, uuid, prev, gapStart, now, len(replay), c), at: time.Now()}}, replay...))
	f.obs.FleetTakeover()
	f.obs.FleetGap()
	f.obs.FleetReplayed(len(replay))
	f.log.Info("fleet: call taken over", "uuid", uuid, "previous_owner", prev, "replayed", len(replay))
	if !c.ended.IsZero() {
		c.ended = time.Time{}
		f.noteEnd(c, "CHANNEL_DESTROY", time.Now())
	}
}

// takeoverEvent is EventTakeover for a call, with Previous-Owner,
// Replayed-Events (how many possible repeats follow) and Call-Ended (true
// when its CHANNEL_DESTROY was seen: it is over).
func (f *Fleet) takeoverEvent(node, uuid, prev string, start, end time.Time, replayed int, c *call) *esl.Event {
	ev := host.GapEvent(host.EventTakeover, node, uuid, "takeover", start, end)
	ev.Add("Previous-Owner", prev)
	ev.Add("New-Owner", f.me)
	ev.Add("Replayed-Events", strconv.Itoa(replayed))
	ev.Add("Call-Ended", strconv.FormatBool(!c.ended.IsZero()))
	return ev
}
