package fleet

import (
	"context"
	"time"
)

// resolve settles who owns a call this instance saw first: after delay
// (0 for the hash's winner, else Grace) it claims the call unless another
// instance holds it. Owned here, the events held meanwhile are delivered
// in order; owned elsewhere, they stay as history. While this instance is
// fenced or Redis fails, it tries again every renewal interval.
func (f *Fleet) resolve(uuid string, delay time.Duration) {
	if delay > 0 {
		time.Sleep(delay)
	}
	for {
		owner, ok := f.claim(uuid)
		if ok {
			f.settle(uuid, owner)
			return
		}
		if f.stopped() {
			return
		}
		time.Sleep(f.every)
	}
}

// claim runs claimScript unless this instance is fenced; ok is false when
// it could not.
func (f *Fleet) claim(uuid string) (owner string, ok bool) {
	if f.fenced(time.Now()) {
		return "", false
	}
	ctx, cancel := f.bound(context.Background())
	defer cancel()
	owner, err := claimScript.Run(ctx, f.c, []string{f.k.call(uuid), f.k.owned(f.me)},
		f.me, f.opts.CallTTL.Milliseconds(), uuid).Text()
	if err != nil || owner == "" {
		return "", false
	}
	return owner, true
}

// settle records a resolved claim, unless a takeover settled it first.
func (f *Fleet) settle(uuid, owner string) {
	c := f.calls.get(uuid)
	defer c.unlock()
	if !c.pending {
		return
	}
	c.pending, c.owner = false, owner
	if owner != f.me {
		if n := len(c.held) - f.opts.History; n > 0 {
			f.dropHeld(c, n)
		}
		return
	}
	c.mine = true
	f.deliverLocked(c, f.takeHeld(c))
	if !c.ended.IsZero() {
		c.ended = time.Time{}
		f.noteEnd(c, "CHANNEL_DESTROY", time.Now()) // it ended before the claim settled
	}
}

// stopped reports whether Close began.
func (f *Fleet) stopped() bool {
	select {
	case <-f.closing:
		return true
	default:
		return false
	}
}

// releaser drops the claims of calls that ended, until ctx ends.
func (f *Fleet) releaser(ctx context.Context) {
	defer f.done.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case uuid := <-f.releases:
			f.release(ctx, uuid)
		}
	}
}

// release drops one claim, with those queued behind it in one round trip.
func (f *Fleet) release(ctx context.Context, uuid string) {
	rctx, cancel := f.bound(ctx)
	defer cancel()
	p := f.c.Pipeline()
	for n := 0; ; n++ {
		releaseScript.Eval(rctx, p, []string{f.k.call(uuid), f.k.owned(f.me)}, f.me, uuid, (3 * f.opts.Lease).Milliseconds())
		if n == 255 {
			break
		}
		select {
		case uuid = <-f.releases:
			continue
		default:
		}
		break
	}
	if _, err := p.Exec(rctx); err != nil {
		f.log.Warn("fleet: releasing ended calls failed (their claims expire)", "error", err)
	}
}
