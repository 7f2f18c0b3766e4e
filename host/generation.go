package host

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eslscript/eslscript/bindings"
)

// Script is one loaded, validated script of a generation.
type Script struct {
	// Name is the file name without ".lua" (relative path with "/" for
	// scripts in subdirectories).
	Name string
	// Path is the file's path.
	Path string
	// Events lists the event keys the script handles: event names
	// ("CHANNEL_ANSWER"), CUSTOM subclasses ("sofia::register") and "*".
	// Sorted.
	Events []string
	// Session reports whether the script handles outbound calls.
	Session bool
	// ModLua reports a mod_lua-style call script (a file under a mod_lua/
	// folder): its top level is run once per call, with the globals
	// session, argv and freeswitch, instead of returning a table. Session
	// is set too.
	ModLua bool
	// Init reports whether the script has an init function.
	Init bool
	// Timers are the periodic timers the script declares, sorted by name.
	Timers []TimerSpec
	// EveryInstance reports every_instance = true: in a fleet, the
	// script's node-level events (no call) run on every instance, not on
	// the leader only.
	EveryInstance bool
	// Warnings are the script's suspicious parts that did not stop it
	// from loading (an events key that is no FreeSWITCH event name).
	Warnings []Warning

	file *luaFile
}

// TimerSpec is a periodic timer declared by a script.
type TimerSpec struct {
	Name  string
	Every time.Duration
	// Leader reports leader = true: in a fleet, the timer runs on the
	// leader only, the other instances standing by.
	Leader bool
}

// Generation is one complete, immutable load of the scripts directory.
// Live outbound calls pin the generation they started on (acquire/release).
// Every method is safe for concurrent use.
type Generation struct {
	// ID increases by one with every successful load.
	ID uint64
	// Hash identifies the content of every file loaded.
	Hash string
	// Loaded is when the generation was built.
	Loaded time.Time

	files       map[string]*luaFile // by relative path, "lib/util.lua"
	scripts     map[string]*Script
	order       []*Script
	sandbox     Sandbox
	registry    *bindings.Registry
	loadTimeout time.Duration
	limits      ScriptLimits
	freshStates bool // Options.StatePerCall: pools keep no idle state

	refs   atomic.Int64 // live calls plus the refRetired/refIdle flags
	onIdle atomic.Pointer[func()]

	poolMu sync.Mutex
	pools  map[string]*statePool
}

// Scripts returns the generation's scripts sorted by name. The slice is
// shared: do not modify it.
func (g *Generation) Scripts() []*Script { return g.order }

// Script returns a script by name, or nil.
func (g *Generation) Script(name string) *Script { return g.scripts[name] }

// newGeneration returns a generation of compiled files, without scripts yet.
func newGeneration(l *Loader, files map[string]*luaFile) *Generation {
	return &Generation{
		Loaded:      time.Now(),
		files:       files,
		scripts:     map[string]*Script{},
		sandbox:     l.Sandbox,
		registry:    l.Registry,
		loadTimeout: l.loadTimeout(),
		limits:      l.Limits.withDefaults(),
		pools:       map[string]*statePool{},
		freshStates: l.freshStates,
	}
}

// setScripts indexes the validated scripts; called once, before the
// generation is published.
func (g *Generation) setScripts(scripts []*Script) {
	sort.Slice(scripts, func(i, j int) bool { return scripts[i].Name < scripts[j].Name })
	for _, s := range scripts {
		g.scripts[s.Name] = s
	}
	g.order = scripts
}

// Sandbox lists the opt-ins beyond the safe default library set. Native
// (C) modules cannot be loaded in any configuration: gopher-lua has no
// C loader and package.loadlib is removed.
type Sandbox struct {
	// AllowOS opens os.execute, os.remove, os.rename, os.exit, os.tmpname,
	// os.setenv and os.setlocale, plus io.popen and io.tmpfile when AllowIO
	// is also set.
	AllowOS bool
	// AllowIO opens the io library; io.open, io.lines, io.input and
	// io.output only accept files under ReadPaths (read) or WritePaths
	// (read and write).
	AllowIO bool
	// ReadPaths are the directories (or files) scripts may read with io.
	ReadPaths []string
	// WritePaths are the directories (or files) scripts may write with io.
	WritePaths []string
	// Dirs gives scripts under a subdirectory of the scripts directory a
	// policy of their own, keyed by the directory's relative path with "/"
	// ("billing", "billing/eu": clean, relative, inside the scripts
	// directory). A script gets the policy of the deepest directory in Dirs that contains it, whole: it
	// replaces this policy rather than adding to it (the Dirs of an entry
	// are ignored). Scripts in no listed directory get this policy. A module
	// runs in the state of the script that requires it, so it works under
	// that script's policy wherever the module's file lives. Build fails
	// (ErrSandboxDir) when a key is not an existing subdirectory.
	Dirs map[string]Sandbox
}

// Loader builds generations from a scripts directory. A Loader remembers
// the content of its last failed build (see ErrKnownBad); use one Loader per
// directory. Build is safe for concurrent use.
type Loader struct {
	// Dir is the scripts directory.
	Dir string
	// Registry provides the Lua modules. Nil means no modules at all (only
	// the generation's own files can be required); hosts normally pass
	// bindings.NewRegistry().
	Registry *bindings.Registry
	// Sandbox is the sandbox policy.
	Sandbox Sandbox
	// LoadTimeout bounds running one script's top level, at load and in
	// every state opened later (DefaultLoadTimeout when zero).
	LoadTimeout time.Duration
	// Limits bound every state of the generations built: the strings its
	// library calls build, and the busy time and memory of its top level
	// (defaults for zero fields). Runs of handlers get theirs from the
	// Host or RunFile.
	Limits ScriptLimits

	freshStates bool // Options.StatePerCall (set by the host)
	mu          sync.Mutex
	badHash     string
	badErr      *LoadError
	last        atomic.Pointer[BuildOutcome]
}

// DefaultLoadTimeout bounds running a script's top level during Build.
const DefaultLoadTimeout = 5 * time.Second

// Build compiles every .lua file under Dir (files ending in _test.lua,
// hidden files and directories and editor temporaries are skipped), runs
// each script (every file not under a lib/ folder) once in a fresh state
// and validates its table. It returns ErrUnchanged when the content hash
// equals prev's (prev may be nil); an error matching ErrKnownBad, without
// compiling anything, when the content is the same that failed last time
// (failures by LoadTimeout are not remembered: they may pass next time); a
// *LoadError naming file:line when any file fails (the first in name
// order, More counting the others); and a plain error when Dir cannot be
// read or a key of Sandbox.Dirs is not a subdirectory of it
// (ErrSandboxDir). prev stays valid in every case. Host.LastReload reports the
// outcome afterwards.
func (l *Loader) Build(prev *Generation) (*Generation, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	g, err := l.build(prev)
	l.record(prev, g, err)
	return g, err
}

// loadTimeout is LoadTimeout or its default.
func (l *Loader) loadTimeout() time.Duration {
	if l.LoadTimeout > 0 {
		return l.LoadTimeout
	}
	return DefaultLoadTimeout
}
