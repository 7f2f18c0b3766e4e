// Package esl speaks the FreeSWITCH Event Socket protocol in all three modes:
// inbound commands, event consumption and the outbound socket server.
//
// It is a wire-protocol package only: it never imports Lua. The parser is an
// incremental byte state machine (frames may be split anywhere across reads),
// events are decoded lazily, commands are small value types that write their
// own wire text, and every connection has exactly one reader goroutine whose
// replies are matched to callers in order.
package esl
