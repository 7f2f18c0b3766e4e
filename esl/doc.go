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
