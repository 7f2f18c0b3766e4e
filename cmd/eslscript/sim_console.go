package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/eslscript/eslscript/host"
)

// simConsoleHelp lists the console commands of `eslscript sim`.
const simConsoleHelp = `commands:
  call ADDR [SCRIPT]        place a call into the outbound listener at ADDR (socket ADDR async full),
                            with eslscript_script=SCRIPT when given
  dtmf [UUID] DIGITS        the caller presses DIGITS (default: the newest live call)
  hangup [UUID] [CAUSE]     the caller hangs up (default: the newest live call, NORMAL_CLEARING)
  calls                     list the live calls
  help                      this text
  anything else             runs as an api command (originate ..., uuid_recv_dtmf ..., show channels)
`

// simDialTimeout bounds the connection of a console call to a listener.
const simDialTimeout = 5 * time.Second

// simConsole runs the commands typed on standard input.
type simConsole struct {
	sim *esltest.Server
	out io.Writer
}

// run reads commands until EOF or ctx ends; the simulator keeps running
// after EOF.
func (sc *simConsole) run(ctx context.Context, in io.Reader) {
	lines := bufio.NewScanner(in)
	for lines.Scan() && ctx.Err() == nil {
		if line := strings.TrimSpace(lines.Text()); line != "" {
			fmt.Fprint(sc.out, sc.do(ctx, line))
		}
	}
}

// do runs one command line and returns what to print.
func (sc *simConsole) do(ctx context.Context, line string) string {
	f := strings.Fields(line)
	switch f[0] {
	case "help":
		return simConsoleHelp
	case "calls":
		return sc.calls()
	case "call":
		return sc.call(ctx, f[1:])
	case "dtmf":
		c, rest := sc.target(f[1:])
		if c == nil || len(rest) != 1 {
			return "usage: dtmf [UUID] DIGITS (with a live call)\n"
		}
		c.SendDTMF(rest[0])
		return "call " + c.UUID() + ": caller pressed " + rest[0] + "\n"
	case "hangup":
		c, rest := sc.target(f[1:])
		if c == nil || len(rest) > 1 {
			return "usage: hangup [UUID] [CAUSE] (with a live call)\n"
		}
		c.Hangup(strings.Join(rest, ""))
		return ""
	}
	return sc.sim.API(line)
}

// call places a call into the outbound listener at f[0].
func (sc *simConsole) call(ctx context.Context, f []string) string {
	if len(f) < 1 || len(f) > 2 {
		return "usage: call ADDR [SCRIPT]\n"
	}
	vars := map[string]string{}
	if len(f) == 2 {
		vars[host.ScriptVar] = f[1]
	}
	c := sc.sim.NewCall(esltest.CallOptions{CallerIDNumber: "1000", CallerIDName: "Sim Caller",
		Destination: "5000", Variables: vars})
	dctx, cancel := context.WithTimeout(ctx, simDialTimeout)
	defer cancel()
	if _, err := sc.sim.Dial(dctx, f[0], c, esltest.DialOptions{Async: true, Full: true}); err != nil {
		return "call " + c.UUID() + ": " + err.Error() + "\n"
	}
	return "call " + c.UUID() + ": connected to " + f[0] + "\n"
}

// target picks the call a dtmf or hangup names: its first argument when
// that is a live call's uuid, else the newest live call.
func (sc *simConsole) target(args []string) (*esltest.Call, []string) {
	if len(args) > 0 {
		if c := sc.sim.Call(args[0]); c != nil && c.Up() {
			return c, args[1:]
		}
	}
	calls := sc.sim.Calls()
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Up() {
			return calls[i], args
		}
	}
	return nil, args
}

// calls lists the live calls.
func (sc *simConsole) calls() string {
	var b strings.Builder
	for _, c := range sc.sim.Calls() {
		if c.Up() {
			fmt.Fprintf(&b, "call %s: %s %s\n", c.UUID(), c.ChannelName(), c.Var("current_application"))
		}
	}
	if b.Len() == 0 {
		return "no live calls\n"
	}
	return b.String()
}
