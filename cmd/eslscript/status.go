package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/eslscript/eslscript/fleet"
	"github.com/eslscript/eslscript/ops"
	"github.com/urfave/cli/v2"
)

func init() { register(statusCommand) }

// statusCommand prints the state of a running daemon.
func statusCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "show a running daemon's scripts, nodes and calls (through its admin endpoint)",
		Description: "Reads GET /status from the admin endpoint of the configuration (admin.address, " +
			"ESLSCRIPT_ADMIN or --admin) and prints it; --json prints the raw JSON.",
		Flags:  append(configFlags(adminFlagNames...), &cli.BoolFlag{Name: "json", Usage: "print the raw JSON"}),
		Action: func(c *cli.Context) error { return statusAction(c, e) },
	}
}

func statusAction(c *cli.Context, e *env) error {
	cfg, err := loadConfig(c, e, nil)
	if err != nil {
		return err
	}
	code, body, err := adminCall(c.Context, e, cfg, http.MethodGet, "/status")
	if err != nil {
		return err
	}
	var st ops.StatusBody
	if code != http.StatusOK || json.Unmarshal(body, &st) != nil {
		base, _ := adminURL(cfg)
		return adminRefused(code, base)
	}
	if c.Bool("json") {
		_, err := e.Stdout.Write(body)
		return err
	}
	return printStatus(e.Stdout, st)
}

// printStatus writes a human summary of st.
func printStatus(w io.Writer, st ops.StatusBody) error {
	if st.Version != "" {
		fmt.Fprintf(w, "eslscript %s, up %s (since %s)\n", st.Version,
			time.Duration(st.Uptime)*time.Second, st.Started.Format("2006-01-02 15:04:05Z07:00"))
	}
	fmt.Fprintf(w, "generation %d (loaded %s), %d live calls, %d queued events", st.Generation,
		st.Loaded.Format("2006-01-02 15:04:05Z07:00"), st.LiveCalls, st.Queued)
	if st.Draining {
		fmt.Fprint(w, ", DRAINING")
	}
	fmt.Fprintln(w)
	if r := st.LastReload; r != nil && !r.OK {
		fmt.Fprintf(w, "last reload FAILED at %s: %s\n", r.At.Format("15:04:05Z07:00"), r.Error)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nSCRIPT\tLIVE CALLS\tHANDLES")
	for _, s := range st.Scripts {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", s.Name, s.LiveCalls, scriptRoles(s))
	}
	fmt.Fprintln(tw, "\nNODE\tSTATE\tSUBSCRIBED")
	for _, n := range st.Nodes {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", n.Name, n.State, strings.Join(n.Subscribed, " "))
	}
	if len(st.Listeners) > 0 {
		fmt.Fprintln(tw, "\nLISTENER\tADDRESS\tSCRIPT\tMAX CALLS")
		for _, l := range st.Listeners {
			addr := l.Address
			if !l.Bound {
				addr += " (not bound)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", l.Name, addr, l.Script, l.MaxCalls)
		}
	}
	printFleet(tw, st.Fleet)
	return tw.Flush()
}

// printFleet lists the fleet's instances, if this daemon is one.
func printFleet(w io.Writer, f *fleet.Status) {
	if f == nil {
		return
	}
	fmt.Fprintln(w, "\nFLEET INSTANCE\tLIVE\tCALLS\tROLE")
	for _, in := range f.Instances {
		var role []string
		if in.Name == f.Leader {
			role = append(role, "leader")
		}
		if in.Name == f.Instance {
			role = append(role, "this instance")
		}
		fmt.Fprintf(w, "%s\t%v\t%d\t%s\n", in.Name, in.Live, in.Calls, strings.Join(role, ", "))
	}
	if f.Fenced {
		fmt.Fprintln(w, "this instance is FENCED: its lease is not renewed, it handles none of the fleet's events")
	}
	if f.Error != "" {
		fmt.Fprintln(w, f.Error)
	}
}

// scriptRoles lists what a script handles ("session, init, events: A B").
func scriptRoles(s ops.ScriptBody) string {
	var parts []string
	if s.Session {
		parts = append(parts, "session")
	}
	if s.Init {
		parts = append(parts, "init")
	}
	if len(s.Events) > 0 {
		parts = append(parts, "events: "+strings.Join(s.Events, " "))
	}
	if len(s.Timers) > 0 {
		parts = append(parts, "timers: "+strings.Join(s.Timers, " "))
	}
	return strings.Join(parts, ", ")
}
