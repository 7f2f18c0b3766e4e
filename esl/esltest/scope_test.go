package esltest

import (
	"reflect"
	"testing"
)

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
