// Package conformance holds the simulator (package esltest) to a real
// FreeSWITCH 1.10.12 (internal/realfs): every scenario runs the same steps
// against both, through the project's own esl package, and compares what
// a client can observe (reply texts, event names and order per leg, key
// headers, application responses and variables, hangup causes, what
// happens after an outbound socket ends).
//
// Each scenario is a test TestConformance/<scenario> with the subtests
// real, sim and compare. A difference that the simulator keeps on purpose
// is listed in esltest's package documentation and left out of the
// scenario's observations, never silently tolerated.
package conformance

import (
	"os"
	"testing"

	"github.com/eslscript/eslscript/internal/realfs"
)

func TestMain(m *testing.M) { os.Exit(realfs.Main(m)) }
