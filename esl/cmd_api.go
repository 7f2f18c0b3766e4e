package esl

// API is "api <command and args>"; FreeSWITCH answers with an api/response
// whose body is the output. It runs inline and blocks the connection (and
// its event delivery) until it returns.
type API struct {
	Command string
}

// AppendWire implements Command.
func (c API) AppendWire(dst []byte) []byte { return appendSimple(dst, "api", c.Command) }

// String implements Command.
func (c API) String() string { return wireString(c) }

// BgAPI is "bgapi <command and args>" with an optional Job-UUID header of
// our choosing. The result comes later as a BACKGROUND_JOB event.
type BgAPI struct {
	Command string
	// JobUUID, if set, is sent as the Job-UUID header (FreeSWITCH uses it).
	JobUUID string
}

// NewBgAPI returns a BgAPI with a fresh random Job-UUID.
func NewBgAPI(command string) BgAPI {
	return BgAPI{Command: command, JobUUID: NewUUID()}
}

// AppendWire implements Command.
func (c BgAPI) AppendWire(dst []byte) []byte {
	dst = append(dst, "bgapi"...)
	dst = appendWords(dst, c.Command)
	dst = append(dst, '\n')
	if c.JobUUID != "" {
		dst = appendHeader(dst, "Job-UUID", c.JobUUID)
	}
	return append(dst, '\n')
}

// String implements Command.
func (c BgAPI) String() string { return wireString(c) }
