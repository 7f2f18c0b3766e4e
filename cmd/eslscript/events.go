package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"syscall"
	"time"

	"github.com/eslscript/eslscript/esl"
	"github.com/urfave/cli/v2"
)

func init() { register(eventsCommand) }

// eventsCommand prints a node's events as they come, like fs_cli's
// `/event plain ...`.
func eventsCommand(e *env) *cli.Command {
	flags := append(configFlags(nodeFlagNames...), nodeFlag(),
		&cli.StringSliceFlag{Name: "uuid", Usage: "only the events of this call (Unique-ID); repeat for several calls"},
		&cli.BoolFlag{Name: "full", Usage: "print every header and the body of each event"},
		&cli.BoolFlag{Name: "json", Usage: "print each event as one JSON object per line"},
		&cli.IntFlag{Name: "count", Usage: "exit after this many events (0: until Ctrl-C)"},
	)
	return &cli.Command{
		Name:      "events",
		Usage:     "print a node's events as they come (like fs_cli's /event)",
		ArgsUsage: "[NAME...]",
		Description: "Connects to the configured node (--node NAME, else the first by name) and prints its events " +
			"until Ctrl-C: one line each (time, name, call uuid and the headers that matter for that event), " +
			"--full for every header, --json for one JSON object per line. NAMEs are FreeSWITCH event names " +
			"(CHANNEL_ANSWER) or CUSTOM subclasses (sofia::register); none means every event. --uuid keeps the " +
			"events of the given calls (a filter FreeSWITCH applies). Exit code: 0 after Ctrl-C or --count, " +
			"1 when the node cannot be reached or is lost, 6 when it refuses the password, 2 for a bad command line.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return eventsAction(c, e) },
	}
}

func eventsAction(c *cli.Context, e *env) error {
	cfg, err := loadConfig(c, e, nil)
	if err != nil {
		return err
	}
	ctx, stop := signalStop(c.Context, e)
	defer stop()
	client, node, err := dialNode(ctx, e, cfg, c.String("node"))
	if err != nil {
		return err
	}
	defer client.Close()
	sub := client.Subscribe(esl.SubscribeOptions{})
	defer sub.Close()
	names := c.Args().Slice()
	if err := subscribeEvents(ctx, client, names, c.StringSlice("uuid")); err != nil {
		return exitError(fmt.Errorf("eslscript: events: %w", err), exitUsage)
	}
	fmt.Fprintf(e.Stderr, "eslscript: events of node %s (%s): %s; Ctrl-C to stop\n",
		node.Name, node.Address, strings.Join(append(orAll(names), c.StringSlice("uuid")...), " "))
	p := eventPrinter{w: e.Stdout, full: c.Bool("full"), json: c.Bool("json")}
	return p.tail(ctx, sub, client, c.Int("count"))
}

// orAll is names, or ALL when there are none.
func orAll(names []string) []string {
	if len(names) == 0 {
		return []string{"ALL"}
	}
	return names
}

// subscribeEvents sends the event subscription (ALL by default) and a
// Unique-ID filter per uuid.
func subscribeEvents(ctx context.Context, client *esl.Client, names, uuids []string) error {
	names = orAll(names)
	for _, u := range uuids {
		if err := client.Filter(ctx, "Unique-ID", u); err != nil {
			return fmt.Errorf("filter Unique-ID %s: %w", u, err)
		}
	}
	if err := client.Events(ctx, names...); err != nil {
		return fmt.Errorf("event %s: %w", strings.Join(names, " "), err)
	}
	return nil
}

// signalStop returns a context that ends with ctx or at SIGINT/SIGTERM.
func signalStop(ctx context.Context, e *env) (context.Context, func()) {
	sigs, stopSigs := e.Signals(syscall.SIGINT, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() { cancel(); stopSigs() }
}

// eventPrinter writes events in one of the output forms.
type eventPrinter struct {
	w          io.Writer
	full, json bool
}

// tail prints events until ctx ends, count events were printed, or the
// connection is lost.
func (p eventPrinter) tail(ctx context.Context, sub *esl.Subscription, client *esl.Client, count int) error {
	n := 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-sub.C:
			if !ok {
				return exitError(fmt.Errorf("eslscript: events: connection to FreeSWITCH ended (%s)", client.State()), exitFailure)
			}
			if ev.Name() == "BACKGROUND_JOB" && ev.Get("Job-UUID") == "" {
				continue
			}
			if err := p.print(ev); err != nil {
				return err
			}
			if n++; count > 0 && n >= count {
				return nil
			}
		}
	}
}

// summaryHeaders are the headers the one-line form shows when present.
var summaryHeaders = []string{
	"Event-Subclass", "Channel-Name", "Caller-Caller-ID-Number", "Caller-Destination-Number",
	"Answer-State", "Channel-State", "Application", "Application-Data", "Application-Response",
	"Hangup-Cause", "DTMF-Digit", "Job-UUID", "Job-Command",
}

func (p eventPrinter) print(ev *esl.Event) error {
	switch {
	case p.json:
		return p.printJSON(ev)
	case p.full:
		return p.printFull(ev)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", eventTime(ev), ev.Name())
	if u := ev.UniqueID(); u != "" {
		fmt.Fprintf(&b, " %s", u)
	}
	for _, h := range summaryHeaders {
		if v := ev.Get(h); v != "" {
			fmt.Fprintf(&b, " %s=%s", h, quoteIfSpace(v))
		}
	}
	b.WriteByte('\n')
	_, err := io.WriteString(p.w, b.String())
	return err
}

func (p eventPrinter) printFull(ev *esl.Event) error {
	var b strings.Builder
	ev.Range(func(name, value string) bool {
		fmt.Fprintf(&b, "%s: %s\n", name, value)
		return true
	})
	if body := ev.Body(); body != "" {
		fmt.Fprintf(&b, "\n%s\n", strings.TrimRight(body, "\n"))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(p.w, b.String())
	return err
}

func (p eventPrinter) printJSON(ev *esl.Event) error {
	m := map[string]any{}
	ev.Range(func(name, value string) bool {
		switch prev := m[name].(type) {
		case nil:
			m[name] = value
		case string:
			m[name] = []string{prev, value}
		case []string:
			m[name] = append(prev, value)
		}
		return true
	})
	if body := ev.Body(); body != "" {
		m["_body"] = body
	}
	line, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(p.w, "%s\n", line)
	return err
}

// eventTime is the event's own time (Event-Date-Timestamp, microseconds)
// as HH:MM:SS.mmm, else the time it arrived.
func eventTime(ev *esl.Event) string {
	t := time.Now()
	var us int64
	if _, err := fmt.Sscan(ev.Get("Event-Date-Timestamp"), &us); err == nil && us > 0 {
		t = time.UnixMicro(us)
	}
	return t.Format("15:04:05.000")
}

func quoteIfSpace(v string) string {
	if strings.ContainsAny(v, " \t\"") {
		return fmt.Sprintf("%q", v)
	}
	return v
}
