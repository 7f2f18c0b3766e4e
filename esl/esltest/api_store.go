package esltest

import (
	"sort"
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// realmStore is the data of mod_hash or mod_db: realm -> key -> value.
type realmStore map[string]map[string]string

func (st realmStore) get(realm, key string) (string, bool) {
	v, ok := st[realm][key]
	return v, ok
}

func (st realmStore) set(realm, key, value string) {
	if st[realm] == nil {
		st[realm] = map[string]string{}
	}
	st[realm][key] = value
}

func (st realmStore) del(realm, key string) {
	delete(st[realm], key)
	if len(st[realm]) == 0 {
		delete(st, realm)
	}
}

const hashUsage = "-ERR Usage: hash insert|insert_ifempty|select|delete|delete_ifmatch/realm/key[/value]\n"

// apiHash is mod_hash's "hash insert|insert_ifempty|select|delete|
// delete_ifmatch/realm/key[/value]", with its replies.
func (s *Server) apiHash(args string) string {
	a := esl.SeparateString(args, '/', 4)
	if len(a) < 3 || a[0] == "" {
		return hashUsage
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, found := s.hash.get(a[1], a[2])
	switch strings.ToLower(a[0]) {
	case "insert", "insert_ifempty":
		switch {
		case len(a) < 4:
			return hashUsage
		case found && strings.EqualFold(a[0], "insert_ifempty"):
			return "-ERR key already exists\n"
		}
		s.hash.set(a[1], a[2], a[3])
		return "+OK\n"
	case "delete", "delete_ifmatch":
		switch {
		case len(a) < 4 && strings.EqualFold(a[0], "delete_ifmatch"):
			return hashUsage
		case !found:
			return "-ERR Not found\n"
		case strings.EqualFold(a[0], "delete_ifmatch") && a[3] != cur:
			return "-ERR Doesn't match\n"
		}
		s.hash.del(a[1], a[2])
		return "+OK\n"
	case "select":
		return cur // "" is answered -ERR no reply, as FreeSWITCH does
	}
	return hashUsage
}

// apiDB is mod_db's "db insert|delete|select|exists|count|list/realm/key
// [/value]", with its replies ("!err!" for a malformed command).
func (s *Server) apiDB(args string) string {
	a := esl.SeparateString(args, '/', 4)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(a) == 0 || a[0] == "" {
		return "!err!"
	}
	switch op := strings.ToLower(a[0]); {
	case op == "insert" && len(a) >= 4:
		s.db.set(a[1], a[2], a[3])
		return "+OK"
	case op == "delete" && len(a) >= 2:
		s.db.del(a[1], argAt(a, 2))
		return "+OK"
	case op == "select" && len(a) >= 3:
		v, _ := s.db.get(a[1], a[2])
		return v
	case op == "exists" && len(a) >= 3:
		_, ok := s.db.get(a[1], a[2])
		return map[bool]string{true: "true", false: "false"}[ok]
	case op == "count" && len(a) <= 2:
		if len(a) < 2 {
			return itoa(len(s.db))
		}
		return itoa(len(s.db[a[1]]))
	case op == "list" && len(a) <= 2:
		return strings.Join(s.db.names(a), ",")
	}
	return "!err!"
}

// names lists the realms (a has no realm) or the keys of a realm, sorted.
func (st realmStore) names(a []string) []string {
	var out []string
	if len(a) < 2 {
		for r := range st {
			out = append(out, r)
		}
	} else {
		for k := range st[a[1]] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
