//go:build !linux

package ops

// monotonicUsec is 0 where systemd does not run.
func monotonicUsec() int64 { return 0 }
