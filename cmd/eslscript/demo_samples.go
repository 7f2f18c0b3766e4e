package main

// sampleHeaders are the headers the demo puts on the events it fires for
// the example scripts (scripts/examples), so that `run --simulate
// scripts/examples` shows them doing their job rather than refusing an
// empty request. Other events are fired with the simulator's headers only.
var sampleHeaders = map[string]map[string]string{
	// click_to_call.lua: ring agent 1000, then bridge customer 5551234
	"click2call::request": {"agent": "1000", "customer": "5551234"},
}
