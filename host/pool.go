package host

import (
	"sync"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// DefaultPoolIdle is how many idle states a StatePool keeps per script;
// states put back beyond it are closed.
const DefaultPoolIdle = 64

// PooledState is a Lua state of one script with its handler table and the
// environment its modules were opened with.
type PooledState struct {
	// L is the state; one goroutine at a time.
	L *lua.LState
	// Table is the script's handler table in L.
	Table *lua.LTable
	// Env is the environment L's modules act on. The caller may change its
	// fields between handler calls; the modules see the change.
	Env *bindings.Env
}

// StatePool keeps ready states of one script of one generation, so that a
// call does not pay for opening libraries and running the script's top
// level. A reused state keeps whatever globals earlier calls left behind.
type StatePool struct {
	g       *Generation
	script  string
	maxIdle int

	mu     sync.Mutex
	idle   []*PooledState
	closed bool
}

// Pool returns the state pool of a script, creating it on first use. The
// pool closes when the generation is retired and idle; after that Get still
// works but Put closes every state.
func (g *Generation) Pool(script string) *StatePool {
	g.poolMu.Lock()
	defer g.poolMu.Unlock()
	p := g.pools[script]
	if p == nil {
		p = &StatePool{g: g, script: script, maxIdle: DefaultPoolIdle}
		if g.freshStates {
			p.maxIdle = 0
		}
		g.pools[script] = p
	}
	return p
}

// Get returns an idle state or a new one. env's fields are copied into the
// state's own Env (PooledState.Env), which is what the modules use: change
// that one, not env, afterwards. Errors are those of Generation.NewState.
func (p *StatePool) Get(env *bindings.Env) (*PooledState, error) {
	if ps := p.pop(); ps != nil {
		p.setEnv(ps.Env, env)
		return ps, nil
	}
	e := &bindings.Env{}
	p.setEnv(e, env)
	L, tbl, err := p.g.NewState(p.script, e)
	if err != nil {
		return nil, err
	}
	return &PooledState{L: L, Table: tbl, Env: e}, nil
}

func (p *StatePool) setEnv(dst, src *bindings.Env) {
	if src != nil {
		*dst = *src
	}
	if dst.Script == "" {
		dst.Script = p.script
	}
}

func (p *StatePool) pop() *PooledState {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.idle)
	if n == 0 {
		return nil
	}
	ps := p.idle[n-1]
	p.idle[n-1] = nil
	p.idle = p.idle[:n-1]
	return ps
}

// Put returns a state after a handler completed normally: its stack and
// context are cleared and its Env emptied (but for Script) so that it
// holds no reference to the finished call. A state whose handler raised an
// error or ran out of time must go to Discard instead.
func (p *StatePool) Put(ps *PooledState) {
	ps.L.SetTop(0)
	ps.L.RemoveContext()
	*ps.Env = bindings.Env{Script: ps.Env.Script}
	p.mu.Lock()
	keep := !p.closed && len(p.idle) < p.maxIdle
	if keep {
		p.idle = append(p.idle, ps)
	}
	p.mu.Unlock()
	if !keep {
		ps.L.Close()
	}
}

// Discard closes a state that must not be reused.
func (p *StatePool) Discard(ps *PooledState) { ps.L.Close() }

// Idle returns the number of idle states in the pool.
func (p *StatePool) Idle() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// close closes the idle states and makes later Puts close theirs.
func (p *StatePool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, ps := range idle {
		ps.L.Close()
	}
}

// closePools closes every pool of the generation.
func (g *Generation) closePools() {
	g.poolMu.Lock()
	defer g.poolMu.Unlock()
	for _, p := range g.pools {
		p.close()
	}
}
