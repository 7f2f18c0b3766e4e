package esl

// redacted replaces secrets in String output.
const redacted = "********"

// Auth is "auth <password>", the inbound login.
type Auth struct {
	Password string
}

// AppendWire implements Command.
func (c Auth) AppendWire(dst []byte) []byte { return appendSimple(dst, "auth", c.Password) }

// String implements Command; the password is redacted.
func (c Auth) String() string { return "auth " + redacted }

// UserAuth is "userauth <user>@<domain>:<password>" (User holds
// "user@domain").
type UserAuth struct {
	User, Password string
}

// AppendWire implements Command.
func (c UserAuth) AppendWire(dst []byte) []byte {
	return appendSimple(dst, "userauth", c.User+":"+c.Password)
}

// String implements Command; the password is redacted.
func (c UserAuth) String() string { return "userauth " + c.User + ":" + redacted }

// Exit is "exit": FreeSWITCH replies "+OK bye", sends a disconnect notice
// and closes the socket.
type Exit struct{}

// AppendWire implements Command.
func (Exit) AppendWire(dst []byte) []byte { return appendSimple(dst, "exit") }

// String implements Command.
func (Exit) String() string { return "exit" }

// Connect is the first command on an outbound socket; its reply is the
// channel's CHANNEL_DATA.
type Connect struct{}

// AppendWire implements Command.
func (Connect) AppendWire(dst []byte) []byte { return appendSimple(dst, "connect") }

// String implements Command.
func (Connect) String() string { return "connect" }
