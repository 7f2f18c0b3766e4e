package esl

// Size returns about how many bytes the event holds: its wire text for a
// parsed event (headers and body, as received), the lengths of its header
// names, values and body for a built one. It is meant for memory budgets
// (how much a queue of events keeps alive), not for framing.
func (e *Event) Size() int {
	if !e.built {
		return len(e.s)
	}
	n := len(e.body)
	for _, h := range e.hs {
		n += len(h.name) + len(h.value) + 4 // ": " and a line end, as on the wire
	}
	return n
}
