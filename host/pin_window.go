package host

import (
	"math"
	"sync/atomic"
)

// aliasWindow bounds the read chunks that waiting events keep alive. A
// parsed event aliases the 256 KiB chunk the connection read it into, so
// a waiting event keeps that chunk alive; copying it out instead costs a
// pass over its bytes on the reader's goroutine (14 % of the Lua
// consumer's rate on the realistic mix, where most events wait a little).
// So an event that has to wait keeps aliasing its chunk while every
// waiting event that does so was read at most aliasWindow bytes ago: the
// chunks they keep alive are then about aliasWindow in all (they lie
// between the oldest one and the reader). Once a queue lags further
// behind (a slow handler under a flood), the events that wait are copied
// and cost their own size, which the script queues' byte cap bounds.
const aliasWindow = 8 << 20

// pinWindow tracks, over a dispatcher's queues, how far behind the reader
// the oldest waiting event that still aliases its read chunk is.
type pinWindow struct {
	read   atomic.Int64 // wire bytes of the events dispatched so far
	queues []*workQueue
}

// next advances the read offset by an event of size bytes and returns
// the event's offset.
func (p *pinWindow) next(size int) int64 { return p.read.Add(int64(size) + 1) }

// allows reports whether an event read at off may wait aliasing its
// chunk: no waiting event that aliases one is more than aliasWindow older.
func (p *pinWindow) allows(off int64) bool {
	for _, q := range p.queues {
		if q.oldestPin.Load() <= off-aliasWindow {
			return false
		}
	}
	return true
}

// noPin is oldestPin's value while no waiting event aliases a chunk.
const noPin = math.MaxInt64
