package scripttest

import (
	"errors"
	"fmt"
	"time"
)

// Idle detection. The scripts under test run on other goroutines (the
// host's) and talk to the simulator over loopback sockets, so the runner
// cannot see every message in flight. It treats the system as idle when
// nothing observable happened for quietPeriod of real time and no
// simulated application is running. Observable: a command reaching the
// simulator or its reply reaching the script, an application starting or
// ending, an event reaching the host, a handler finishing, a log line, a
// wait armed on the virtual clock. A running application or a command
// awaiting its reply is never idle. A script waiting only for time or for the caller is idle; that is
// when the runner acts for the caller (one type-ahead digit) or lets
// virtual time jump to the next deadline.
const (
	quietPeriod = 10 * time.Millisecond
	// typeAheadIdle is how long the system must be idle before a
	// type-ahead digit goes to a script that armed no new wait since the
	// last application ended (a wait without timeout, or a script between
	// two commands: then the digit is better kept for the next
	// digit-reading application). It is long because a loaded machine can
	// leave a script quiet for tens of milliseconds between two commands,
	// and a digit released then would be consumed by park and handed back
	// after digits the next application was given at its start.
	typeAheadIdle = 500 * time.Millisecond
	pollEvery     = time.Millisecond
)

// errBudget is the failure of a test that ran out of real time.
var errBudget = errors.New("scripttest: time budget exceeded")

// driveMode says what the runner may do on the caller's behalf while idle.
type driveMode int

const (
	// waitOnly waits for done without acting.
	waitOnly driveMode = iota
	// autoAdvance hands over type-ahead digits and moves virtual time.
	autoAdvance
)

// activity sums every activity counter; any change means "not idle".
func (w *world) activity() uint64 {
	o, _ := w.obs.snapshot()
	return o + w.clock.activity() + w.hooks.activity.Load() + w.cmds.done.Load() +
		uint64(w.logs.count()) + uint64(len(w.commands()))
}

// busy reports work under way that no counter shows yet: an application
// running, a script's command awaiting its reply.
func (w *world) busy() bool { return w.hooks.busy() || w.cmds.busy() }

// drive waits until done reports true, running requests for the test
// goroutine meanwhile. With autoAdvance it acts whenever the system is
// idle. It fails when the test's budget ends or the system stays idle
// with nothing left to do and done still false (a stuck wait).
func (w *world) drive(what string, mode driveMode, done func() bool) error {
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	last, quietSince := w.activity(), time.Now()
	for !done() {
		select {
		case r := <-w.reqs:
			r.fn()
			close(r.done)
			quietSince = time.Now()
			continue
		case <-w.ctx.Done():
			return fmt.Errorf("%w while waiting for %s", errBudget, what)
		case <-tick.C:
		}
		if a := w.activity(); a != last || w.busy() {
			last, quietSince = a, time.Now()
			continue
		}
		if time.Since(quietSince) < quietPeriod || mode != autoAdvance {
			continue
		}
		if w.actIdle(time.Since(quietSince)) {
			last, quietSince = w.activity(), time.Now()
		}
	}
	return nil
}

// actIdle does one thing for a system idle for that long: give a waiting
// script one type-ahead digit, else fire the earliest virtual-clock
// deadline. It reports whether it did anything.
func (w *world) actIdle(idle time.Duration) bool {
	if w.clock.activity() <= w.hooks.endStamp.Load() && idle < typeAheadIdle {
		return w.stepClock()
	}
	for _, c := range w.calls {
		if !c.call.Up() {
			continue
		}
		if d := w.hooks.releaseOne(c.call.UUID()); d != "" {
			w.hooks.activity.Add(1)
			c.call.SendDTMF(d)
			return true
		}
	}
	return w.stepClock()
}

// stepClock fires the earliest virtual-clock deadline, if any.
func (w *world) stepClock() bool {
	if next, ok := w.clock.Next(); ok {
		return w.clock.Step(next)
	}
	return false
}

// settle waits until the system has been idle for a quiet period.
func (w *world) settle() error {
	var last uint64
	var quietSince time.Time
	first := true
	return w.drive("the scripts to settle", waitOnly, func() bool {
		a := w.activity()
		if first || a != last || w.busy() {
			first, last, quietSince = false, a, time.Now()
			return false
		}
		return time.Since(quietSince) >= quietPeriod
	})
}

// advance moves virtual time forward by d, firing the due waits one
// deadline at a time and letting the scripts settle after each.
func (w *world) advance(d time.Duration) error {
	limit := w.clock.Now().Add(d)
	if err := w.settle(); err != nil {
		return err
	}
	for w.clock.Step(limit) {
		if err := w.settle(); err != nil {
			return err
		}
	}
	return nil
}
