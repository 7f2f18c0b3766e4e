// Package bindings holds eslscript's Lua modules, one per file, and the one
// registry that lists them. A Go program that embeds the host adds its own
// modules beside the built-in ones with Registry.Add (a Module written by
// hand) or Registry.AddGo (a Go value's methods).
//
// A module author reads one file, runtime.go: a Module's Open gets the
// state's Runtime, which says what the state may reach (its script, the
// logger, the kv store, the clock, the FreeSWITCH nodes), the Scope of the
// run in progress (its context, node, call and commander: read it when a
// function runs), how to schedule a callback that runs later under the
// scope of the run that scheduled it (Runtime.Defer), and the hooks that
// release what a run or the state holds (OnEnd, OnClose).
//
// Lua-facing conventions: runtime failures (a refused command, a hung-up
// call, a timeout) return nil, err; misuse (a wrong argument type, a missing
// argument) raises. Our own modules use short lowercase names; the session
// object keeps mod_lua's method names and argument order.
package bindings
