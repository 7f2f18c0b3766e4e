// Package test holds the end-to-end tests: they build the real eslscript
// binary once (TestMain), run it as a child process against the FreeSWITCH
// simulator (package esl/esltest) started inside the test, and assert what
// the simulated calls saw, what the simulator received and what the binary
// logged (JSON lines on stderr) and exited with.
package test
