package main

import (
	"errors"

	"github.com/eslscript/eslscript/esl"
)

// Exit codes of the eslscript process. They are part of the command's
// interface (scripts and service managers branch on them): never renumber.
// The systemd units in deploy/ restart on the transient ones (1, 5) and
// not on those that will not fix themselves (2, 3, 6). exitCodesHelp is
// the same table as printed by `eslscript help`; docs/operations.md has it
// too.
const (
	// exitOK: success (including a clean drain after SIGTERM/SIGINT).
	exitOK = 0
	// exitFailure: a runtime failure that may pass (cannot connect, cannot
	// bind, a listener died).
	exitFailure = 1
	// exitUsage: bad command line or invalid configuration (including a
	// missing or unreadable scripts directory).
	exitUsage = 2
	// exitScripts: a script does not compile, load or validate.
	exitScripts = 3
	// exitTestsFailed: `eslscript test` ran and some script tests failed.
	exitTestsFailed = 4
	// exitScriptError: `eslscript exec`: the script raised an error at run
	// time or ran past --timeout (the next run may succeed); `eslscript
	// api`: FreeSWITCH answered -ERR.
	exitScriptError = 5
	// exitAuth: FreeSWITCH refused the password or the address (ACL).
	exitAuth = 6
	// exitInterrupted: `eslscript exec` stopped by SIGINT or SIGTERM.
	exitInterrupted = 130
)

// exitCodesHelp is the exit code table of `eslscript help`.
const exitCodesHelp = `EXIT CODES:
   0    success (run: a clean stop, including a drain after SIGTERM/SIGINT)
   1    runtime failure that may pass: FreeSWITCH unreachable, cannot bind, a listener died
   2    bad command line or configuration (the message names the key, and its file:line)
   3    a script does not compile, load or validate (the message names FILE:LINE)
   4    test: some script tests failed
   5    exec: the script raised an error at run time or ran past --timeout; api: FreeSWITCH answered -ERR
   6    FreeSWITCH refused the password or this address (ACL): fix the configuration
   130  exec: stopped by SIGINT or SIGTERM
   exec also exits with the integer 0-255 its script returns.`

// runtimeCode is the exit code of a runtime failure: exitAuth when
// FreeSWITCH refused the credentials or the address, else exitFailure.
func runtimeCode(err error) int {
	if errors.Is(err, esl.ErrAuthFailed) || errors.Is(err, esl.ErrRejected) {
		return exitAuth
	}
	return exitFailure
}
