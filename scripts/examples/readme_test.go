// Package examples_test checks that the copy of the example in README.md
// ("Testing your scripts") is the shipped ivr.lua and ivr_test.lua, byte
// for byte, so that what a newcomer copies is what passes. The Lua tests
// themselves run from scripts/scripts_test.go and `eslscript test`.
package examples_test

import (
	"os"
	"strings"
	"testing"
)

func TestReadmeShowsTheShippedIVR(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ivr.lua", "ivr_test.lua"} {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := blockAfter(string(readme), "`scripts/examples/"+name+"`:")
		if !ok {
			t.Errorf("README.md has no lua block after `scripts/examples/%s`:", name)
			continue
		}
		if got != string(src) {
			t.Errorf("README.md's copy of %s differs from the file; paste the file again", name)
		}
	}
}

// blockAfter returns the body of the first ```lua block after marker.
func blockAfter(doc, marker string) (string, bool) {
	_, rest, ok := strings.Cut(doc, marker)
	if !ok {
		return "", false
	}
	_, rest, ok = strings.Cut(rest, "```lua\n")
	if !ok {
		return "", false
	}
	body, _, ok := strings.Cut(rest, "```")
	return body, ok
}
