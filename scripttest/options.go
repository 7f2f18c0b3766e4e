package scripttest

import (
	"regexp"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/host"
)

// Defaults applied to zero Options fields.
const (
	// DefaultTimeout is the real-time budget of one test.
	DefaultTimeout = 5 * time.Second
	// DefaultHandlerBudget bounds one event handler, init or timer run of
	// the scripts under test (real time; their waits are virtual): the
	// daemon's default, scripts.handler_budget.
	DefaultHandlerBudget = host.DefaultHandlerBudget
)

// Options configure a run.
type Options struct {
	// Paths are test files or directories searched recursively for
	// *_test.lua (default: Root, else ".").
	Paths []string
	// Root is the scripts directory the host loads, as in production
	// (scripts are named relative to it and require from it). A test file
	// outside Root (or every file, when Root is empty) uses the directory
	// of Paths that holds it, else its own directory; either way a mod_lua/
	// folder's parent, so that mod_lua/ scripts load as such.
	Root string
	// Only, when not nil, restricts the run to these test files among those
	// Paths select (the watch loop's affected files); roots still come
	// from Paths.
	Only []string
	// Filter, when set, runs only the tests whose full name ("describe
	// ... it") it matches (an unanchored Go regular expression).
	Filter *regexp.Regexp
	// Timeout is the real-time budget of each test (DefaultTimeout when
	// zero). A test past it fails and the run goes on.
	Timeout time.Duration
	// HandlerBudget bounds each event handler, init or timer run
	// (DefaultHandlerBudget when zero), and the session budget is a little
	// less than Timeout; both are cut to that, so that a script running
	// past them is stopped, and reported at its line, before the test.
	HandlerBudget time.Duration
	// Registry provides the Lua modules (nil: the built-ins).
	Registry *bindings.Registry
	// Nodes are the names of the FreeSWITCH nodes the scripts see
	// (esl.node(name), ev.node), as configured; each is a simulator of its
	// own (its hostname is the node's name). The first by name is the
	// host's default node: sim.call and sim.event happen there; the others
	// answer the scripts' commands. Empty: one node named "sim".
	Nodes []string
	// Sandbox is the scripts' sandbox policy.
	Sandbox host.Sandbox
	// Reporters receive the results as they come (none: silent).
	Reporters []Reporter
}

// Reporter receives a run's results as they come.
type Reporter interface {
	// TestDone is called after each test of a file.
	TestDone(file string, t *TestResult)
	// FileDone is called after each test file.
	FileDone(f *FileResult)
	// RunDone is called once at the end.
	RunDone(r *Result) error
}

// withDefaults fills in zero fields.
func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.HandlerBudget <= 0 {
		o.HandlerBudget = DefaultHandlerBudget
	}
	if o.Registry == nil {
		o.Registry = bindings.NewRegistry()
	}
	if len(o.Paths) == 0 {
		o.Paths = []string{orString(o.Root, ".")}
	}
	return o
}

func orString(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
