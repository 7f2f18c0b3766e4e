// Package fleet lets several eslscript instances consume the same
// FreeSWITCH nodes as one fleet: each call (Unique-ID) is owned by exactly
// one live instance, which alone runs its consumer handlers; node-level
// events and singleton timers run on one instance, the leader; when an
// instance stops, the survivors take its calls over and tell the scripts
// (host.EventTakeover) which window of events may have been missed or may
// come again.
//
// It is built on Redis (the kv module's backend already), not on a
// consensus of its own: leases are keys with an expiry set atomically by
// Lua scripts that read Redis's own clock, and ownership is one
// SET NX per call. Nothing new has to run beside FreeSWITCH and Redis.
//
// Instances. Each instance renews its lease (a member of the sorted set
// "members", scored with its expiry) every Lease/3. An instance fences
// itself: when it has not renewed successfully within Lease - Lease/6 of
// the start of its last successful renewal it stops admitting events of
// its calls and node-level events, before Redis lets its lease lapse, so
// that two instances never own a call at the same moment, even when an
// instance is cut from Redis but not from FreeSWITCH. Events admitted
// before the fence may still be running their handlers (the dispatch
// lag: milliseconds normally). Survivors see an expired lease at their
// next renewal: a call is taken over within Lease + Lease/3 of its
// owner's last renewal (4 s with the default Lease of 3 s).
//
// Calls. On the first event of a call, the instance that wins the
// rendezvous hash of the Unique-ID over the live members claims it at
// once (SET NX, and the call joins the instance's "owned" set); the others
// hold its events for Grace and then claim it if nobody did, else learn
// the owner. A call therefore costs each instance one or two Redis round
// trips, never one per event; the node's reader never waits for Redis
// (events of a call whose claim is in flight wait, in order, and are
// delivered once it is resolved). The owner releases the claim at
// CHANNEL_DESTROY; claims also expire after CallTTL.
//
// Takeover. The survivors split an expired member's owned set by the
// rendezvous hash over the live members; each takes its share with a
// compare-and-set (owner still the dead instance, or none, and its lease
// still lapsed: an instance back from a lapse keeps its calls) and raises
// host.EventTakeover for each call, with Previous-Owner, Gap-Start (the
// dead owner's last renewal less one renewal interval, for the events it
// had received and not yet handled) and Gap-End (the takeover). Every
// instance keeps the recent events of calls it does not own (History per
// call); the new owner then replays those received since Gap-Start, each
// marked with the header Eslscript-Possible-Repeat: true, since the dead
// owner may have handled them already; so are events FreeSWITCH made
// before the takeover (Event-Date-Timestamp against Redis's time) that
// reach the new owner after it, as its reader may lag the dead owner's. An instance that fenced itself
// takes its own calls back the same way once it renews again.
//
// The leader holds the "leader" key (renewed with its lease): it gets the
// node-level events (no call: HEARTBEAT, CUSTOM without a call) except
// for scripts declaring every_instance = true, and runs the timers
// declared leader = true. The node-level events the host raises about its
// own connection (node_up, node_down, a node's gap) never reach Admit.
//
// Every instance must use the same Lease (gap windows are computed from
// it) and a distinct Instance name.
package fleet
