package esl

import "strings"

// EventCmd is "event <format> <NAMES...> [CUSTOM <subclass>...]". Each
// "event" command adds to the connection's subscriptions; the format is
// sticky for the whole connection.
//
// Names may hold several space-separated words. A word containing "::" is
// a CUSTOM subclass; "CUSTOM" makes every later word of that name a
// subclass. Subclasses are always written last, after one CUSTOM keyword,
// because FreeSWITCH takes every word after CUSTOM as a subclass. Repeated
// names are written once.
type EventCmd struct {
	Format Format
	Names  []string
}

// AppendWire implements Command.
func (c EventCmd) AppendWire(dst []byte) []byte {
	dst = append(dst, "event "...)
	dst = append(dst, formatWord(c.Format)...)
	dst = appendEventNames(dst, c.Names)
	return append(dst, "\n\n"...)
}

// String implements Command.
func (c EventCmd) String() string { return wireString(c) }

// NixEvent is "nixevent <NAMES...> [CUSTOM <subclass>...]": it removes
// subscriptions. Names are handled as in EventCmd.
type NixEvent struct {
	Names []string
}

// AppendWire implements Command.
func (c NixEvent) AppendWire(dst []byte) []byte {
	dst = append(dst, "nixevent"...)
	dst = appendEventNames(dst, c.Names)
	return append(dst, "\n\n"...)
}

// String implements Command.
func (c NixEvent) String() string { return wireString(c) }

// NoEvents is "noevents": it drops every subscription (and queued event).
type NoEvents struct{}

// AppendWire implements Command.
func (NoEvents) AppendWire(dst []byte) []byte { return appendSimple(dst, "noevents") }

// String implements Command.
func (NoEvents) String() string { return "noevents" }

// MyEvents is "myevents [<uuid>] [json|xml]": the events of one call only.
// Leave UUID empty on an outbound socket. The format word is written only
// for JSON and XML.
type MyEvents struct {
	UUID   string
	Format Format
}

// AppendWire implements Command.
func (c MyEvents) AppendWire(dst []byte) []byte {
	fw := ""
	if c.Format != FormatPlain {
		fw = formatWord(c.Format)
	}
	return appendSimple(dst, "myevents", c.UUID, fw)
}

// String implements Command.
func (c MyEvents) String() string { return wireString(c) }

// DivertEvents is "divert_events on|off".
type DivertEvents struct {
	On bool
}

// AppendWire implements Command.
func (c DivertEvents) AppendWire(dst []byte) []byte {
	if c.On {
		return appendSimple(dst, "divert_events", "on")
	}
	return appendSimple(dst, "divert_events", "off")
}

// String implements Command.
func (c DivertEvents) String() string { return wireString(c) }

// appendEventNames writes " A B CUSTOM sub1 sub2" from names.
func appendEventNames(dst []byte, names []string) []byte {
	plain, subs, custom := splitEventNames(names)
	dst = appendWords(dst, plain...)
	if custom || len(subs) > 0 {
		dst = append(dst, " CUSTOM"...)
		dst = appendWords(dst, subs...)
	}
	return dst
}

// splitEventNames sorts words into event names and CUSTOM subclasses,
// keeping first-seen order and dropping repeats.
func splitEventNames(names []string) (plain, subs []string, custom bool) {
	seen := make(map[string]bool)
	for _, n := range names {
		afterCustom := false
		for _, w := range strings.Fields(n) {
			switch {
			case strings.EqualFold(w, "CUSTOM"):
				custom, afterCustom = true, true
			case afterCustom || strings.Contains(w, "::"):
				subs = addOnce(subs, seen, "\x00"+w)
			default:
				plain = addOnce(plain, seen, w)
			}
		}
	}
	for i, s := range subs {
		subs[i] = s[1:]
	}
	return plain, subs, custom
}

// addOnce appends w unless seen already has it.
func addOnce(list []string, seen map[string]bool, w string) []string {
	if seen[w] {
		return list
	}
	seen[w] = true
	return append(list, w)
}
