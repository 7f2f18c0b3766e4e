package esltest

import (
	"sort"
	"sync"
	"time"
)

// CallOptions describe a simulated channel.
type CallOptions struct {
	// UUID is the channel uuid (default: random).
	UUID string
	// CallerIDNumber and CallerIDName are the caller profile's caller id
	// (default number "0000000000").
	CallerIDNumber, CallerIDName string
	// Destination is Caller-Destination-Number (default "9000").
	Destination string
	// Context is the dialplan context (default "default").
	Context string
	// ChannelName defaults to "sofia/internal/<number>@127.0.0.1".
	ChannelName string
	// Direction is "inbound" (default) or "outbound".
	Direction string
	// Variables are extra channel variables (variable_* headers).
	Variables map[string]string
	// DTMF digits queued from the start (as by SendDTMF).
	DTMF string
	// AfterSocket is the dialplan after the socket application (see
	// Server.Dial): the applications that run, in order, once the socket
	// app returned with the call up. The call then hangs up with
	// NORMAL_CLEARING, as FreeSWITCH does at the end of an extension; nil
	// means nothing follows the socket app.
	AfterSocket []DialplanApp
}

// DialplanApp is one dialplan action: an application and its argument.
type DialplanApp struct {
	App, Args string
}

// Call is a simulated FreeSWITCH channel. It runs queued sendmsg
// applications one after another on its own goroutine.
type Call struct {
	s       *Server
	uuid    string
	created time.Time
	kick    chan struct{}
	ended   chan struct{}

	mu          sync.Mutex
	prof        CallOptions
	direction   string
	state       string
	stateNum    int
	callState   string
	answerState string
	hangupCause string
	down        bool
	answeredAt  time.Time
	varNames    []string
	vars        map[string]string
	scopes      []scope
	dtmf        []rune
	dtmfClosed  bool
	sentDTMF    string
	msgs        []*message
	executed    []Execution
	received    []*receivedEvent
	transferTo  string
	breakReq    bool
	parked      bool
	farCause    string // a far-end hangup waiting for the running app
	running     int    // applications running now (nesting depth)
	sock        *socketRun
	sockState   SocketState
	bridge      *uuidBridge // joined by uuid_bridge, until a side hangs up
}

// NewCall creates a live channel (firing CHANNEL_CREATE) and returns it.
// Hand it to Dial to connect it to an outbound socket server, or control it
// with sendmsg/api uuid_* from an inbound connection.
func (s *Server) NewCall(o CallOptions) *Call {
	c := s.newCall(o)
	c.s.emitChannel(c, "CHANNEL_CREATE", nil)
	return c
}

func (s *Server) newCall(o CallOptions) *Call {
	o = o.withDefaults()
	c := &Call{
		s: s, uuid: o.UUID, created: time.Now(), prof: o, direction: o.Direction,
		kick: make(chan struct{}, 1), ended: make(chan struct{}),
		state: "CS_EXECUTE", stateNum: 4, callState: "RINGING", answerState: "ringing",
		vars: map[string]string{},
	}
	c.initVars()
	c.dtmf = []rune(o.DTMF)
	s.mu.Lock()
	s.calls[c.uuid] = c
	s.callList = append(s.callList, c)
	s.sessions++
	c.setVarLocked("session_id", itoa(s.sessions))
	s.bumpLocked()
	s.mu.Unlock()
	s.wg.Add(1)
	go c.pump()
	return c
}

func (o CallOptions) withDefaults() CallOptions {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.UUID, newUUID())
	def(&o.CallerIDNumber, "0000000000")
	def(&o.Destination, "9000")
	def(&o.Context, "default")
	def(&o.Direction, "inbound")
	def(&o.ChannelName, "sofia/internal/"+o.CallerIDNumber+"@127.0.0.1")
	return o
}

func (c *Call) initVars() {
	c.setVarLocked("direction", c.direction)
	c.setVarLocked("uuid", c.uuid)
	c.setVarLocked("channel_name", c.prof.ChannelName)
	c.setVarLocked("read_codec", "PCMU")
	c.setVarLocked("read_rate", "8000")
	c.setVarLocked("write_codec", "PCMU")
	c.setVarLocked("write_rate", "8000")
	c.setVarLocked("call_uuid", c.uuid)
	keys := make([]string, 0, len(c.prof.Variables))
	for k := range c.prof.Variables {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c.setVarLocked(k, c.prof.Variables[k])
	}
}

// Call returns the live or ended call with that uuid, or nil.
func (s *Server) Call(uuid string) *Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[uuid]
}

// Calls returns every call created so far, in creation order.
func (s *Server) Calls() []*Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Call(nil), s.callList...)
}

// liveCall returns the call if it exists and is not hung up.
func (s *Server) liveCall(uuid string) *Call {
	c := s.Call(uuid)
	if c == nil || !c.Up() {
		return nil
	}
	return c
}

func (s *Server) liveCount() int {
	n := 0
	for _, c := range s.Calls() {
		if c.Up() {
			n++
		}
	}
	return n
}

func (s *Server) sessionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// UUID returns the channel uuid.
func (c *Call) UUID() string { return c.uuid }

// ChannelName returns Channel-Name.
func (c *Call) ChannelName() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.prof.ChannelName
}

// Up reports whether the call has not hung up.
func (c *Call) Up() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.down
}

// Answered reports whether the call was answered.
func (c *Call) Answered() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.answeredAt.IsZero()
}

// HangupCause returns the hangup cause, "" while the call is up.
func (c *Call) HangupCause() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hangupCause
}

// Done is closed once the call hung up and CHANNEL_HANGUP_COMPLETE fired.
func (c *Call) Done() <-chan struct{} { return c.ended }

// TransferredTo returns the destination of the last transfer ("" if none).
func (c *Call) TransferredTo() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.transferTo
}

// SentDTMF returns the digits sent to the far end (uuid_send_dtmf).
func (c *Call) SentDTMF() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sentDTMF
}

// kickPump wakes the call's goroutine.
func (c *Call) kickPump() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}
