// Package scripttest runs eslscript's Lua script tests: unit tests for
// call scripts, executed by the same host (loader, sandbox, bindings) that
// runs the scripts in production, against the built-in FreeSWITCH
// simulator (esl/esltest).
//
// # Conventions
//
// A test file is named <name>_test.lua and sits beside the script it
// tests (ivr_test.lua tests ivr.lua); the loader never loads *_test.lua
// as scripts. `eslscript test [PATH...]` (and Run) finds test files
// recursively under the given files or directories. The scripts
// directory (Options.Root; the CLI's --scripts) is what the host loads
// for every test, exactly as in production; a test file outside it uses
// the directory given in PATH that holds it (`eslscript test DIR` loads
// DIR, as `eslscript check DIR` does), else its own directory, moved above
// a mod_lua/ folder so that mod_lua/ scripts load as such. Before the first test of a file the whole scripts
// directory is built once: a script that does not compile fails the file
// (reported as a script error with file:line).
//
// # Isolation
//
// Every test file runs in its own Lua state (the test state: the standard
// libraries but io, with debug). Every `it` gets a fresh world: a new
// simulator, a new host (so a new generation, built from the scripts
// directory, init functions run), a new in-memory kv, a new virtual
// clock standing at 2025-01-01 12:00 UTC, and new log capture. Nothing
// leaks from one test to the next but Lua values of the test state.
//
// # Test API (busted's shape)
//
//	describe(name, fn)  context(name, fn)   group tests; fn runs at load
//	it(name, fn)        spec, test          declare a test
//	pending(name)       it(name)            a skipped test
//	before_each(fn)     after_each(fn)      around every test of the block
//	                                        (outer first / inner first;
//	                                        after_each runs after failures)
//	setup(fn)           teardown(fn)        once per block: before its first
//	                                        test that runs, after its last
//	finally(fn)                             in a test: runs when it ends
//	insulate(name, fn)  expose(name, fn)    a block whose global changes are
//	                                        undone after it / a plain block
//
// assert (chainable: assert.are.same, assert.is_not.equal; assert(v, msg)
// keeps Lua's meaning): equals(expected, actual[, msg]) (==), same (deep,
// with a diff), truthy, falsy, is_true, is_false, is_nil, not_nil,
// matches(pattern, s[, init, plain]), has_error(fn[, message]) (message
// compared without the "file:line: " prefix), has_no_error(fn),
// not_equals, not_same, not_matches, near(expected, actual, tolerance),
// fail(msg), and assert.spy(s).was_called([n]) / .was_called_with(...) /
// .was_not_called() (also assert.spy(s).was.called(...)). A failed
// assertion reports the test file and line of the assert call.
//
// Spies and stubs work on tables of the test state: spy.new(fn),
// spy.on(tbl, key), stub(tbl, key[, fn | values...]); a spy records
// s.calls (each call's arguments, with n) and answers s:called_with(...)
// and s:call_count(); mock(tbl[, use_stubs]) spies on (or stubs) every
// function of tbl and its tables. They are reverted after every test.
// Matchers stand for a kind of value in same and was_called_with: match._
// (anything), match.is_string(), is_number(), is_table(), is_function(),
// is_boolean(), is_nil(), is_not_nil(), is_truthy(), is_falsy(),
// is_same(v), is_equal(v), matches(pattern).
//
// # Module stubs and spies
//
// The scripts under test run in the host's own Lua states, on other
// goroutines, so a stub of the test state cannot reach them. Module stubs
// can: the runner wraps every function of the modules it gives the host
// (the Registry's, nested tables included), and the wrapper consults a
// Go-side table of stubs keyed "module.func" (one atomic load when none is
// in force):
//
//	spy.module("log.info")               record the scripts' calls; the
//	                                     real function runs
//	stub.module("esl.api", "+OK", ...)   record them and return these
//	                                     values (stub.NIL for a nil)
//	stub.module(name, stub.returns(nil, "err"))   the same, spelled out
//	stub.module(name, stub.by_arg({ ["1000"] = "gold",
//	    ["2000"] = stub.returns(nil, "blocked") }[, default]))
//	                                     returns by first argument
//
// They return a spy for assert.spy and s.calls, s:called_with,
// s:call_count, s:clear and s:revert, and are reverted after every test.
// A stub is data, never a Lua function: a function would have to run in
// the test state while the script waits in another one, so stub.module
// refuses it, and callbacks given to a stubbed function are not called.
// Arguments are recorded as plain values: tables deep-copied, userdata
// (events), functions and coroutines as their tostring. The name must be
// a registered module's function (checked against the module's table
// once a script has required it). init functions run as the world starts,
// before the test: stubs reach handlers, sessions and timers, not init.
// Everything else of the FreeSWITCH side is faked with sim.api and
// observed with sim.commands, call:apps and sim.logs.
//
// # The sim module (global `sim`, also require("sim"))
//
//	sim.call{script=, caller=, caller_name=, destination=, vars={}}
//	    A simulated inbound call routed to a session script (default:
//	    the script the test file is named after; a name is looked up
//	    beside the test file first). CHANNEL_CREATE fires now; nothing
//	    else happens before call:run().
//	sim.api(name, reply | function(args) return reply end)
//	    Script FreeSWITCH's answer to the api (and bgapi) command name,
//	    e.g. sim.api("originate", "-ERR USER_BUSY"). A function runs in
//	    the test state.
//	sim.commands([pattern])  api/bgapi command lines sent so far
//	    (without "api "), those matching the Lua pattern if given. The
//	    session object's own uuid_* commands are included.
//	sim.event(name[, headers[, body]])  fire an event (a name with "::"
//	    is a CUSTOM subclass) and return once every consumer handler it
//	    reached has run; returns the number of handler runs and raises if
//	    one failed.
//	sim.fired()   events the scripts sent (sendevent, esl.fire):
//	    {name=, subclass=, headers={}, body=}
//	sim.logs([level])  lines the scripts logged (log module,
//	    session:consoleLog): {level=, msg=, script=, call=, <fields>}
//	sim.errors()  failed handler/session runs: {script=, handler=, error=}
//	sim.kv.get/set(key, value[, ttl_ms])/del/incr(key[, n])/keys([prefix])
//	sim.advance(ms)  move virtual time, firing timers and timeouts in
//	    order, letting the scripts settle after each; raises if a timer
//	    or callback failed
//	sim.settle()  wait until the scripts are idle (a heuristic: a quiet period)
//	sim.wait(fn[, what])  wait until fn() returns true (virtual time stands still)
//	sim.now()     virtual milliseconds since the test began
//	sim.script()  the host name of the script the file tests
//
// Call objects:
//
//	call:uuid()
//	call:dtmf(digits)  digits the caller types ahead: handed to the next
//	    application that reads digits (play_and_get_digits, read) as it
//	    starts, or one digit at a time while the script waits for digits
//	    (getDigits, waitForDtmf) with nothing else to do
//	call:on_prompt(file, digits)  press digits when a prompt whose
//	    argument contains file starts (playback, play_and_get_digits,
//	    read, say, phrase, speak); each rule is used once, in order
//	call:hangup_on(app[, n[, cause]])     caller hangs up as the nth run
//	    of app starts (mid-prompt)
//	call:hangup_after(app[, n[, cause]])  ... right after it ends
//	call:hangup_on_prompt(file[, cause])  ... as that prompt starts
//	call:hangup([cause])                  ... now
//	call:run([{allow_error=true}])  connect the call to the host's
//	    outbound listener ("socket ... async full") and wait until the
//	    script returned, the call ended and the consumer handlers caught
//	    up; returns result ("ok", "error", "budget"), err. Raises when the
//	    session script raised, unless allow_error.
//	call:apps()      {{app=, arg=, raw=, response=}, ...} in order; arg
//	    without the binding's "%[...]" scoped-variable prefix, raw as sent
//	call:app_names() {"answer", "playback", ...}
//	call:var(name) / call:vars()  channel variables now
//	call:vars_set()  variables the script set (set/export apps,
//	    setVariable), name -> last value
//	call:hangup_cause(), call:answered(), call:transferred_to(),
//	call:sent_dtmf(), call:result(), call:error()
//	call:event(name[, headers[, body]])  like sim.event, as a channel
//	    event of this call (channel data and caller profile filled in)
//
// # Time
//
// Scripts wait on a virtual clock (bindings.Clock): getDigits,
// waitForDtmf and waitForEvent timeouts, job waits, timer.after and the
// scripts' timers. It only moves inside call:run, sim.event (to the next
// deadline, whenever the system is idle) and sim.advance (to a chosen
// point), so a 30-second timeout costs a few milliseconds. "Idle" is
// decided by observation: no command reached the simulator, no
// application started or ended, no event reached the host, no handler
// finished, no log line and no new wait for quietPeriod (10 ms of real
// time), no simulated application running and no command of a script
// awaiting its reply. Type-ahead digits go to a waiting script only once
// it armed a new wait since the last application ended, or after 500 ms
// of idleness. The simulator's own durations (sleep,
// silence_stream prompts, play_and_get_digits and read timeouts) run at
// 1/250 of real time. os.time() is real time.
//
// # Watch
//
// Watch (`eslscript test --watch`) runs the selected tests, then, after
// every debounced change under the scripts directories, those the change
// affects (Affected): a test file itself, a script the test file beside
// it, anything else (a lib/ module, a script without a test, a data file)
// all of them. Deleted test files are dropped; a deleted script runs its
// test, which then reports the missing script.
//
// # Budget
//
// Each test has a real-time budget (Options.Timeout, default 5 s,
// --timeout): the test state's Lua is stopped at once, session scripts
// are bounded by the same budget, handlers by Options.HandlerBudget. A
// test past its budget fails with KindTimeout and the run goes on.
package scripttest
