package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/eslscript/eslscript/ops"
	"github.com/urfave/cli/v2"
)

func init() { register(kvCommand) }

// kvCommand reads and writes a running daemon's kv store (the scripts'
// kv module) through its admin endpoint.
func kvCommand(e *env) *cli.Command {
	flags := func(more ...cli.Flag) []cli.Flag { return append(configFlags(adminFlagNames...), more...) }
	return &cli.Command{
		Name:  "kv",
		Usage: "read and write a running daemon's kv store (through its admin endpoint)",
		Description: "The scripts' kv module as the daemon of the configuration sees it (memory or Redis): " +
			"eslscript kv get KEY, kv set KEY VALUE [--ttl 10m], kv del KEY, kv keys [PREFIX] (with values). " +
			"Exit code: 0; 1 when the key is missing (kv get), the daemon cannot be reached or its store fails; " +
			"2 for a bad command line.",
		Subcommands: []*cli.Command{
			{Name: "get", ArgsUsage: "KEY", Usage: "print a key's value", Flags: flags(),
				Action: func(c *cli.Context) error { return kvGetAction(c, e) }},
			{Name: "set", ArgsUsage: "KEY VALUE", Usage: "set a key", Flags: flags(
				&cli.DurationFlag{Name: "ttl", Usage: "expire the key after this long (0: never)"}),
				Action: func(c *cli.Context) error { return kvSetAction(c, e) }},
			{Name: "del", ArgsUsage: "KEY", Usage: "delete a key", Flags: flags(),
				Action: func(c *cli.Context) error { return kvDelAction(c, e) }},
			{Name: "keys", ArgsUsage: "[PREFIX]", Usage: "list the keys with PREFIX and their values", Flags: flags(),
				Action: func(c *cli.Context) error { return kvKeysAction(c, e) }},
		},
	}
}

// kvRequest sends one /kv request and decodes a 200 answer into out.
func kvRequest(c *cli.Context, e *env, method, path, body string, out any) (int, error) {
	cfg, err := loadConfig(c, e, nil)
	if err != nil {
		return 0, err
	}
	var rd *strings.Reader
	if body != "" || method == http.MethodPut {
		rd = strings.NewReader(body)
	}
	var code int
	var resp []byte
	if rd != nil {
		code, resp, err = adminSend(c.Context, e, cfg, method, path, rd)
	} else {
		code, resp, err = adminCall(c.Context, e, cfg, method, path)
	}
	if err != nil {
		return 0, err
	}
	switch code {
	case http.StatusOK:
		return code, json.Unmarshal(resp, out)
	case http.StatusNotFound, http.StatusServiceUnavailable, http.StatusBadRequest:
		var eb struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(resp, &eb)
		return code, errors.New(eb.Error)
	}
	base, _ := adminURL(cfg)
	return code, adminRefused(code, base)
}

// oneArg returns the single KEY argument.
func oneArg(c *cli.Context, usage string) (string, error) {
	if c.NArg() != 1 {
		return "", cli.Exit("eslscript: usage: "+usage, exitUsage)
	}
	return c.Args().First(), nil
}

func kvGetAction(c *cli.Context, e *env) error {
	key, err := oneArg(c, "eslscript kv get KEY")
	if err != nil {
		return err
	}
	var it ops.KVItem
	code, err := kvRequest(c, e, http.MethodGet, "/kv/"+url.PathEscape(key), "", &it)
	switch {
	case code == http.StatusNotFound:
		return cli.Exit("eslscript: kv: no key "+key, exitFailure)
	case err != nil:
		return kvError(err)
	}
	_, err = fmt.Fprintln(e.Stdout, it.Value)
	return err
}

func kvSetAction(c *cli.Context, e *env) error {
	if c.NArg() != 2 {
		return cli.Exit("eslscript: usage: eslscript kv set KEY VALUE [--ttl DURATION]", exitUsage)
	}
	path := "/kv/" + url.PathEscape(c.Args().Get(0))
	if d := c.Duration("ttl"); d > 0 {
		path += "?ttl=" + d.String()
	}
	var it ops.KVItem
	if _, err := kvRequest(c, e, http.MethodPut, path, c.Args().Get(1), &it); err != nil {
		return kvError(err)
	}
	return nil
}

func kvDelAction(c *cli.Context, e *env) error {
	key, err := oneArg(c, "eslscript kv del KEY")
	if err != nil {
		return err
	}
	var it ops.KVItem
	if _, err := kvRequest(c, e, http.MethodDelete, "/kv/"+url.PathEscape(key), "", &it); err != nil {
		return kvError(err)
	}
	return nil
}

func kvKeysAction(c *cli.Context, e *env) error {
	var list ops.KVList
	if _, err := kvRequest(c, e, http.MethodGet, "/kv?prefix="+url.QueryEscape(c.Args().First()), "", &list); err != nil {
		return kvError(err)
	}
	for _, it := range list.Items {
		fmt.Fprintf(e.Stdout, "%s\t%s\n", it.Key, it.Value)
	}
	if list.Truncated {
		fmt.Fprintln(e.Stderr, "eslscript: kv keys: more keys match; give a longer prefix")
	}
	return nil
}

// kvError keeps an exit error as it is and makes the rest runtime failures.
func kvError(err error) error {
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		return err
	}
	return cli.Exit("eslscript: kv: "+err.Error(), exitFailure)
}
