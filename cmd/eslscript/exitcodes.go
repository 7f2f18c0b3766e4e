package main

// Exit codes of the eslscript process. They are part of the command's
// interface (scripts and service managers branch on them): never renumber.
const (
	// exitOK: success (including a clean drain after SIGTERM/SIGINT).
	exitOK = 0
	// exitFailure: a runtime failure (cannot connect, cannot bind, crash).
	exitFailure = 1
	// exitUsage: bad command line or invalid configuration (including a
	// missing or unreadable scripts directory).
	exitUsage = 2
	// exitScripts: a script failed to compile, run or validate.
	exitScripts = 3
	// exitTestsFailed: `eslscript test` ran and some script tests failed.
	//lint:ignore U1000 reserved for the test command (cmd/eslscript/test.go)
	exitTestsFailed = 4
)
