// Package esl speaks the FreeSWITCH Event Socket protocol in all three modes:
// inbound commands, event consumption and the outbound socket server.
//
// It is a wire-protocol package only: it never imports Lua. The parser is an
// incremental byte state machine (frames may be split anywhere across reads),
// events are decoded lazily, commands are small value types that write their
// own wire text, and every connection has exactly one reader goroutine whose
// replies are matched to callers in order.
package esl

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

// # Memory and the garbage collector
//
// Events are kept in the memory they were read into, so a busy consumer
// allocates as many bytes as it reads (about 7 KB per channel event). In a
// process whose own live heap is small, the Go runtime then collects every
// few megabytes and returns the freed pages to the system, and reading into
// fresh pages costs page faults: on a 2-CPU VM that made the reader about
// 3x slower than in a process with tens of MB of live data. A process that
// mostly streams events can set a memory limit and relax GOGC (for example
// GOMEMLIMIT=128MiB with GOGC=off, if its live heap stays well below the
// limit); docs/performance.md has the measurements.
