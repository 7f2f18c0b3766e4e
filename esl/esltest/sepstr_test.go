package esltest

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
		if got := separateString(tc.in, ' ', tc.max); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("separateString(%q, ' ', %d) = %q, want %q", tc.in, tc.max, got, tc.want)
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
		if got := separateString(tc.in, tc.delim, tc.max); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("separateString(%q, %q, %d) = %q, want %q", tc.in, tc.delim, tc.max, got, tc.want)
		}
	}
}

func TestSplitScope(t *testing.T) {
	for _, tc := range []struct {
		in, rest string
		names    []string
		vals     map[string]string
	}{
		{"%[sleep_eat_digits=true,playback_terminators=none]60000", "60000",
			[]string{"sleep_eat_digits", "playback_terminators"},
			map[string]string{"sleep_eat_digits": "true", "playback_terminators": "none"}},
		{"%|[a=1,2|b='x y']file.wav", "file.wav", []string{"a", "b"},
			map[string]string{"a": "1,2", "b": "x y"}},
		{"%[language=en]voicemail,1:2", "voicemail,1:2", []string{"language"}, map[string]string{"language": "en"}},
	} {
		rest, sc, ok := splitScope(tc.in)
		if !ok || rest != tc.rest || !reflect.DeepEqual(sc.names, tc.names) || !reflect.DeepEqual(sc.vals, tc.vals) {
			t.Errorf("splitScope(%q) = %q %+v %v", tc.in, rest, sc, ok)
		}
	}
	for _, in := range []string{"60000", "%x", "%[a=1", "100%[a=1]"} {
		if rest, _, ok := splitScope(in); ok || rest != in {
			t.Errorf("splitScope(%q) = %q, %v; want unchanged", in, rest, ok)
		}
	}
}

func TestExpandEscapes(t *testing.T) {
	s := fastSim(t, Options{})
	s.SetGlobal("g", "G")
	c := s.NewCall(CallOptions{Variables: map[string]string{"foo": "bar", "n": "foo", "q": "'a b'"}})
	for in, want := range map[string]string{
		`plain \q 'kept' $x`:            `plain \q 'kept' $x`, // no ${ and no escaped data: untouched
		`\'gone\' \\one`:                `gone \one`,
		`${foo} $${g} ${${n}} ${none}.`: `bar G bar .`,
		`it\'s \\ \$x ${foo}`:           `its \ $x bar`, // FreeSWITCH drops \' when it expands
		`x ${q} y`:                      `x 'a b' y`,
		`100$ $$5 ${foo`:                `100$ $5 bar`,
	} {
		if got := c.expand(in); got != want {
			t.Errorf("expand(%q) = %q, want %q", in, got, want)
		}
	}
}
