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
// What is modelled. Applications: answer, pre_answer, park, hangup, set,
// export, unset, log, info, ring_ready, sleep, playback, say, phrase,
// speak, record, transfer, bridge, play_and_get_digits, read, and socket
// (Dial, or originate's '&socket(addr async full)', quoted as on
// FreeSWITCH). Any other application completes at once with
// Application-Response _none_ and is recorded in Call.Executed, as most
// FreeSWITCH applications that set no response do; the simulator cannot
// know which applications a real server has loaded, so applications
// named in Options.MissingApps (or given a nil implementation with
// HandleApp) behave like an application FreeSWITCH does not have: the
// call hangs up with DESTINATION_OUT_OF_ORDER and no event is fired (see
// OtherApps). Api commands: status, version, hostname, uptime,
// global_getvar, global_setvar, module_exists, show (calls count,
// channels count, channels, channels as json), eval, msleep, originate,
// hash and db (in memory, with mod_hash's and mod_db's replies),
// reloadxml (fires RELOADXML), sofia status (the two profiles of the
// default configuration, running), and uuid_kill, uuid_getvar,
// uuid_setvar, uuid_transfer, uuid_answer, uuid_pre_answer, uuid_park,
// uuid_bridge (CHANNEL_BRIDGE; when a side hangs up the other gets
// CHANNEL_UNBRIDGE and, with park_after_bridge=true, CHANNEL_PARK; no
// media flows), uuid_dump, uuid_break, uuid_fileman, uuid_exists,
// uuid_send_dtmf (recorded: Call.SentDTMF), uuid_recv_dtmf (the caller
// presses digits), uuid_flush_dtmf; any other command answers
// "-ERR <name> Command not found!" as FreeSWITCH does for a module it
// has not loaded. HandleApp and HandleAPI add or replace either;
// ReplyAPI gives a fixed reply to a command line.
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
// The end of an outbound socket is FreeSWITCH's: when the connection
// ends with the call up, the socket application returns (after
// CHANNEL_UNPARK in async mode) and the dialplan continues with
// CallOptions.AfterSocket, then the call hangs up with NORMAL_CLEARING at
// the end of the extension; Call.SocketState tells a test which way it
// went. In async mode a connection that ends before the call was parked
// leaves it parked in the socket application until it hangs up
// (SocketStuck). A hangup lands first (Call.Hangup: CHANNEL_HANGUP, then
// the running application completes on a hung-up channel) or after the
// running application (Call.HangupAfterApp: a far end that loses its media
// first), so a test chooses either order FreeSWITCH produces; in both,
// CHANNEL_HANGUP_COMPLETE comes last, after CHANNEL_UNPARK and the socket
// application's completion, and CHANNEL_DESTROY only after the call's
// outbound socket ended (the listener holds the session). Every sendmsg
// the call dequeued is followed by
// PRIVATE_COMMAND when the call had media (an unknown call-command does
// nothing else); without media FreeSWITCH fires it only for a sendmsg that
// lands in a moment of its park loop, which the simulator never does. Package conformance (esl/esltest/conformance) runs the
// same scenarios on a real FreeSWITCH 1.10.12 and on the simulator and
// compares them.
//
// Deliberate differences from FreeSWITCH:
//
//   - there is no dialplan: an extension target (originate, transfer)
//     parks the call or records the transfer (Call.TransferredTo) without
//     running anything, and the only dialplan is CallOptions.AfterSocket;
//     originate and bridge reach every dial string except error/CAUSE,
//     unknown endpoint modules (CHAN_NOT_IMPLEMENTED) and Server.FailDial
//     rules (FreeSWITCH routes loopback/EXT through its dialplan, so an
//     unknown extension gives NO_ROUTE_DESTINATION there);
//   - an async outbound call is parked when the client first subscribes or
//     sends sendmsg (FreeSWITCH parks a few milliseconds after connect, so
//     whether a socket sees CHANNEL_PARK, and whether a socket that ends
//     right after connect leaves the call stuck, is a race there);
//   - media takes no time except silence_stream://N (N ms) and the waits
//     of digit collection; every file exists unless Options.FileExists
//     says otherwise;
//   - sendmsg from another connection runs even if the call is not parked;
//   - park leaves injected digits queued unless Options.ParkConsumesDTMF
//     is set;
//   - channel events carry the headers a client relies on, not all of
//     FreeSWITCH's: fewer variables (CHANNEL_HANGUP_COMPLETE has about 70
//     headers where a real call has about 130), no CODEC, CALL_UPDATE or
//     RE_SCHEDULE, and a call made with NewCall starts at CHANNEL_CREATE
//     in CS_EXECUTE (originate goes through FreeSWITCH's states);
//   - FreeSWITCH-Hostname is Options.Hostname ("esltest" by default);
//   - an application the simulator does not model completes with
//     _none_ instead of doing its work (FreeSWITCH hangs up for an
//     application it has not loaded: Options.MissingApps);
//   - the api commands are a subset (see Server.HandleAPI to add more);
//     "show channels as json" has the main columns only.
package esltest
