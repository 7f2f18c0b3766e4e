//go:build !unix

package host_test

import "time"

// processCPU is not measured on this platform (cpu-ns/event reads 0).
func processCPU() time.Duration { return 0 }
