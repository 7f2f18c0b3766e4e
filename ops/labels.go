package ops

import "strings"

// Fallback label values for text outside a bounded set.
const (
	otherLabel = "other"
	otherCause = "OTHER"
)

// sessionCauses are the values of eslscript_sessions_ended_total's cause
// label: the host's own outcomes plus FreeSWITCH's hangup cause names
// (every name of FreeSWITCH 1.10's cause table).
var sessionCauses = setOf(
	"ok", "error", "budget",
	"NONE", "UNSPECIFIED", "UNALLOCATED_NUMBER", "NO_ROUTE_TRANSIT_NET", "NO_ROUTE_DESTINATION",
	"CHANNEL_UNACCEPTABLE", "CALL_AWARDED_DELIVERED", "NORMAL_CLEARING", "USER_BUSY",
	"NO_USER_RESPONSE", "NO_ANSWER", "SUBSCRIBER_ABSENT", "CALL_REJECTED", "NUMBER_CHANGED",
	"REDIRECTION_TO_NEW_DESTINATION", "EXCHANGE_ROUTING_ERROR", "DESTINATION_OUT_OF_ORDER",
	"INVALID_NUMBER_FORMAT", "FACILITY_REJECTED", "RESPONSE_TO_STATUS_ENQUIRY",
	"NORMAL_UNSPECIFIED", "NORMAL_CIRCUIT_CONGESTION", "NETWORK_OUT_OF_ORDER",
	"NORMAL_TEMPORARY_FAILURE", "SWITCH_CONGESTION", "ACCESS_INFO_DISCARDED",
	"REQUESTED_CHAN_UNAVAIL", "PRE_EMPTED", "FACILITY_NOT_SUBSCRIBED", "OUTGOING_CALL_BARRED",
	"INCOMING_CALL_BARRED", "BEARERCAPABILITY_NOTAUTH", "BEARERCAPABILITY_NOTAVAIL",
	"SERVICE_UNAVAILABLE", "BEARERCAPABILITY_NOTIMPL", "CHAN_NOT_IMPLEMENTED",
	"FACILITY_NOT_IMPLEMENTED", "SERVICE_NOT_IMPLEMENTED", "INVALID_CALL_REFERENCE",
	"INCOMPATIBLE_DESTINATION", "INVALID_MSG_UNSPECIFIED", "MANDATORY_IE_MISSING",
	"MESSAGE_TYPE_NONEXIST", "WRONG_MESSAGE", "IE_NONEXIST", "INVALID_IE_CONTENTS",
	"WRONG_CALL_STATE", "RECOVERY_ON_TIMER_EXPIRE", "MANDATORY_IE_LENGTH_ERROR",
	"PROTOCOL_ERROR", "INTERWORKING", "SUCCESS", "ORIGINATOR_CANCEL", "CRASH",
	"SYSTEM_SHUTDOWN", "LOSE_RACE", "MANAGER_REQUEST", "BLIND_TRANSFER", "ATTENDED_TRANSFER",
	"ALLOTTED_TIMEOUT", "USER_CHALLENGE", "MEDIA_TIMEOUT", "PICKED_OFF", "USER_NOT_REGISTERED",
	"PROGRESS_TIMEOUT", "GATEWAY_DOWN", "INVALID_GATEWAY", "INVALID_URL", "INVALID_PROFILE", "NO_PICKUP",
	"SRTP_READ_ERROR", "BOWOUT", "BUSY_EVERYWHERE", "DECLINE", "DOES_NOT_EXIST_ANYWHERE", "NOT_ACCEPTABLE",
	"UNWANTED", "NO_IDENTITY", "BAD_IDENTITY_INFO", "UNSUPPORTED_CERTIFICATE", "INVALID_IDENTITY", "STALE_DATE",
	"REJECT_ALL",
)

// rejectReasons are the values of eslscript_sessions_rejected_total's
// reason label (host.Observer.SessionRejected).
var rejectReasons = setOf("not_allowed", "max_calls", "shutting_down", "no_script")

// dropReasons are the values of eslscript_events_dropped_total's reason
// label (host.Observer.EventDropped).
var dropReasons = setOf("queue_full", "script_queue_full", "shutdown")

// commandWords are the api/bgapi command names that keep their own
// eslscript_command_duration_seconds series; any other is "other".
var commandWords = setOf(
	"api", "bgapi", "sendmsg", "execute", "hangup", "event", "nixevent", "noevents",
	"filter", "myevents", "linger", "nolinger", "sendevent", "log", "nolog", "connect",
	"status", "version", "uptime", "hostname", "global_getvar", "global_setvar",
	"originate", "bridge", "uuid_bridge", "uuid_kill", "uuid_getvar", "uuid_setvar",
	"uuid_setvar_multi", "uuid_transfer", "uuid_broadcast", "uuid_break", "uuid_hold",
	"uuid_park", "uuid_record", "uuid_send_dtmf", "uuid_answer", "uuid_exists",
	"uuid_dump", "uuid_displace", "uuid_playback", "uuid_audio", "uuid_buglist",
	"show", "sofia", "reloadxml", "reload", "load", "unload", "conference", "callcenter_config",
	"fifo", "valet_info", "db", "hash", "group_call", "user_exists", "eval", "expand",
	"sched_api", "sched_hangup", "sched_transfer", "sched_del", "fsctl", "echo", "msleep",
	"create_uuid", "strftime", "console", "json",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// bounded returns v if it is in set, else fallback.
func bounded(set map[string]bool, v, fallback string) string {
	if set[v] {
		return v
	}
	return fallback
}

// SessionCause maps a session outcome or hangup cause onto the bounded
// cause label ("NORMAL_CLEARING", "ok"...; anything unknown is "OTHER").
func SessionCause(cause string) string {
	return bounded(sessionCauses, strings.TrimSpace(cause), otherCause)
}

// CommandLabel maps a command line ("uuid_kill 1234-..." or
// "api status") onto the bounded command label: its first word (the
// word after api/bgapi when present) if known, else "other".
func CommandLabel(cmd string) string {
	fields := strings.Fields(cmd)
	if len(fields) == 0 {
		return otherLabel
	}
	w := strings.ToLower(fields[0])
	if (w == "api" || w == "bgapi") && len(fields) > 1 {
		w = strings.ToLower(fields[1])
	}
	return bounded(commandWords, w, otherLabel)
}
