package bindings

import "testing"

// TestQuoteAppArg pins the escaping that survives FreeSWITCH's expansion
// (which turns \\ into \ and deletes \') followed by switch_separate_string.
func TestQuoteAppArg(t *testing.T) {
	cases := map[string]string{
		"plain":     `'plain'`,
		"it's":      `'it\\'s'`,
		`\d+`:       `'\\\\d+'`,
		"":          `''`,
		"two words": `'two words'`,
	}
	for in, want := range cases {
		if got := quoteAppArg(in); got != want {
			t.Errorf("quoteAppArg(%q) = %q, want %q", in, got, want)
		}
	}
	if got := appArgIfNeeded("ivr/menu.wav"); got != "ivr/menu.wav" {
		t.Errorf("appArgIfNeeded left a plain path quoted: %q", got)
	}
}
