package scripttest

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/eslscript/eslscript/esl/esltest"
)

// digitApps are the applications that read digits themselves: type-ahead
// digits queued by call:dtmf are handed to them when they start.
var digitApps = map[string]bool{"play_and_get_digits": true, "read": true}

// promptApps are the applications whose argument names a prompt for
// call:on_prompt.
var promptApps = map[string]bool{
	"playback": true, "play_and_get_digits": true, "read": true,
	"say": true, "phrase": true, "speak": true,
}

// appHooks wraps every simulator application so that a test can act at a
// chosen point of a call (answer a prompt with digits, hang up) and so
// that the runner knows when an application is running.
type appHooks struct {
	running  atomic.Int64  // applications executing now
	activity atomic.Uint64 // starts, ends and digits given
	endStamp atomic.Uint64 // clock waits armed when an application last ended
	stamp    func() uint64 // reads the clock's armed-waits counter

	mu    sync.Mutex
	calls map[string]*callHooks // by call uuid
}

// callHooks are the test's plans for one call.
type callHooks struct {
	typeAhead  []rune         // digits the caller presses when asked
	prompts    []promptRule   // call:on_prompt, in order
	hangOn     map[string]int // hang up when the nth run of app starts
	hangAfter  map[string]int // hang up when the nth run of app ends
	started    map[string]int // runs of each app so far
	hangPrompt []string       // hang up when a prompt containing this starts
	// everyPrompt are the digits pressed at every digit-reading
	// application without other digits (Simulation's caller)
	everyPrompt string
	cause       string // hangup cause of the planned hangups
}

// promptRule answers a prompt with digits, once.
type promptRule struct {
	file, digits string
}

// installHooks wraps every application of sim.
func installHooks(sim *esltest.Server, stamp func() uint64) *appHooks {
	hk := &appHooks{calls: map[string]*callHooks{}, stamp: stamp}
	for _, name := range sim.AppNames() {
		orig := sim.AppHandler(name)
		sim.HandleApp(name, hk.wrap(orig))
	}
	return hk
}

// forCall returns (creating) the hooks of a call.
func (hk *appHooks) forCall(uuid string) *callHooks {
	hk.mu.Lock()
	defer hk.mu.Unlock()
	ch := hk.calls[uuid]
	if ch == nil {
		ch = &callHooks{hangOn: map[string]int{}, hangAfter: map[string]int{}, started: map[string]int{}, cause: "NORMAL_CLEARING"}
		hk.calls[uuid] = ch
	}
	return ch
}

// update runs fn on a call's hooks under the lock.
func (hk *appHooks) update(uuid string, fn func(ch *callHooks)) {
	ch := hk.forCall(uuid)
	hk.mu.Lock()
	defer hk.mu.Unlock()
	fn(ch)
}

// wrap returns orig with the hooks around it.
func (hk *appHooks) wrap(orig esltest.AppFunc) esltest.AppFunc {
	return func(x *esltest.Exec) string {
		hk.running.Add(1)
		hk.activity.Add(1)
		defer func() {
			hk.endStamp.Store(hk.stamp())
			hk.running.Add(-1)
			hk.activity.Add(1)
		}()
		digits, hangup, n := hk.beforeApp(x)
		if digits != "" {
			x.Call.SendDTMF(digits)
		}
		if hangup != "" {
			x.Call.Hangup(hangup)
		}
		r := orig(x)
		if cause := hk.afterApp(x, n); cause != "" {
			x.Call.Hangup(cause)
		}
		return r
	}
}

// beforeApp decides what happens as x starts: digits to queue, a hangup
// cause, and which run of the app this is.
func (hk *appHooks) beforeApp(x *esltest.Exec) (digits, hangup string, n int) {
	ch := hk.forCall(x.Call.UUID())
	hk.mu.Lock()
	defer hk.mu.Unlock()
	ch.started[x.App]++
	n = ch.started[x.App]
	if promptApps[x.App] {
		digits = ch.takePrompt(x.Args)
		if ch.takeHangPrompt(x.Args) {
			hangup = ch.cause
		}
	}
	if digits == "" && digitApps[x.App] {
		digits = string(ch.typeAhead)
		ch.typeAhead = nil
	}
	if digits == "" && digitApps[x.App] {
		digits = ch.everyPrompt
	}
	if at, ok := ch.hangOn[x.App]; ok && at == n {
		hangup = ch.cause
	}
	return digits, hangup, n
}

// afterApp returns the hangup cause when the caller hangs up after run n.
func (hk *appHooks) afterApp(x *esltest.Exec, n int) string {
	ch := hk.forCall(x.Call.UUID())
	hk.mu.Lock()
	defer hk.mu.Unlock()
	if at, ok := ch.hangAfter[x.App]; ok && at == n {
		return ch.cause
	}
	return ""
}

// takePrompt returns the digits of the first rule whose file the prompt
// args contain, and drops that rule.
func (ch *callHooks) takePrompt(args string) string {
	for i, r := range ch.prompts {
		if strings.Contains(args, r.file) {
			ch.prompts = append(ch.prompts[:i:i], ch.prompts[i+1:]...)
			return r.digits
		}
	}
	return ""
}

func (ch *callHooks) takeHangPrompt(args string) bool {
	for i, f := range ch.hangPrompt {
		if strings.Contains(args, f) {
			ch.hangPrompt = append(ch.hangPrompt[:i:i], ch.hangPrompt[i+1:]...)
			return true
		}
	}
	return false
}

// releaseOne takes one type-ahead digit of a call ("" if none).
func (hk *appHooks) releaseOne(uuid string) string {
	hk.mu.Lock()
	defer hk.mu.Unlock()
	ch := hk.calls[uuid]
	if ch == nil || len(ch.typeAhead) == 0 {
		return ""
	}
	d := ch.typeAhead[0]
	ch.typeAhead = ch.typeAhead[1:]
	return string(d)
}

// busy reports whether an application is running.
func (hk *appHooks) busy() bool { return hk.running.Load() > 0 }
