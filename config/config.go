package config

import (
	"net/netip"
	"time"
)

// Config is the whole configuration. Load returns it with defaults applied
// and validated.
type Config struct {
	Nodes     []Node     `yaml:"nodes"`
	Listeners []Listener `yaml:"listeners"`
	Scripts   Scripts    `yaml:"scripts"`
	Log       Log        `yaml:"log"`
	Admin     Admin      `yaml:"admin"`
	Drain     Drain      `yaml:"drain"`
	KV        KV         `yaml:"kv"`
	Fleet     Fleet      `yaml:"fleet"`

	// override collects the single-node settings of env and flags
	// (--fs-address...), applied to node "default" when Load finishes.
	override nodeOverride
	listen   listenerOverride
	src      *source // the YAML file, to locate keys in errors
}

// Node is one FreeSWITCH to connect to (inbound ESL). At most one of
// Password, PasswordEnv and PasswordFile is set; with none, PasswordEnv
// defaults to ESL_PASSWORD. Resolve reads the password.
type Node struct {
	Name         string `yaml:"name"`
	Address      string `yaml:"address"`
	Password     Secret `yaml:"password"`
	PasswordEnv  string `yaml:"password_env"`
	PasswordFile string `yaml:"password_file"`
	// User, if set, authenticates with "userauth user:password".
	User string `yaml:"user"`
	// Reconnect is nil when unset; Load sets it (default true).
	Reconnect *bool `yaml:"reconnect"`
	// EventFormat is how FreeSWITCH sends this node's events: plain
	// (default) or json. Scripts read the same values either way.
	EventFormat string `yaml:"event_format"`
	// Liveness is how long the connection may stay silent before eslscript
	// checks that FreeSWITCH still answers; a FreeSWITCH that does not
	// answer is treated as lost (0: esl.DefaultLiveness, 30s).
	Liveness time.Duration `yaml:"liveness"`
}

// Reconnects reports whether the client should reconnect (default true).
func (n *Node) Reconnects() bool { return n.Reconnect == nil || *n.Reconnect }

// Listener is one outbound socket server FreeSWITCH's `socket` application
// connects to.
type Listener struct {
	Name string `yaml:"name"`
	// Address is host:port; a bare port or ":port" binds 127.0.0.1.
	Address string `yaml:"address"`
	// Script is the default script; the channel variable eslscript_script
	// overrides it per call.
	Script string `yaml:"script"`
	// MaxCalls caps concurrent calls (0 = unlimited).
	MaxCalls int `yaml:"max_calls"`
	// Allow lists the peers (CIDR or bare IP) that may connect.
	Allow []string `yaml:"allow"`
	// Prefixes is Allow parsed; Load fills it.
	Prefixes []netip.Prefix `yaml:"-"`
}

// Scripts configures the scripts directory and the Lua runtime.
type Scripts struct {
	Dir           string        `yaml:"dir"`
	Watch         bool          `yaml:"watch"`
	HandlerBudget time.Duration `yaml:"handler_budget"`
	SessionBudget time.Duration `yaml:"session_budget"`
	// BusyBudget bounds how long a run may execute Lua code without
	// waiting in a binding (FreeSWITCH, media, a sleep, kv).
	BusyBudget time.Duration `yaml:"busy_budget"`
	// MemoryLimit is the process's memory limit: the Go runtime's soft
	// limit is 3/4 of it, and the runs executing Lua code when the live
	// heap passes that are stopped.
	MemoryLimit ByteSize `yaml:"memory_limit"`
	// StringLimit is the longest string one library call (string.rep,
	// format, gsub, table.concat, json.encode...) may build.
	StringLimit ByteSize `yaml:"string_limit"`
	// QueueLimit caps the events waiting for one script; past it that
	// script's new events are dropped and counted (0: the host default).
	QueueLimit int `yaml:"queue_limit"`
	// QueueBytes caps the memory the events waiting for one script hold
	// (each its wire size plus about 320 B); past it that script's new
	// events are dropped and counted (0: the host default, 64 MiB).
	QueueBytes ByteSize `yaml:"queue_bytes"`
	Sandbox    Sandbox  `yaml:"sandbox"`
	// SandboxDirs gives the scripts under a subdirectory of Dir their own
	// sandbox policy, keyed by the directory relative to Dir with "/"
	// ("billing", "billing/eu"). The deepest listed directory containing a
	// script decides its whole policy (it replaces Sandbox, it does not add
	// to it); scripts in no listed directory get Sandbox.
	SandboxDirs map[string]Sandbox `yaml:"sandbox_dirs"`
}

