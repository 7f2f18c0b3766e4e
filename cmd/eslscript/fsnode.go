package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/esl"
	"github.com/eslscript/eslscript/internal/wiring"
	"github.com/urfave/cli/v2"
)

// nodeFlag picks the node of the commands that talk to one FreeSWITCH.
func nodeFlag() cli.Flag {
	return &cli.StringFlag{Name: "node", Usage: "the configured node to use (default: the first by name)"}
}

// pickNode returns the node called name, or the first by name when name
// is empty.
func pickNode(cfg *config.Config, name string) (config.Node, error) {
	if len(cfg.Nodes) == 0 {
		return config.Node{}, exitError(errors.New("eslscript: no FreeSWITCH node configured (--fs-address, nodes in --config)"), exitUsage)
	}
	nodes := append([]config.Node(nil), cfg.Nodes...)
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].Name < nodes[j].Name })
	if name == "" {
		return nodes[0], nil
	}
	var names []string
	for _, n := range nodes {
		if n.Name == name {
			return n, nil
		}
		names = append(names, n.Name)
	}
	return config.Node{}, exitError(fmt.Errorf("eslscript: --node %s: no such node (nodes: %s)", name, strings.Join(names, ", ")), exitUsage)
}

// dialNode resolves the passwords and connects to one node without
// reconnection: a one-shot command fails rather than waits.
func dialNode(ctx context.Context, e *env, cfg *config.Config, name string) (*esl.Client, config.Node, error) {
	n, err := pickNode(cfg, name)
	if err != nil {
		return nil, n, err
	}
	if err := resolveSecrets(e, cfg); err != nil {
		return nil, n, err
	}
	n, _ = pickNode(cfg, n.Name) // with its password now
	log := wiring.NewLogger(e.Stderr, cfg.Log)
	wiring.Scrub(log, cfg)
	c, err := esl.Dial(ctx, n.Address, esl.Options{
		Password: n.Password.Reveal(), User: n.User, Node: n.Name, Logger: log,
		Liveness: n.Liveness, EventFormat: wiring.EventFormat(n),
	})
	if err != nil {
		return nil, n, exitError(fmt.Errorf("eslscript: node %s at %s: %w", n.Name, n.Address, err), runtimeCode(err))
	}
	return c, n, nil
}
