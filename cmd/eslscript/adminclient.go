package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/eslscript/eslscript/config"
	"github.com/urfave/cli/v2"
)

// adminTimeout bounds one request of `eslscript reload` and `status`.
const adminTimeout = 30 * time.Second

// errNoAdmin means the configuration has no admin address to talk to.
var errNoAdmin = errors.New("eslscript: no admin address: set admin.address in the config, ESLSCRIPT_ADMIN or --admin")

// adminURL is the base URL of the configured admin endpoint; an address
// without a host (":9180") or with a wildcard one means this machine.
func adminURL(cfg *config.Config) (string, error) {
	if cfg.Admin.Address == "" {
		return "", cli.Exit(errNoAdmin.Error(), exitUsage)
	}
	host, port, err := net.SplitHostPort(cfg.Admin.Address)
	if err != nil {
		return "", cli.Exit("eslscript: admin.address: "+err.Error(), exitUsage)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// adminCall sends one request to the admin endpoint and returns the
// status code and body; a transport failure is a runtime failure.
func adminCall(ctx context.Context, e *env, cfg *config.Config, method, path string) (int, []byte, error) {
	return adminSend(ctx, e, cfg, method, path, nil)
}

// adminSend is adminCall with a request body (nil: none).
func adminSend(ctx context.Context, e *env, cfg *config.Config, method, path string, reqBody io.Reader) (int, []byte, error) {
	base, err := adminURL(cfg)
	if err != nil {
		return 0, nil, err
	}
	if err := cfg.ResolveAdmin(e.LookupEnv, e.ReadFile); err != nil {
		return 0, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, base+path, reqBody)
	if err != nil {
		return 0, nil, cli.Exit("eslscript: "+err.Error(), exitUsage)
	}
	if tok := cfg.Admin.Token.Reveal(); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, cli.Exit(fmt.Sprintf("eslscript: cannot reach the admin endpoint at %s: %v", base, err), exitFailure)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return 0, nil, cli.Exit(fmt.Sprintf("eslscript: reading the admin response: %v", err), exitFailure)
	}
	return resp.StatusCode, body, nil
}

// adminRefused turns a 403 into a clear error.
func adminRefused(code int, base string) error {
	switch code {
	case http.StatusForbidden:
		return cli.Exit("eslscript: the admin endpoint refused this client (not in admin.allow)", exitFailure)
	case http.StatusUnauthorized:
		return cli.Exit("eslscript: the admin endpoint wants its token (admin.token_file or $ESLSCRIPT_ADMIN_TOKEN)", exitUsage)
	}
	return cli.Exit(fmt.Sprintf("eslscript: unexpected admin response %d from %s", code, base), exitFailure)
}
