package bindings

import (
	"strings"
	"testing"

	"github.com/yuin/gopher-lua/pm"
)

// patBenchCases are patterns scripts use, on subjects of their size.
var patBenchCases = []struct{ name, pat, src string }{
	{"header", `^([%w%-]+):%s*(.-)%s*$`, "Caller-Caller-ID-Number:   5551234   "},
	{"digits", `%d+`, strings.Repeat("abc def ", 120) + "id 42"},
	{"csv", `[^,]+`, strings.Repeat("alpha,beta,gamma,", 60)},
	{"spaces", `%s+`, strings.Repeat("one two  three\t", 60)},
	{"absent", `(%a+)@(%a+)%.com`, strings.Repeat("no address here ", 60)},
}

// BenchmarkPatternOurs and BenchmarkPatternGopherLua find every match of
// the same patterns: what the budget checks and the iterative matcher cost
// against gopher-lua's pm.
func BenchmarkPatternOurs(b *testing.B) {
	for _, c := range patBenchCases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ourFindAll(c.pat, c.src, 0, -1, func() error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPatternGopherLua(b *testing.B) {
	for _, c := range patBenchCases {
		b.Run(c.name, func(b *testing.B) {
			src := []byte(c.src)
			for b.Loop() {
				if _, err := pm.Find(c.pat, src, 0, -1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
