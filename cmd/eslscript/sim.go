package main

import (
	"context"
	"fmt"
	"syscall"

	"github.com/eslscript/eslscript/esl/esltest"
	"github.com/urfave/cli/v2"
)

func init() { register(simCommand) }

// Defaults of `eslscript sim`.
const (
	simDefaultAddr     = "127.0.0.1:8021"
	simDefaultPassword = "ClueCon" // FreeSWITCH's default ESL password
	simPasswordEnv     = "ESL_PASSWORD"
)

// simCommand runs a simulated FreeSWITCH until stopped.
func simCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "sim",
		Usage: "run a simulated FreeSWITCH on an ESL port until stopped",
		Description: "Listens for Event Socket clients (the daemon, `eslscript exec`, fs_cli, your own tools) " +
			"with the password of --password, else $" + simPasswordEnv + ", else FreeSWITCH's default ClueCon, " +
			"prints its address, then one line per call event (new call, application run and done, DTMF, hangup). " +
			"Place a call into an outbound listener with the api command " +
			"`originate loopback/9000 '&socket(127.0.0.1:8084 async full)'` (quoted, as on FreeSWITCH) and press " +
			"keys for the caller with `uuid_recv_dtmf UUID 1`, from fs_cli or `eslscript exec`, or type commands " +
			"on standard input: call ADDR [SCRIPT], dtmf [UUID] DIGITS, hangup [UUID] [CAUSE], calls, help, " +
			"or any api command. The applications and api commands it models: `go doc ./esl/esltest`; others " +
			"complete with _none_ (--missing-app makes one hang the call up, as a FreeSWITCH without it does). " +
			"Stops on SIGINT or SIGTERM.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: simDefaultAddr, Usage: "ESL `ADDRESS` to listen on"},
			&cli.StringFlag{Name: "password", Usage: "ESL password (default $" + simPasswordEnv + ", else ClueCon)"},
			replyFlag(),
			repeatableFlag("missing-app", "an application the simulated FreeSWITCH has not loaded: executing `NAME` "+
				"hangs the call up with DESTINATION_OUT_OF_ORDER (repeatable)"),
		},
		Action: func(c *cli.Context) error { return simAction(c, e) },
	}
}

// simAction starts the simulator, traces its calls, reads console
// commands and runs until a signal or the context ends.
func simAction(c *cli.Context, e *env) error {
	if c.NArg() > 0 {
		return exitError(fmt.Errorf("eslscript: sim: unexpected argument %q", c.Args().First()), exitUsage)
	}
	replies, err := parseReplies(listFlag(c, "reply"))
	if err != nil {
		return err
	}
	password, from := simPassword(c, e)
	sim, err := esltest.Start(esltest.Options{Addr: c.String("listen"), Password: password,
		MissingApps: listFlag(c, "missing-app")})
	if err != nil {
		return exitError(fmt.Errorf("eslscript: sim: %w", err), exitFailure)
	}
	defer sim.Close()
	useReplies(sim, replies)
	out := &lockedWriter{w: e.Stdout}
	ctx, cancel := context.WithCancel(c.Context)
	defer cancel()
	stopTrace, err := traceCalls(ctx, sim, out)
	if err != nil {
		return exitError(fmt.Errorf("eslscript: sim: tracing calls: %w", err), exitFailure)
	}
	defer stopTrace()
	// Announced once the trace is subscribed: a call placed by whoever
	// read this line is traced from its first event.
	fmt.Fprintf(out, "eslscript sim: simulated FreeSWITCH listening on %s (password from %s)\n", sim.Addr(), from)
	if e.Stdin != nil {
		go (&simConsole{sim: sim, out: out}).run(ctx, e.Stdin)
	}
	sigs, stop := e.Signals(syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	select {
	case <-sigs:
	case <-ctx.Done():
	}
	fmt.Fprintln(out, "eslscript sim: stopped")
	return nil
}

// simPassword returns the password and where it came from (never the
// password itself, which is not printed).
func simPassword(c *cli.Context, e *env) (password, from string) {
	if p := c.String("password"); p != "" {
		return p, "--password"
	}
	if p, ok := e.LookupEnv(simPasswordEnv); ok && p != "" {
		return p, "$" + simPasswordEnv
	}
	return simDefaultPassword, "FreeSWITCH's default"
}
