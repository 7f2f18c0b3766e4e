package host

import "sync"

// defaultPoolIdle is how many idle states a pool keeps per script; states
// put back beyond it are closed.
const defaultPoolIdle = 64

// statePool keeps ready states of one session script of one generation,
// so that a call does not pay for opening libraries and running the
// script's top level. A reused state keeps whatever globals earlier calls
// left behind, and its Runtime and callback queue: a callback a call
// scheduled that comes in after the call ended runs in a later call of
// the state, under the scope of the call that scheduled it.
type statePool struct {
	maxIdle int

	mu     sync.Mutex
	idle   []*luaState
	closed bool
}

// pool returns the state pool of a script, creating it on first use. The
// pool closes when the generation is retired and idle; after that get
// still works but put closes every state.
func (g *Generation) pool(script string) *statePool {
	g.poolMu.Lock()
	defer g.poolMu.Unlock()
	p := g.pools[script]
	if p == nil {
		p = &statePool{maxIdle: defaultPoolIdle}
		if g.freshStates {
			p.maxIdle = 0
		}
		g.pools[script] = p
	}
	return p
}

// IdleStates returns how many ready states the generation keeps for a
// session script (none before its first call).
func (g *Generation) IdleStates(script string) int {
	g.poolMu.Lock()
	p := g.pools[script]
	g.poolMu.Unlock()
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// get returns an idle state, else a new one from open.
func (p *statePool) get(open func() (*luaState, error)) (*luaState, error) {
	if st := p.pop(); st != nil {
		return st, nil
	}
	return open()
}

func (p *statePool) pop() *luaState {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.idle)
	if n == 0 {
		return nil
	}
	st := p.idle[n-1]
	p.idle[n-1] = nil
	p.idle = p.idle[:n-1]
	return st
}

// put returns a state after a call whose script completed normally (its
// Runtime's End ran): its stack is cleared. A state whose script raised
// an error or ran out of time is closed instead (reusable false).
func (p *statePool) put(st *luaState, reusable bool) {
	if !reusable {
		st.close()
		return
	}
	st.L.SetTop(0)
	p.mu.Lock()
	keep := !p.closed && len(p.idle) < p.maxIdle
	if keep {
		p.idle = append(p.idle, st)
	}
	p.mu.Unlock()
	if !keep {
		st.close()
	}
}

// close closes the idle states and makes later puts close theirs.
func (p *statePool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, st := range idle {
		st.close()
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
