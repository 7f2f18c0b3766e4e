package main

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"

	"github.com/urfave/cli/v2"
)

func init() { register(logsCommand) }

// logsCommand follows a running daemon's log through its admin endpoint.
func logsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "logs",
		Usage: "follow a running daemon's log, scripts' lines included (through its admin endpoint)",
		Description: "Streams GET /logs from the admin endpoint of the configuration (admin.address, " +
			"ESLSCRIPT_ADMIN or --admin) and prints each line as the daemon logs it, until Ctrl-C. " +
			"--script, --call and --node keep the lines of one script, call uuid or node; --level the lines " +
			"at or above a level (the daemon's own log.level still applies). Exit code: 0 after Ctrl-C, " +
			"1 when the daemon cannot be reached or stops.",
		Flags: append(configFlags(adminFlagNames...),
			&cli.StringFlag{Name: "script", Usage: "only the lines of this script (ivr, mod_lua/ivr)"},
			&cli.StringFlag{Name: "call", Usage: "only the lines of this call uuid"},
			&cli.StringFlag{Name: "node", Usage: "only the lines about this node"},
			&cli.StringFlag{Name: "level", Usage: "only lines at or above debug, info, warn or error"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON lines"},
		),
		Action: func(c *cli.Context) error { return logsAction(c, e) },
	}
}

func logsAction(c *cli.Context, e *env) error {
	cfg, err := loadConfig(c, e, nil)
	if err != nil {
		return err
	}
	base, err := adminURL(cfg)
	if err != nil {
		return err
	}
	q := url.Values{}
	for _, k := range []string{"script", "call", "node", "level"} {
		if v := c.String(k); v != "" {
			q.Set(k, v)
		}
	}
	if c.Bool("json") {
		q.Set("format", "json")
	}
	ctx, stop := signalStop(c.Context, e)
	defer stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/logs?"+q.Encode(), nil)
	if err != nil {
		return cli.Exit("eslscript: "+err.Error(), exitUsage)
	}
	if err := cfg.ResolveAdmin(e.LookupEnv, e.ReadFile); err != nil {
		return err
	}
	if tok := cfg.Admin.Token.Reveal(); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return cli.Exit(fmt.Sprintf("eslscript: cannot reach the admin endpoint at %s: %v", base, err), exitFailure)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusBadRequest:
		return cli.Exit("eslscript: logs: the daemon refused the filter (--level: debug, info, warn or error)", exitUsage)
	default:
		return adminRefused(resp.StatusCode, base)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		fmt.Fprintln(e.Stdout, sc.Text())
	}
	if ctx.Err() != nil {
		return nil // Ctrl-C
	}
	return cli.Exit("eslscript: logs: the daemon closed the stream (stopped?)", exitFailure)
}
