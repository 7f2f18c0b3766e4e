package esl

// DialStatus is the DIALSTATUS channel variable FreeSWITCH's originate
// (switch_ivr_originate) sets for a hangup cause: CANCEL, BUSY, NOANSWER,
// INVALIDARGS or DONTCALL for the causes that have one, else the cause
// itself.
func DialStatus(cause string) string {
	switch cause {
	case "ORIGINATOR_CANCEL":
		return "CANCEL"
	case "USER_BUSY":
		return "BUSY"
	case "NO_ANSWER":
		return "NOANSWER"
	case "DESTINATION_OUT_OF_ORDER", "INVALID_PROFILE":
		return "INVALIDARGS"
	case "CALL_REJECTED":
		return "DONTCALL"
	}
	return cause
}
