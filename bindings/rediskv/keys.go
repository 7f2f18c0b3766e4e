package rediskv

import (
	"context"
	"slices"
	"strings"
)

// scanCount is the COUNT hint of each SCAN step.
const scanCount = 1000

// globEscaper escapes Redis glob's special characters so that they match
// themselves.
var globEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`, `]`, `\]`)

// KeysContext implements bindings.KV: SCAN with MATCH on the escaped
// prefix (namespace included), the namespace stripped, sorted. It walks
// the whole database, bounded by the one timeout.
func (s *Store) KeysContext(ctx context.Context, prefix string) ([]string, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	match := globEscaper.Replace(s.prefix+prefix) + "*"
	seen := map[string]bool{}
	var cursor uint64
	for {
		keys, next, err := s.c.Scan(ctx, cursor, match, scanCount).Result()
		if err != nil {
			return nil, s.fail("keys", err)
		}
		for _, k := range keys {
			seen[strings.TrimPrefix(k, s.prefix)] = true // SCAN may repeat a key
		}
		if cursor = next; cursor == 0 {
			break
		}
	}
	return sortedKeys(seen), nil
}

// sortedKeys returns the set's members in byte order.
func sortedKeys(set map[string]bool) []string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
