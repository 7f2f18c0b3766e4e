package fleet

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// The fleet's keys, under Options.Prefix:
//
//	members        sorted set: instance -> lease expiry (Redis ms)
//	leader         the leader's name, expiring with its lease
//	call:<uuid>    the call's owner, expiring after CallTTL
//	owned:<name>   set of the call uuids an instance owns
type keys struct{ prefix string }

func (k keys) members() string          { return k.prefix + "members" }
func (k keys) leader() string           { return k.prefix + "leader" }
func (k keys) call(uuid string) string  { return k.prefix + "call:" + uuid }
func (k keys) owned(inst string) string { return k.prefix + "owned:" + inst }

// redisNow is Redis's clock in milliseconds, read inside a script.
const redisNow = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

// renewScript renews this instance's lease (KEYS members, leader; ARGV me,
// lease ms, joined "1"|"0") and the leader key if it holds it or nobody
// does. A joined instance whose lease lapsed (or was removed) gets
// {"fenced", now}; else {"ok", now, leader, members with scores}.
var renewScript = redis.NewScript(redisNow + `
local lease = tonumber(ARGV[2])
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if ARGV[3] == '1' and (not score or tonumber(score) < now) then
  return {'fenced', tostring(now)}
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
local leader = redis.call('GET', KEYS[2])
if not leader then
  redis.call('SET', KEYS[2], ARGV[1], 'PX', lease)
  leader = ARGV[1]
elseif leader == ARGV[1] then
  redis.call('PEXPIRE', KEYS[2], lease)
end
return {'ok', tostring(now), leader, redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')}
`)

// claimScript claims a call (KEYS call, owned:me; ARGV me, ttl ms, uuid)
// unless somebody holds it; it returns the owner ("" when the claim
// lapsed in between: try again).
var claimScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('SADD', KEYS[2], ARGV[3])
  return ARGV[1]
end
return redis.call('GET', KEYS[1]) or ''
`)

// takeScript moves a call from a stopped instance to this one (KEYS call,
// owned:prev, owned:me, members; ARGV prev, me, ttl ms, uuid) when prev
// still owns it or nobody does; it returns the owner afterwards ("" for
// none). A prev that renewed its lease since the caller saw it lapse
// keeps its calls: it is taking them back itself.
var takeScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if ARGV[1] ~= ARGV[2] then
` + redisNow + `
  local score = redis.call('ZSCORE', KEYS[4], ARGV[1])
  if score and tonumber(score) >= now then return cur or '' end
end
redis.call('SREM', KEYS[2], ARGV[4])
if not cur or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[4])
  return ARGV[2]
end
return cur
`)

// releaseScript drops this instance's claim of an ended call (KEYS call,
// owned:me; ARGV me, uuid, keep ms): the claim stays for keep, so that an
// instance that saw the call late still finds its owner.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
redis.call('SREM', KEYS[2], ARGV[2])
return 1
`)

// retireScript removes a stopped instance from the members once its calls
// are all taken (KEYS members, owned:prev; ARGV prev, its expiry as seen).
var retireScript = redis.NewScript(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= tonumber(ARGV[2]) and redis.call('SCARD', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
`)

// leaveScript ends this instance's lease at once, and its leadership
// (KEYS members, leader; ARGV me), so that the others take over at their
// next renewal.
var leaveScript = redis.NewScript(`
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then redis.call('ZADD', KEYS[1], 0, ARGV[1]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
`)

// newClient returns a Redis client whose every step is bounded by timeout.
func newClient(o Options, timeout time.Duration) *redis.Client {
	return redis.NewClient(&redis.Options{
		Addr:                     o.Address,
		Password:                 o.Password,
		DB:                       o.DB,
		MaxRetries:               1,
		DialerRetries:            1,
		DialTimeout:              timeout,
		ReadTimeout:              timeout,
		WriteTimeout:             timeout,
		PoolTimeout:              timeout,
		ContextTimeoutEnabled:    true,
		DisableIdentity:          true,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
}

// bound limits ctx to one Redis call's timeout and counts the round trip.
func (f *Fleet) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	f.roundTrips.Add(1)
	f.obs.FleetRoundTrip()
	return context.WithTimeout(ctx, f.timeout)
}
