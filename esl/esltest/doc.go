// Package esltest is a simulated FreeSWITCH for tests, in the spirit of
// net/http/httptest. It speaks the exact Event Socket wire format of
// FreeSWITCH 1.10 (mod_event_socket) on loopback:
//
//   - inbound: auth/request greeting, auth and userauth, ACL rejection,
//     api (pluggable handlers with realistic defaults such as originate,
//     uuid_getvar, uuid_kill), bgapi with BACKGROUND_JOB, event/nixevent/
//     noevents subscriptions, filters with FreeSWITCH's semantics, sendevent,
//     sendmsg, myevents, log;
//   - simulated calls (NewCall, api originate) that run sendmsg applications
//     (answer, playback, play_and_get_digits, read, bridge, set, hangup...)
//     and fire realistic channel events;
//   - outbound: Dial connects a call to an outbound socket server like the
//     socket dialplan application (connect reply, myevents, linger,
//     async/full modes, event-lock);
//   - fault injection: abrupt close, 1-byte writes, corrupt event headers,
//     huge bodies, floods that overrun slow readers, restarts on the same
//     address.
//
// Events are serialized with package esl (plain, json and xml). Like
// FreeSWITCH, a connection writes queued events only between commands, so
// the reply to a command always precedes the events it caused.
//
// Application arguments are handled as switch_core_session_exec does:
// ${var} and $${global} are expanded first, then a leading %[k=v,...] (or
// %<delim>[...]) prefix is stripped and its variables are visible (Var,
// scope_variable_* headers) during that one execution only; applications
// and uuid_* api commands then split the rest like switch_separate_string
// (single quotes group words, ” is an empty argument, backslash escapes).
//
// Time is controllable: Options.TimeScale multiplies every simulated
// duration (0.001 turns a 5 s digit timeout into 5 ms), and Call.CloseDTMF
// makes digit-collecting applications give up at once when no digits are
// queued.
//
// Start returns a Server usable outside tests (the product's simulate mode);
// New does the same for a test and registers Cleanup:
//
//	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
//	conn, _ := net.Dial("tcp", sim.Addr()) // or an esl.Client
//	...
//	call := sim.NewCall(esltest.CallOptions{CallerIDNumber: "1000", DTMF: "1234#"})
//	sim.Dial(ctx, appAddr, call, esltest.DialOptions{Async: true, Full: true})
//	exe, err := call.WaitExecuted(ctx, "play_and_get_digits")
//	_ = call.Var("my_digits")
//
// Deliberate differences from FreeSWITCH: there is no dialplan (an
// extension target parks the call; the end of an outbound socket hangs the
// call up with NORMAL_CLEARING); an async outbound call is parked when the
// client first subscribes or sends sendmsg (FreeSWITCH parks a few
// milliseconds after connect); ordinary prompts play instantly (only
// silence_stream://N takes N ms); sendmsg from another connection runs even
// if the call is not parked; and park leaves injected digits queued unless
// Options.ParkConsumesDTMF is set.
package esltest
