package esl

import "strconv"

// Log is "log [<level>]" (a number 0-7 or a name such as "DEBUG"); an
// empty level means DEBUG. log/data frames follow (see ConnOptions.OnFrame).
type Log struct {
	Level string
}

// AppendWire implements Command.
func (c Log) AppendWire(dst []byte) []byte { return appendSimple(dst, "log", c.Level) }

// String implements Command.
func (c Log) String() string { return wireString(c) }

// NoLog is "nolog".
type NoLog struct{}

// AppendWire implements Command.
func (NoLog) AppendWire(dst []byte) []byte { return appendSimple(dst, "nolog") }

// String implements Command.
func (NoLog) String() string { return "nolog" }

// Linger is "linger [<seconds>]". Seconds <= 0 sends plain "linger", which
// FreeSWITCH takes as "forever".
type Linger struct {
	Seconds int
}

// AppendWire implements Command.
func (c Linger) AppendWire(dst []byte) []byte {
	if c.Seconds <= 0 {
		return appendSimple(dst, "linger")
	}
	return appendSimple(dst, "linger", strconv.Itoa(c.Seconds))
}

// String implements Command.
func (c Linger) String() string { return wireString(c) }

// NoLinger is "nolinger".
type NoLinger struct{}

// AppendWire implements Command.
func (NoLinger) AppendWire(dst []byte) []byte { return appendSimple(dst, "nolinger") }

// String implements Command.
func (NoLinger) String() string { return "nolinger" }

// Resume is "resume": the dialplan continues after the socket ends.
type Resume struct{}

// AppendWire implements Command.
func (Resume) AppendWire(dst []byte) []byte { return appendSimple(dst, "resume") }

// String implements Command.
func (Resume) String() string { return "resume" }

// GetVar is "getvar <name>" (session sockets only). The reply text is the
// raw value, truncated near 500 bytes; an unset variable gives
// "-ERR command not found". Prefer API "uuid_getvar".
type GetVar struct {
	Name string
}

// AppendWire implements Command.
func (c GetVar) AppendWire(dst []byte) []byte { return appendSimple(dst, "getvar", c.Name) }

// String implements Command.
func (c GetVar) String() string { return wireString(c) }
