package rediskv

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// incrScript is Incr in one atomic step: an empty value counts as 0 (as in
// bindings.MemoryKV), INCRBY fails on anything else that is not an
// integer and keeps the key's expiry, and only then does a ttl > 0 give an
// expiry to a key that has none (PTTL -1: EXPIRE NX without needing
// Redis 7).
var incrScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == '' then redis.call('SET', KEYS[1], '0', 'KEEPTTL') end
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(ARGV[2]) > 0 and redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n
`)

// GetContext implements bindings.KV.
func (s *Store) GetContext(ctx context.Context, key string) (string, bool, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	v, err := s.c.Get(ctx, s.prefix+key).Result()
	if errors.Is(err, redis.Nil) {
		return "", false, nil
	}
	if err != nil {
		return "", false, s.fail("get", err)
	}
	return v, true, nil
}

// SetContext implements bindings.KV: SET, with PX when ttl > 0 (a SET
// without it clears any previous expiry).
func (s *Store) SetContext(ctx context.Context, key, value string, ttl time.Duration) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return s.fail("set", s.c.Set(ctx, s.prefix+key, value, max(ttl, 0)).Err())
}

// DeleteContext implements bindings.KV.
func (s *Store) DeleteContext(ctx context.Context, key string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return s.fail("del", s.c.Del(ctx, s.prefix+key).Err())
}

// IncrContext implements bindings.KV: INCRBY, then PEXPIRE when ttl > 0
// and the key has no expiry, atomically.
func (s *Store) IncrContext(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	n, err := incrScript.Run(ctx, s.c, []string{s.prefix + key}, delta, max(ttl.Milliseconds(), 0)).Int64()
	if err != nil {
		return 0, s.fail("incr", err)
	}
	return n, nil
}
