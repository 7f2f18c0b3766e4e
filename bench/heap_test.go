package bench

import (
	"os"
	"strconv"
)

// appHeap is live memory that BENCH_HEAP_MB asks for: the state of the
// application around the ESL client (caches, Lua states, its own data).
// The garbage collector sizes its cycles from the live heap, so with the
// benchmark's own ~1 MiB it collects every ~4 MB read, which a real
// process with tens of MB of state does not; BENCH_HEAP_MB=64 shows both
// libraries in such a process. Off by default.
var appHeap [][]byte

func init() {
	mb, _ := strconv.Atoi(os.Getenv("BENCH_HEAP_MB"))
	for range mb {
		appHeap = append(appHeap, make([]byte, 1<<20))
	}
}
