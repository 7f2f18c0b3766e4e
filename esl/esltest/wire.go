package esltest

import (
	"strconv"
	"strings"
)

// Exact texts FreeSWITCH writes.
const (
	authRequest     = "Content-Type: auth/request\n\n"
	rudeRejection   = "Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n"
	byeMessage      = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"
	lostEventsMsg   = "killed listener because of lost events\n"
	shutdownMessage = "The system is being shut down.\n"
)

// commandReply frames a command/reply (no Content-Length).
func commandReply(text string) []byte {
	return []byte("Content-Type: command/reply\nReply-Text: " + text + "\n\n")
}

// apiResponse frames an api/response with its body.
func apiResponse(body string) []byte {
	return []byte("Content-Type: api/response\nContent-Length: " + strconv.Itoa(len(body)) + "\n\n" + body)
}

// eventFrame frames a serialized event (Content-Length before Content-Type).
func eventFrame(contentType string, body []byte) []byte {
	head := "Content-Length: " + strconv.Itoa(len(body)) + "\nContent-Type: " + contentType + "\n\n"
	return append([]byte(head), body...)
}

// disconnectNotice frames a text/disconnect-notice; session is the
// controlled call's uuid or "" for a plain listener.
func disconnectNotice(session, msg string) []byte {
	var b strings.Builder
	b.WriteString("Content-Type: text/disconnect-notice\n")
	if session != "" {
		b.WriteString("Controlled-Session-UUID: " + session + "\nContent-Disposition: disconnect\n")
	}
	b.WriteString("Content-Length: " + strconv.Itoa(len(msg)) + "\n\n" + msg)
	return []byte(b.String())
}

// lingerNotice frames the notice a lingering session listener gets at hangup.
func lingerNotice(session, channel string, secs int) []byte {
	return []byte("Content-Type: text/disconnect-notice\nControlled-Session-UUID: " + session +
		"\nContent-Disposition: linger\nChannel-Name: " + channel +
		"\nLinger-Time: " + strconv.Itoa(secs) + "\nContent-Length: 0\n\n")
}

// logFrame frames one log/data packet.
func logFrame(level int, text string) []byte {
	return []byte("Content-Type: log/data\nContent-Length: " + strconv.Itoa(len(text)) +
		"\nLog-Level: " + strconv.Itoa(level) + "\nText-Channel: 3\nLog-File: esltest.go\n" +
		"Log-Func: esltest_log\nLog-Line: 1\nUser-Data: \n\n" + text)
}
