// Package host runs eslscript's Lua scripts: it loads every script of a
// directory into an immutable generation, swaps generations atomically on
// reload, dispatches FreeSWITCH events to consumer handlers (one call's
// events in order, different calls in parallel) and runs one goroutine with
// its own Lua state for every outbound call.
package host
