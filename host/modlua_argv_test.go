package host

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitArgs(t *testing.T) {
	for in, want := range map[string][]string{
		"":                        nil,
		"   ":                     {""},         // switch_separate_string gives one empty word
		"^^:a b:c":                {"a b", "c"}, // a leading ^^<c> picks the delimiter
		" a  b ":                  {"a", "b"},
		"sales 'the queue' 42":    {"sales", "the queue", "42"},
		"'a b'c d":                {"a bc", "d"},
		`it\'s x`:                 {"it's", "x"},
		`a\ b`:                    {`a\ b`}, // \s is the escaped space
		`a\sb`:                    {"a b"},
		`tab\there`:               {"tab\there"},
		`back\\slash`:             {`back\slash`},
		"'unclosed quote here":    {"'unclosed quote here"}, // the quote still joins the words
		"'' empty":                {"", "empty"},
		"'keep  inner  spaces'  ": {"keep  inner  spaces"},
		`c:\path`:                 {`c:\path`},
	} {
		if got := splitArgs(in); !slices.Equal(got, want) {
			t.Errorf("splitArgs(%q) = %q, want %q", in, got, want)
		}
	}
	many := strings.Repeat("x ", 200)
	words := splitArgs(many)
	if len(words) != maxArgs || words[0] != "x" || words[maxArgs-1] != strings.TrimSpace(strings.Repeat("x ", 200-maxArgs+1)) {
		t.Errorf("%d words, last %q; want %d, the last one the unsplit rest (as mod_lua's argv[128])", len(words), words[len(words)-1], maxArgs)
	}
}

func TestModLuaArg0(t *testing.T) {
	for rel, want := range map[string]string{
		"mod_lua/ivr.lua":            "ivr.lua",
		"mod_lua/app/vm/index.lua":   "app/vm/index.lua",
		"billing/mod_lua/cdr.lua":    "cdr.lua",
		"mod_lua/x/mod_lua/deep.lua": "deep.lua",
	} {
		if got := modLuaArg0(rel); got != want {
			t.Errorf("modLuaArg0(%q) = %q, want %q", rel, got, want)
		}
	}
}