// Sandbox lists the opt-ins beyond the safe Lua library set.
type Sandbox struct {
	AllowOS    bool     `yaml:"allow_os"`
	AllowIO    bool     `yaml:"allow_io"`
	ReadPaths  []string `yaml:"read_paths"`
	WritePaths []string `yaml:"write_paths"`
}

// Log configures the process logger.
type Log struct {
	// Level is debug, info, warn or error.
	Level string `yaml:"level"`
	// Format is text or json.
	Format string `yaml:"format"`
}

// Admin configures the admin HTTP endpoint (DefaultAdminAddress unless
// set; disabled when Address is set to "").
type Admin struct {
	Address  string         `yaml:"address"`
	Allow    []string       `yaml:"allow"`
	Prefixes []netip.Prefix `yaml:"-"`
	// Hosts are host names (besides IP addresses and localhost) that
	// requests may name in their Host header.
	Hosts []string `yaml:"hosts"`
	// TokenFile holds the bearer token that POST /reload and PUT /loglevel
	// require (else $ESLSCRIPT_ADMIN_TOKEN; none when both are unset).
	TokenFile string `yaml:"token_file"`
	// Token is the resolved token (ResolveAdmin); never in the YAML.
	Token Secret `yaml:"-"`
}

// Drain configures graceful shutdown: stop accepting calls, let live ones
// finish for up to Timeout, then hang up the rest with Cause.
type Drain struct {
	Timeout time.Duration `yaml:"timeout"`
	Cause   string        `yaml:"cause"`
}

// Defaults.
const (
	DefaultScriptsDir    = "./scripts"
	DefaultHandlerBudget = 5 * time.Second
	DefaultSessionBudget = 4 * time.Hour
	DefaultLogLevel      = "info"
	DefaultLogFormat     = "text"
	DefaultDrainTimeout  = 30 * time.Second
	DefaultDrainCause    = "SYSTEM_SHUTDOWN"
	// DefaultAdminAddress is where the admin endpoint (metrics, health,
	// status, reload) listens unless admin.address says otherwise ("" turns
	// it off).
	DefaultAdminAddress = "127.0.0.1:9180"
	// AdminOff as admin.address (or --admin, ESLSCRIPT_ADMIN) turns the
	// admin endpoint off.
	AdminOff              = "off"
	DefaultListenHost     = "127.0.0.1"
	DefaultListenAddress  = "127.0.0.1:8084"
	DefaultMaxCalls       = 1000
	DefaultPasswordEnv    = "ESL_PASSWORD"
	DefaultNodeName       = "default"
	DefaultListenerName   = "default"
	defaultAllowLoopback4 = "127.0.0.0/8"
	defaultAllowLoopback6 = "::1/128"
)

// The values of nodes[].event_format (plain is the default).
const (
	EventFormatPlain = "plain"
	EventFormatJSON  = "json"
)

// Default returns the configuration used when nothing is set: no node, no
// listener, scripts in ./scripts.
func Default() *Config {
	return &Config{
		Scripts: Scripts{
			Dir:           DefaultScriptsDir,
			HandlerBudget: DefaultHandlerBudget,
			SessionBudget: DefaultSessionBudget,
			BusyBudget:    DefaultBusyBudget,
			MemoryLimit:   DefaultMemoryLimit,
			StringLimit:   DefaultStringLimit,
		},
		Log:   Log{Level: DefaultLogLevel, Format: DefaultLogFormat},
		Drain: Drain{Timeout: DefaultDrainTimeout, Cause: DefaultDrainCause},
		Admin: Admin{Address: DefaultAdminAddress},
	}
}
