package fleet

// hrw returns the rendezvous (highest random weight) winner for a call
// among the instances: each scores hash(instance, uuid) and the highest
// wins, so every instance with the same member list picks the same one
// and the loss of one instance moves only its own calls.
func hrw(uuid string, instances []string) string {
	best, bestScore := "", uint64(0)
	for _, inst := range instances {
		if s := score(inst, uuid); best == "" || s > bestScore {
			best, bestScore = inst, s
		}
	}
	return best
}

// score is the 64-bit FNV-1a hash of inst, a zero byte and uuid, mixed
// (splitmix64's finalizer) so that close names spread.
func score(inst, uuid string) uint64 {
	h := uint64(14695981039346656037)
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
	}
	add(inst)
	h *= 1099511628211 // the zero byte
	add(uuid)
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}
