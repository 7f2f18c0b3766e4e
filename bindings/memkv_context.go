package bindings

import (
	"context"
	"time"
)

// The KV methods of MemoryKV: they never fail and ignore ctx (nothing
// blocks but a brief lock).

// GetContext implements KV.
func (m *MemoryKV) GetContext(_ context.Context, key string) (string, bool, error) {
	v, ok := m.Get(key)
	return v, ok, nil
}

// SetContext implements KV.
func (m *MemoryKV) SetContext(_ context.Context, key, value string, ttl time.Duration) error {
	m.Set(key, value, ttl)
	return nil
}

// DeleteContext implements KV.
func (m *MemoryKV) DeleteContext(_ context.Context, key string) error {
	m.Delete(key)
	return nil
}

// IncrContext implements KV.
func (m *MemoryKV) IncrContext(_ context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	return m.Incr(key, delta, ttl)
}

// KeysContext implements KV.
func (m *MemoryKV) KeysContext(_ context.Context, prefix string) ([]string, error) {
	return m.Keys(prefix), nil
}
