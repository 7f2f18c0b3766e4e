package scripttest

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/eslscript/eslscript/host"
	lua "github.com/yuin/gopher-lua"
)

// luaWhere matches the "file:line: " prefix of Lua error messages.
var luaWhere = regexp.MustCompile(`^([^\s:]+(?:\.lua)?):(\d+): `)

// failureOf turns the prelude's failure value (nil, an assertion table or
// an error table) into a Failure.
func failureOf(path string, v lua.LValue, t *lua.LTable) *Failure {
	tbl, ok := v.(*lua.LTable)
	if !ok {
		return nil
	}
	str := func(k string) string {
		if s, ok := tbl.RawGetString(k).(lua.LString); ok {
			return string(s)
		}
		return ""
	}
	if tbl.RawGetString("eslscript_assertion") == lua.LTrue {
		f := &Failure{Kind: KindAssertion, Message: str("message"), File: str("file"),
			Line: int(lua.LVAsNumber(tbl.RawGetString("line"))), Expected: str("expected"), Actual: str("actual")}
		if f.Expected != "" || f.Actual != "" {
			f.Diff = lineDiff(f.Expected, f.Actual)
		}
		return f
	}
	f := messageFailure(path, str("message"))
	f.Traceback = strings.TrimSpace(str("traceback"))
	if f.Line == 0 {
		f.Line = int(lua.LVAsNumber(t.RawGetString("line")))
	}
	return f
}

// messageFailure parses "file:line: message" (a Lua error) into a Failure.
func messageFailure(path, msg string) *Failure {
	f := &Failure{Kind: KindError, Message: msg, File: path}
	if m := luaWhere.FindStringSubmatch(msg); m != nil {
		f.File, f.Message = m[1], msg[len(m[0]):]
		f.Line, _ = strconv.Atoi(m[2])
	}
	if strings.Contains(f.Message, errBudget.Error()) || strings.Contains(f.Message, host.ErrBudget.Error()) {
		f.Kind = KindTimeout // the test's budget, or a script's (handler_budget, session_budget)
	}
	return f
}

// errorFailure reports an error from a protected call.
func errorFailure(path string, err error) *Failure {
	var ae *lua.ApiError
	if errors.As(err, &ae) && ae.Object != nil {
		f := messageFailure(path, ae.Object.String())
		f.Traceback = ae.StackTrace
		return f
	}
	return messageFailure(path, err.Error())
}

// syntaxLine finds the line in gopher-lua's parse errors
// ("file line:3(column:5) near 'x': syntax error").
var syntaxLine = regexp.MustCompile(`line:(\d+)`)

// syntaxFailure reports a test file that does not compile.
func syntaxFailure(path string, err error) *Failure {
	msg := err.Error()
	f := &Failure{Kind: KindScript, File: path, Message: "test file does not compile: " + msg}
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		f.Line, _ = strconv.Atoi(m[1])
	}
	return f
}

// lineDiff is a minimal line diff of a and b: common lines with two
// spaces, lines only in a with "- ", lines only in b with "+ ".
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			out = append(out, "  "+x[i])
			i, j = i+1, j+1
		case j == len(y) || (i < len(x) && lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "- "+x[i])
			i++
		default:
			out = append(out, "+ "+y[j])
			j++
		}
	}
	return strings.Join(out, "\n")
}
