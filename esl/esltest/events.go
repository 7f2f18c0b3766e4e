package esltest

import (
	"strconv"
	"sync/atomic"
	"time"

	"github.com/eslscript/eslscript/esl"
)

var eventSeq atomic.Uint64

// origin is the Event-Calling-* triple FreeSWITCH reports for an event.
type origin struct {
	file, fn string
	line     int
}

var origins = map[string]origin{
	"CHANNEL_CREATE":           {"switch_core_state_machine.c", "switch_core_session_run", 626},
	"CHANNEL_ANSWER":           {"switch_channel.c", "switch_channel_perform_mark_answered", 3922},
	"CHANNEL_PROGRESS_MEDIA":   {"switch_channel.c", "switch_channel_perform_mark_pre_answered", 3706},
	"CHANNEL_EXECUTE":          {"switch_core_session.c", "switch_core_session_exec", 2944},
	"CHANNEL_EXECUTE_COMPLETE": {"switch_core_session.c", "switch_core_session_exec", 2967},
	"CHANNEL_HANGUP":           {"switch_channel.c", "switch_channel_perform_hangup", 3445},
	"CHANNEL_HANGUP_COMPLETE":  {"switch_core_state_machine.c", "switch_core_session_reporting_state", 946},
	"CHANNEL_PARK":             {"switch_ivr.c", "switch_ivr_park", 1002},
	"CHANNEL_UNPARK":           {"switch_ivr.c", "switch_ivr_park", 1342},
	"CHANNEL_STATE":            {"switch_channel.c", "switch_channel_perform_set_running_state", 2489},
	"CHANNEL_ORIGINATE":        {"switch_ivr_originate.c", "switch_ivr_originate", 3735},
	"CHANNEL_OUTGOING":         {"switch_core_session.c", "switch_core_session_outgoing_channel", 812},
	"CHANNEL_BRIDGE":           {"switch_ivr_bridge.c", "audio_bridge_on_exchange_media", 718},
	"CHANNEL_UNBRIDGE":         {"switch_ivr_bridge.c", "audio_bridge_on_exchange_media", 845},
	"CHANNEL_DATA":             {"mod_event_socket.c", "parse_command", 2021},
	"DTMF":                     {"switch_channel.c", "switch_channel_dequeue_dtmf", 677},
	"HEARTBEAT":                {"switch_core.c", "send_heartbeat", 95},
	"BACKGROUND_JOB":           {"mod_event_socket.c", "api_exec", 1572},
	"CUSTOM":                   {"mod_event_socket.c", "parse_command", 2275},
}

func originFor(name string) origin {
	if o, ok := origins[name]; ok {
		return o
	}
	return origin{"esltest.go", "esltest_fire", 1}
}

// NewEvent returns an event with FreeSWITCH's delivery headers (Event-Name,
// Core-UUID, FreeSWITCH-Hostname/-Switchname/-IPv4/-IPv6, Event-Date-*,
// Event-Calling-*, Event-Sequence). Add more headers, then Fire it.
func (s *Server) NewEvent(name string) *esl.Event {
	return s.newEventLocked(name)
}

func (s *Server) newEventLocked(name string) *esl.Event {
	ev := esl.NewEvent(name)
	s.addPrep(ev, originFor(name))
	return ev
}

// addPrep appends the switch_event_prep_for_delivery headers after
// Event-Name.
func (s *Server) addPrep(ev *esl.Event, o origin) {
	now := time.Now()
	ev.Add("Core-UUID", s.coreUUID)
	ev.Add("FreeSWITCH-Hostname", s.opts.Hostname)
	ev.Add("FreeSWITCH-Switchname", s.opts.Hostname)
	ev.Add("FreeSWITCH-IPv4", "127.0.0.1")
	ev.Add("FreeSWITCH-IPv6", "::1")
	ev.Add("Event-Date-Local", now.Format("2006-01-02 15:04:05"))
	ev.Add("Event-Date-GMT", now.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT"))
	ev.Add("Event-Date-Timestamp", strconv.FormatInt(now.UnixMicro(), 10))
	ev.Add("Event-Calling-File", o.file)
	ev.Add("Event-Calling-Function", o.fn)
	ev.Add("Event-Calling-Line-Number", strconv.Itoa(o.line))
	ev.Add("Event-Sequence", strconv.FormatUint(eventSeq.Add(1), 10))
}

// ChannelEvent returns a channel event for call with the headers
// switch_channel_event_set_data adds (state, names, Caller-* profile and,
// for the events that carry them, variable_*). Fire it to deliver it.
func (s *Server) ChannelEvent(call *Call, name string) *esl.Event {
	ev := s.newEventLocked(name)
	call.addChannelData(ev, varEvents[name])
	return ev
}

// CustomEvent returns a CUSTOM event with Event-Subclass set.
func (s *Server) CustomEvent(subclass string) *esl.Event {
	ev := s.newEventLocked("CUSTOM")
	ev.Add("Event-Subclass", subclass)
	return ev
}

// Heartbeat fires a HEARTBEAT event like the core's send_heartbeat.
func (s *Server) Heartbeat() {
	s.emit("HEARTBEAT", func(ev *esl.Event) {
		up := time.Since(s.started)
		ev.Add("Event-Info", "System Ready")
		ev.Add("Up-Time", uptimeText(up))
		ev.Add("FreeSWITCH-Version", versionShort)
		ev.Add("Uptime-msec", strconv.FormatInt(up.Milliseconds(), 10))
		ev.Add("Session-Count", strconv.Itoa(s.liveCount()))
		ev.Add("Max-Sessions", "1000")
		ev.Add("Session-Per-Sec", "30")
		ev.Add("Session-Per-Sec-Last", "0")
		ev.Add("Session-Per-Sec-Max", "0")
		ev.Add("Session-Per-Sec-FiveMin", "0")
		ev.Add("Session-Since-Startup", strconv.Itoa(s.sessionCount()))
		ev.Add("Session-Peak-Max", "0")
		ev.Add("Session-Peak-FiveMin", "0")
		ev.Add("Idle-CPU", "99.000000")
	})
}
