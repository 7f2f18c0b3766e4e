package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/urfave/cli/v2"
)

// listValue is a repeatable flag's values, taken whole (no comma
// splitting: a reply may hold commas).
type listValue []string

// Set implements flag.Value.
func (l *listValue) Set(v string) error { *l = append(*l, v); return nil }

// String implements flag.Value.
func (l *listValue) String() string { return strings.Join(*l, "; ") }

// listFlag returns the values of a repeatable flag made with
// repeatableFlag.
func listFlag(c *cli.Context, name string) []string {
	if l, ok := c.Generic(name).(*listValue); ok {
		return *l
	}
	return nil
}

// repeatableFlag is a flag that may be given several times.
func repeatableFlag(name, usage string) cli.Flag {
	return &cli.GenericFlag{Name: name, Value: &listValue{}, Usage: usage}
}

// replyFlag is --reply: a canned api reply for the simulator.
func replyFlag() cli.Flag {
	return repeatableFlag("reply", "answer the simulated api command `LINE=REPLY` (and LINE followed by more "+
		"arguments) with REPLY; \\n in REPLY is a newline; LINE=@FILE replies FILE's content (repeatable)")
}

// simReply is one parsed --reply.
type simReply struct{ line, reply string }

// parseReplies reads --reply values: LINE=REPLY or LINE=@FILE.
func parseReplies(specs []string) ([]simReply, error) {
	var out []simReply
	for _, s := range specs {
		line, reply, ok := strings.Cut(s, "=")
		if line = strings.TrimSpace(line); !ok || line == "" {
			return nil, exitError(fmt.Errorf("eslscript: --reply %q: want LINE=REPLY or LINE=@FILE", s), exitUsage)
		}
		if file, isFile := strings.CutPrefix(reply, "@"); isFile {
			b, err := os.ReadFile(file)
			if err != nil {
				return nil, exitError(fmt.Errorf("eslscript: --reply %s: %w", line, err), exitUsage)
			}
			reply = string(b)
		} else {
			reply = unescapeReply(reply)
		}
		out = append(out, simReply{line, reply})
	}
	return out, nil
}

// unescapeReply turns \n, \t and \\ into a newline, a tab and a backslash.
func unescapeReply(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\t`, "\t").Replace(s)
}

// useReplies installs the replies on the simulator.
func useReplies(sim *esltest.Server, replies []simReply) {
	for _, r := range replies {
		sim.ReplyAPI(r.line, r.reply)
	}
}

// errNoSimulate is --reply without --simulate.
var errNoSimulate = errors.New("eslscript: --reply needs --simulate")
