package esl

import "strings"

// SeparateString splits s as FreeSWITCH's switch_separate_string does:
// the way applications (play_and_get_digits, read, say, record,
// transfer...), api commands (uuid_setvar...) and mod_lua's argv parse
// their argument:
//
//   - single quotes group words (” is an empty argument);
//   - a backslash protects the next character from splitting, and \' \"
//     \\ \<delim> \n \r \t \s are unescaped (other backslashes stay);
//   - leading and trailing spaces of each part are stripped;
//   - with max > 0, the last part is the unsplit rest of s (FreeSWITCH's
//     array length);
//   - a leading "^^<c>" makes <c> the delimiter.
//
// A blank delimiter also merges runs of blanks.
func SeparateString(s string, delim byte, max int) []string {
	if len(s) >= 4 && strings.HasPrefix(s, "^^") {
		delim, s = s[2], s[3:]
	}
	var parts []string
	if delim == ' ' {
		parts = splitBlank(s, max)
	} else {
		parts = splitChar(s, delim, max)
	}
	clean := delim
	if delim == ' ' {
		clean = 0
	}
	for i, p := range parts {
		parts[i] = cleanupSeparated(p, clean)
	}
	return parts
}

// splitBlank is separate_string_blank_delim before cleanup: any quote
// toggles grouping.
func splitBlank(s string, max int) []string {
	var parts []string
	for i := 0; i < len(s); {
		if max > 0 && len(parts) == max-1 {
			return append(parts, s[i:])
		}
		start := i
		for i < len(s) && s[i] == ' ' {
			i++
		}
		end := scanToken(s, &i, ' ', func(int) bool { return true })
		parts = append(parts, s[start:end])
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	return parts
}

// splitChar is separate_string_char_delim before cleanup: a quote groups
// only when a closing quote follows.
func splitChar(s string, delim byte, max int) []string {
	var parts []string
	paired := func(j int) bool { return strings.IndexByte(s[j+1:], '\'') >= 0 }
	for i := 0; i < len(s); {
		if max > 0 && len(parts) == max-1 {
			return append(parts, s[i:])
		}
		start := i
		end := scanToken(s, &i, delim, paired)
		parts = append(parts, s[start:end])
	}
	return parts
}

// scanToken advances *i past the token starting there and its delimiter,
// returning where the token ends. opens reports whether a quote at an
// index (outside quotes) starts a quoted run.
func scanToken(s string, i *int, delim byte, opens func(int) bool) int {
	quoted := false
	for *i < len(s) {
		c := s[*i]
		switch {
		case c == '\\':
			*i++
		case c == '\'' && (quoted || opens(*i)):
			quoted = !quoted
		case c == delim && !quoted:
			*i++
			return *i - 1
		}
		*i++
	}
	*i = len(s)
	return len(s)
}

// cleanupSeparated is cleanup_separated_string: strip leading blanks and
// trailing unquoted blanks, drop paired quotes, unescape.
func cleanupSeparated(s string, delim byte) string {
	s = strings.TrimLeft(s, " ")
	b := make([]byte, 0, len(s))
	end, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			if e, ok := unescapeSeparated(s[i+1], delim); ok {
				b = append(b, e)
				end = len(b)
				i++
				continue
			}
		}
		if c == '\'' && (quoted || strings.IndexByte(s[i+1:], '\'') >= 0) {
			if quoted = !quoted; quoted {
				end = len(b)
			}
			continue
		}
		b = append(b, c)
		if c != ' ' || quoted {
			end = len(b)
		}
	}
	return string(b[:end])
}

// unescapeSeparated returns what a backslash followed by e stands for.
func unescapeSeparated(e, delim byte) (byte, bool) {
	switch e {
	case '\'', '"', '\\':
		return e, true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 's':
		return ' ', true
	}
	return e, delim != 0 && e == delim
}
