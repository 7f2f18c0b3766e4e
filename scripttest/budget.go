package scripttest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// sessionBudgetFor is the session budget of the scripts under test: a
// little less than the test's own, so that a call script that never ends
// is stopped first and the test reports the script's line (call:run
// raises it) rather than only its own timeout.
func sessionBudgetFor(testBudget time.Duration) time.Duration {
	return testBudget - min(testBudget/10, 500*time.Millisecond)
}

// budgetFailure reports a test stopped by its time budget: where the test
// was (the line running when the budget ran out, else the it's line) and,
// when it was waiting in a sim helper, for what. err and v are what the
// test's run returned (an error, or the failure value the prelude made).
func (r *fileRunner) budgetFailure(t *lua.LTable, err error, v lua.LValue) *Failure {
	f := &Failure{Kind: KindTimeout, File: r.path, Line: int(lua.LVAsNumber(t.RawGetString("line")))}
	text := r.firstError + "\n" + stoppedText(err, v)
	var detail []string
	if m := waitingRE.FindStringSubmatch(text); m != nil {
		detail = append(detail, "while waiting for "+m[1])
	}
	if file, line := testLocation(text, r.path); line > 0 {
		f.File, f.Line = file, line // where the test was, not its it line
	}
	f.Message = fmt.Sprintf("test exceeded its time budget of %s", r.opts.Timeout)
	if len(detail) > 0 {
		f.Message += " " + strings.Join(detail, " ")
	}
	f.Message += " (an endless loop, or a script waiting for something that never comes)"
	return f
}

// waitingRE finds what a sim helper was waiting for in its budget error.
var waitingRE = regexp.MustCompile(`time budget exceeded while waiting for ([^\n]+)`)

// locationRE finds "file.lua:LINE:" locations in an error text.
var locationRE = regexp.MustCompile(`([^\s:]+\.lua):(\d+):`)

// stoppedText is the message of what a stopped test returned.
func stoppedText(err error, v lua.LValue) string {
	if err != nil {
		return err.Error()
	}
	if tbl, ok := v.(*lua.LTable); ok {
		return lua.LVAsString(tbl.RawGetString("message")) + "\n" + lua.LVAsString(tbl.RawGetString("traceback"))
	}
	return ""
}

// testLocation is the first location of the test file in text (where the
// test was when it was stopped), else none.
func testLocation(text, path string) (string, int) {
	for _, m := range locationRE.FindAllStringSubmatch(text, -1) {
		if m[1] == path {
			n, _ := strconv.Atoi(m[2])
			return m[1], n
		}
	}
	return "", 0
}

// luaOnError is the xpcall handler of the prelude's internal.run: it keeps
// the test's first error text ("file:line: message", where the test was
// when its budget stopped it) and returns what the prelude's handler makes
// of the error, or the error itself when no Lua can run any more.
func (r *fileRunner) luaOnError(L *lua.LState) int {
	v := L.Get(1)
	if s, ok := v.(lua.LString); ok && r.firstError == "" {
		r.firstError = string(s)
	}
	if err := L.CallByParam(lua.P{Fn: r.internal.RawGetString("handler"), NRet: 1, Protect: true}, v); err != nil {
		L.Push(v)
		return 1
	}
	return 1
}

// plan tells the prelude which tests will run (the filter's, with a
// body), so that each describe block's teardown runs after its last one.
func (r *fileRunner) plan(tests []*lua.LTable) {
	list := r.L.NewTable()
	for _, t := range tests {
		name := lua.LVAsString(t.RawGetString("name"))
		if t.RawGetString("fn") != lua.LNil && (r.opts.Filter == nil || r.opts.Filter.MatchString(name)) {
			list.Append(t)
		}
	}
	_ = r.L.CallByParam(lua.P{Fn: r.internal.RawGetString("plan"), Protect: true}, list)
}
