package host

import (
	"bytes"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// lua53State is a state with the standard libraries and openLua53.
func lua53State(t *testing.T) *lua.LState {
	t.Helper()
	L := lua.NewState()
	t.Cleanup(L.Close)
	openLua53(L, Sandbox{})
	return L
}

// eval runs code and returns its results joined by spaces.
func eval(t *testing.T, L *lua.LState, code string) string {
	t.Helper()
	top := L.GetTop()
	if err := L.DoString(code); err != nil {
		t.Fatalf("%s: %v", code, err)
	}
	var out []string
	for i := top + 1; i <= L.GetTop(); i++ {
		out = append(out, L.ToStringMeta(L.Get(i)).String())
	}
	L.SetTop(top)
	return strings.Join(out, " ")
}

func TestLua53Library(t *testing.T) {
	L := lua53State(t)
	for code, want := range map[string]string{
		`return table.unpack({1, 2, 3})`:                           "1 2 3",
		`return table.pack(1, nil, 3).n`:                           "3",
		`return table.concat(table.move({1, 2, 3}, 1, 3, 2), ",")`: "1,1,2,3",
		`return math.type(1), math.type(1.5), math.type("1")`:      "integer float nil",
		`return math.tointeger(3.0), math.tointeger(3.5)`:          "3 nil",
		`return math.ult(1, -1)`:                                   "true",
		`return string.sub("hello", "2", "3")`:                     "el",
		`return string.rep("ab", "2")`:                             "abab",
		`return string.format("%d|%5.2f|%s", "3", "2.5", "x")`:     "3| 2.50|x",
		`return utf8.char(72, 233, 0x20AC)`:                        "Hé€",
		`return utf8.len("hé€"), utf8.len(string.char(255))`:       "3 nil 1",
		`return utf8.codepoint("hé", 1, -1)`:                       "104 233",
		`return utf8.offset("hé€", 3), utf8.offset("hé€", -1)`:     "4 4",
		`local t = {} for p, c in utf8.codes("aé") do t[#t+1] = p .. ":" .. c end return table.concat(t, " ")`: "1:97 2:233",
	} {
		if got := eval(t, L, code); got != want {
			t.Errorf("%s = %q, want %q", code, got, want)
		}
	}
}

// Lua 5.3 on Linux: math.randomseed(42) then math.random(100) five times
// gives 33 70 43 21 26 (glibc's random()), as FreeSWITCH's mod_lua does
// (the differential suite checks it against mod_lua itself).
func TestLua53RandomSeed(t *testing.T) {
	L := lua53State(t)
	code := `math.randomseed(42) local t = {} for i = 1, 5 do t[#t+1] = math.random(100) end
		t[#t+1] = math.random(5, 10) t[#t+1] = string.format("%.6f", math.random()) return table.concat(t, " ")`
	if got := eval(t, L, code); got != "33 70 43 21 26 8 0.863622" {
		t.Fatalf("seeded sequence = %q", got)
	}
	if got := eval(t, L, `math.randomseed("7") local a = math.random(1000) math.randomseed(7) return a == math.random(1000)`); got != "true" {
		t.Fatal("the same seed (a numeric string) gave another number")
	}
	if err := L.DoString(`math.random(3, 1)`); err == nil || !strings.Contains(err.Error(), "interval is empty") {
		t.Fatalf("math.random(3, 1): %v", err)
	}
}

func TestLua53ForStringBounds(t *testing.T) {
	src := `local t = {} for i = "1", "3" do t[#t+1] = i end for i = 3, "1", "-1" do t[#t+1] = i end
		for i = 1, 2 do t[#t+1] = i end
		local f = function(n) local s = 0 for i = 1, n do s = s + i end return s end
		return table.concat(t, ","), f("4")`
	chunk, err := parse.Parse(bytes.NewReader([]byte(src)), "x.lua")
	if err != nil {
		t.Fatal(err)
	}
	coerceForBounds(chunk)
	proto, err := lua.Compile(chunk, "x.lua")
	if err != nil {
		t.Fatal(err)
	}
	L := lua.NewState()
	defer L.Close()
	L.Push(L.NewFunctionFromProto(proto))
	if err := L.PCall(0, 2, nil); err != nil {
		t.Fatal(err)
	}
	if got := L.ToString(1) + " " + L.ToString(2); got != "1,2,3,3,2,1,1,2 10" {
		t.Fatalf("loops gave %q", got)
	}
}

func TestNumericConversions(t *testing.T) {
	got := numericConversions("%s %5.2f %% %-3d %q %x")
	want := []int{3, 4, 6}
	if len(got) != len(want) {
		t.Fatalf("numericConversions = %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("numericConversions = %v, want %v", got, want)
		}
	}
}

func TestLua53Escapes(t *testing.T) {
	for in, want := range map[string]string{
		`return "A\x41\x7a"`:                  `AAz`,
		`return "\u{48}\u{E9}\u{20AC}1"`:      "H\u00e9\u20ac1",
		"return 'a\\z  \n   b'":               "ab",
		`return "\\x41", '\"\x41'`:            `\x41 "A`,
		`return [[\x41]] -- "\x41"`:           `\x41`,
		"--[==[ \"\\x41\" ]==] return '\\65'": "A",
	} {
		L := lua.NewState()
		if err := L.DoString(string(lua53Escapes([]byte(in)))); err != nil {
			t.Errorf("%s: %v", in, err)
			L.Close()
			continue
		}
		var parts []string
		for i := 1; i <= L.GetTop(); i++ {
			parts = append(parts, L.ToString(i))
		}
		if got := strings.Join(parts, " "); got != want {
			t.Errorf("%s = %q, want %q", in, got, want)
		}
		L.Close()
	}
	// a \z that drops line breaks keeps the lines after the string where they were
	src := "local s = 'a\\z\n\n  b'\nerror('here')"
	L := lua.NewState()
	defer L.Close()
	err := L.DoString(string(lua53Escapes([]byte(src))))
	if err == nil || !strings.Contains(err.Error(), ":4:") {
		t.Fatalf("error at %v, want line 4", err)
	}
}

// With allow_os, os.execute returns Lua 5.3's results (gopher-lua's
// returned 0 or 1).
func TestLua53OSExecute(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	openLua53(L, Sandbox{AllowOS: true})
	for code, want := range map[string]string{
		`return os.execute()`:                       "true",
		`return os.execute("exit 0")`:               "true exit 0",
		`return os.execute("exit 3")`:               "nil exit 3",
		`return os.execute("kill -TERM $$")`:        "nil signal 15",
		`return io.write("") == io.write("") and 1`: "1",
	} {
		if got := eval(t, L, code); got != want {
			t.Errorf("%s = %q, want %q", code, got, want)
		}
	}
}
