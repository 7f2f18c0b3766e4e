// Package esl speaks the FreeSWITCH Event Socket protocol in all three modes:
// inbound commands, event consumption and the outbound socket server.
//
// It is a wire-protocol package only: it never imports Lua. The parser is an
// incremental byte state machine (frames may be split anywhere across reads),
// events are decoded lazily, commands are small value types that write their
// own wire text, and every connection has exactly one reader goroutine whose
// replies are matched to callers in order.
//
// # Event delivery
//
// Each connection has one reader goroutine. It hands every event to each
// Subscription with a non-blocking send on a bounded, buffered channel
// (DefaultQueue slots unless SubscribeOptions.Queue says otherwise). When a
// subscriber's queue is full, newer events are dropped for that subscriber
// only and counted (Subscription.Dropped); Subscription.Len shows the lag.
// The socket, the command replies and the other subscribers are never held
// up. This matters because FreeSWITCH disconnects a listener that falls
// 100000 events behind.
//
// # Memory and the garbage collector
//
// Events are kept in the memory they were read into, so a busy consumer
// allocates as many bytes as it reads (about 7 KB per channel event). In a
// process whose own live heap is small, the Go runtime then collects every
// few megabytes and the reader streams through fresh memory: on a 2-CPU VM
// that made the reader about 3x slower than in a process with tens of MB
// of live data. A process that
// mostly streams events can set a memory limit and relax GOGC (for example
// GOMEMLIMIT=128MiB with GOGC=off, if its live heap stays well below the
// limit); docs/performance.md has the measurements.
//
// A consumer that does not keep events can avoid that cost altogether:
//
//   - SubscribeOptions.Borrow makes a subscription receive lent events.
//     The receiver calls Event.Release when done with each one (Clone keeps
//     a copy past that); once every event lent from a read chunk is
//     released, the reader reads into that chunk again, while it is still
//     in the CPU caches, instead of allocating another. Strings read from a
//     lent event are copies, so they stay valid. Events are lent only while
//     every consumer of the connection borrows; otherwise they are owned as
//     usual and Release does nothing. A frame that straddles reads is
//     completed in place in the chunk, so it too is lent, not copied.
//   - Event.Parse parses into an Event the caller reuses, for a loop over
//     Parser that reads each event inside its callback and keeps none: no
//     allocation per event.
package esl
