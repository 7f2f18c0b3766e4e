package esl

import "strings"

// Header lookups in raw event text anchor on the byte of the name that is
// least frequent in ESL event text, found with strings.IndexByte (which is
// vectorised), and then verify the whole name around each hit. This beats
// strings.Index, whose anchor is the first byte: for "variable_..." names
// that byte starts half of the lines of a channel event.

// commonBytes lists the bytes most frequent in FreeSWITCH events, most
// frequent first (measured on captured CHANNEL_* events).
const commonBytes = "ea-ln\"riCt:0oc d\n1b_2mus4hv,3796TpNIfD85SEgALHR%"

// byteRank orders bytes by frequency: 0 for rare bytes, higher for common.
var byteRank = func() (r [256]uint8) {
	for i := 0; i < len(commonBytes); i++ {
		r[commonBytes[i]] = uint8(len(commonBytes) - i)
	}
	return r
}()

// foldRank is byteRank of a byte counted as its more frequent case.
var foldRank = func() (r [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		r[c] = max(byteRank[b], byteRank[lower(b)], byteRank[upper(b)])
	}
	return r
}()

// rareByte returns the index of name's rarest byte; with fold, a letter
// counts as its more frequent case.
func rareByte(name string, fold bool) int {
	rank := &byteRank
	if fold {
		rank = &foldRank
	}
	best, bestRank := 0, uint8(255)
	for i := 0; i < len(name); i++ {
		if r := rank[name[i]]; r < bestRank {
			best, bestRank = i, r
		}
	}
	return best
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// lineMatch reports whether name starts a line at h[start] and is followed
// by the colon that ends a header name.
func lineMatch(h, name string, start int, fold bool) bool {
	end := start + len(name)
	if start < 0 || end >= len(h) || h[end] != ':' || (start > 0 && h[start-1] != '\n') {
		return false
	}
	if fold {
		return strings.EqualFold(h[start:end], name)
	}
	return h[start:end] == name
}

// findHeader returns the start of the first line of h that is the header
// name, or else of the first whose name matches it ASCII
// case-insensitively, or -1. A header on the first line (Event-Name, in
// FreeSWITCH's events) is found without a scan. Otherwise both searches
// share one anchor (name's rarest byte in either case): one pass over that
// byte's case finds the exact line, noting the first case-insensitive one
// on the way, so a miss costs two passes (one for a non-letter anchor).
func findHeader(h, name string) int {
	if lineMatch(h, name, 0, false) {
		return 0
	}
	k := rareByte(name, true)
	c := name[k]
	exact, folded := scanAnchor(h, name, k, c, len(h), true)
	if exact >= 0 {
		return exact
	}
	if other := otherCase(c); other != c {
		limit := len(h)
		if folded >= 0 {
			limit = folded + k
		}
		if _, alt := scanAnchor(h, name, k, other, limit, false); alt >= 0 {
			folded = alt
		}
	}
	return folded
}

// scanAnchor tries every occurrence of c in h[:limit] as name[k]. With
// wantExact it returns the first exact line (and the first
// case-insensitive one before it); without, it stops at the first
// case-insensitive line.
func scanAnchor(h, name string, k int, c byte, limit int, wantExact bool) (exact, folded int) {
	exact, folded = -1, -1
	for from := k; from < limit; {
		j := strings.IndexByte(h[from:limit], c)
		if j < 0 {
			return exact, folded
		}
		j += from
		from = j + 1
		if !lineMatch(h, name, j-k, true) {
			continue
		}
		if folded < 0 {
			folded = j - k
		}
		if !wantExact {
			return exact, folded
		}
		if h[j-k:j-k+len(name)] == name {
			return j - k, folded
		}
	}
	return exact, folded
}
