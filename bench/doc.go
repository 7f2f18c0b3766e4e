// Package bench holds the performance benchmarks of package esl and its
// comparison with a peer library (github.com/percipia/eslgo). It is a
// separate module so that the main module never depends on the peer.
// Everything lives in _test.go files; see docs/performance.md for the
// method and the figures.
package bench
