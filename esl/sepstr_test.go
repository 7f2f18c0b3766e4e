package esl

import (
	"reflect"
	"testing"
)

func TestSeparateStringBlank(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want []string
	}{
		{`1 1 3 5000 '#' 'ivr/menu.wav' 'ivr/invalid.wav' 'eslscript_pagd_digits' '[1-3]' 3000 ''`, 11,
			[]string{"1", "1", "3", "5000", "#", "ivr/menu.wav", "ivr/invalid.wav", "eslscript_pagd_digits", "[1-3]", "3000", ""}},
		{`  a   b  `, 0, []string{"a", "b"}},
		{`'' x ''`, 0, []string{"", "x", ""}},
		{`say 'hello world' x`, 0, []string{"say", "hello world", "x"}},
		{`a\ b c`, 0, []string{`a\ b`, "c"}}, // \<blank> is not unescaped with a blank delimiter
		{`'it\'s' 'a\\b' \n\s\t\q`, 0, []string{"it's", `a\b`, "\n \t\\q"}},
		{`it's here`, 0, []string{"it's here"}},             // unpaired quote groups, then stays
		{`u x 'a b' c d`, 3, []string{"u", "x", "a b c d"}}, // the last entry is the rest
		{`u x   spaced out  `, 3, []string{"u", "x", "spaced out"}},
		{`u x ' pad '`, 3, []string{"u", "x", " pad "}},
		{``, 0, nil},
	} {
		if got := SeparateString(tc.in, ' ', tc.max); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SeparateString(%q, ' ', %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestSeparateStringChar(t *testing.T) {
	for _, tc := range []struct {
		in    string
		delim byte
		max   int
		want  []string
	}{
		{`a=1,b='x,y', c = 2 `, ',', 0, []string{"a=1", "b=x,y", "c = 2"}},
		{`a,,b,`, ',', 0, []string{"a", "", "b"}},
		{`a\,b,c`, ',', 0, []string{"a,b", "c"}},
		{`k=v=w`, '=', 2, []string{"k", "v=w"}},
		{`^^|a|b,c`, ',', 0, []string{"a", "b,c"}},
		{`it's,x`, ',', 0, []string{"it's", "x"}}, // unpaired quote: not a group
	} {
		if got := SeparateString(tc.in, tc.delim, tc.max); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SeparateString(%q, %q, %d) = %q, want %q", tc.in, tc.delim, tc.max, got, tc.want)
		}
	}
}
