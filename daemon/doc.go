// Package daemon is eslscript's long-running daemon as a Go value: Start
// loads the scripts, binds every outbound listener, connects every node,
// opens the kv store, serves the admin endpoint, tells systemd it is ready
// and starts the program's own components; Reload, StopAccepting and
// Shutdown (the drain) act on it. `eslscript run` is this package behind a
// command line; an embedding Go program gets the same daemon from
// one call. Every piece of state (metrics, admin endpoint, systemd
// notifier, components) lives in the Daemon value, so several daemons
// can run in one process.
package daemon
