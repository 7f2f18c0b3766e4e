package esl

import "strconv"

// AppendPlain writes the event as FreeSWITCH's text/event-plain body:
// URL-encoded values, then Content-Length and the body when there is one.
// Like switch_event_serialize, an empty value is written as "_undef_".
func (e *Event) AppendPlain(dst []byte) []byte {
	e.Range(func(name, value string) bool {
		dst = append(dst, name...)
		dst = append(dst, ": "...)
		if value == "" {
			dst = append(dst, "_undef_"...)
		} else {
			dst = URLEncode(dst, value)
		}
		dst = append(dst, '\n')
		return true
	})
	body := e.Body()
	if body == "" {
		return append(dst, '\n')
	}
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(body)), 10)
	dst = append(dst, "\n\n"...)
	return append(dst, body...)
}
