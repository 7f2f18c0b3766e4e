package bindings

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrNotInteger is returned by Incr (every KV backend) when the stored
// value is not an integer.
var ErrNotInteger = errors.New("bindings: kv: value is not an integer")

// MemoryKV is the default in-process KV store. It is safe for concurrent
// use. Besides the KV methods it has infallible ones without a context
// (Get, Set, Delete, Incr, Keys) for Go callers such as tests. Expired
// keys are dropped lazily when read, and by the optional sweeper
// (StartSweeper) so that keys nobody reads again do not pile up.
type MemoryKV struct {
	clock Clock
	mu    sync.Mutex
	m     map[string]kvEntry
}

type kvEntry struct {
	val string
	exp time.Time // zero: never
}

// NewMemoryKV returns an empty store using clock (real time when nil).
func NewMemoryKV(clock Clock) *MemoryKV {
	if clock == nil {
		clock = realClock{}
	}
	return &MemoryKV{clock: clock, m: map[string]kvEntry{}}
}

func (e kvEntry) expired(now time.Time) bool {
	return !e.exp.IsZero() && !now.Before(e.exp)
}

func (m *MemoryKV) expiry(ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return m.clock.Now().Add(ttl)
}

// live returns the entry for key, dropping it if expired. m.mu is held.
func (m *MemoryKV) live(key string) (kvEntry, bool) {
	e, ok := m.m[key]
	if ok && e.expired(m.clock.Now()) {
		delete(m.m, key)
		return kvEntry{}, false
	}
	return e, ok
}

// Get returns the value of key and whether it is set.
func (m *MemoryKV) Get(key string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.live(key)
	return e.val, ok
}

// Set stores value under key; ttl <= 0 means no expiry.
func (m *MemoryKV) Set(key, value string, ttl time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[key] = kvEntry{val: value, exp: m.expiry(ttl)}
}

// Delete removes key.
func (m *MemoryKV) Delete(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, key)
}

// Incr adds delta to an integer value (missing = 0) and returns the
// result, or ErrNotInteger. It keeps the key's expiry; a ttl > 0 gives
// one to a key that has none (a new key, or one set without a ttl), as
// Redis's INCRBY followed by EXPIRE NX does.
func (m *MemoryKV) Incr(key string, delta int64, ttl time.Duration) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, _ := m.live(key)
	var n int64
	if e.val != "" {
		var err error
		if n, err = strconv.ParseInt(e.val, 10, 64); err != nil {
			return 0, ErrNotInteger
		}
	}
	n += delta
	e.val = strconv.FormatInt(n, 10)
	if ttl > 0 && e.exp.IsZero() {
		e.exp = m.expiry(ttl)
	}
	m.m[key] = e
	return n, nil
}

// Keys returns the live keys with that prefix, sorted.
func (m *MemoryKV) Keys(prefix string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	var keys []string
	for k, e := range m.m {
		if strings.HasPrefix(k, prefix) && !e.expired(now) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// Len returns how many entries are held, expired ones not yet swept included.
func (m *MemoryKV) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

// sweep drops every expired entry now and returns how many it dropped.
func (m *MemoryKV) sweep() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	now, n := m.clock.Now(), 0
	for k, e := range m.m {
		if e.expired(now) {
			delete(m.m, k)
			n++
		}
	}
	return n
}

// reset empties the store (test isolation).
func (m *MemoryKV) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.m)
}

// StartSweeper runs sweep every interval on its own goroutine until the
// returned stop function is called (stop waits for the goroutine to end).
func (m *MemoryKV) StartSweeper(interval time.Duration) (stop func()) {
	quit, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		for {
			select {
			case <-m.clock.After(interval):
				m.sweep()
			case <-quit:
				return
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(quit) })
		<-ended
	}
}

// Interface guard.
var _ KV = (*MemoryKV)(nil)
