package bindings

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"
)

// DefaultStringLimit is the longest string one library call may build in
// a state LimitLibraries was not given another bound for.
const DefaultStringLimit = 16 << 20

// stringLimitKey is the registry key of a state's string limit.
const stringLimitKey = "eslscript.limit.string"

// pollEvery is how many units of work a native loop does between two
// looks at the run's context.
const pollEvery = 1024

// LimitLibraries bounds the library functions of L that could otherwise
// build a huge value or run for long in one native call, which the VM's
// budget (L's context, checked between instructions) cannot interrupt:
//
//   - string.find, match, gmatch and gsub use a Lua 5.1 pattern matcher
//     that checks L's context as it backtracks;
//   - string.rep, string.format, string.gsub, table.concat, os.date,
//     json.encode and table-valued log fields refuse to build a string
//     longer than maxString bytes (an error naming the function);
//   - table.sort, table.concat, json.encode and json.decode check L's
//     context as they go.
//
// A stopped call raises the context's error, as the VM does. L must have
// the string and table libraries open (os is optional). maxString <= 0
// means DefaultStringLimit.
func LimitLibraries(L *lua.LState, maxString int) {
	if maxString <= 0 {
		maxString = DefaultStringLimit
	}
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	reg.RawSetString(stringLimitKey, lua.LNumber(maxString))
	limitString(L)
	limitTable(L)
	limitOS(L)
}

// stringLimit is the longest string a library call of L may build.
func stringLimit(L *lua.LState) int {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if n, ok := reg.RawGetString(stringLimitKey).(lua.LNumber); ok && n > 0 {
		return int(n)
	}
	return DefaultStringLimit
}

// tooLong raises the error of a call whose result would pass the limit.
func tooLong(L *lua.LState, fn string, size, limit int) {
	L.RaiseError("%s: result of %s would pass the string limit (%s)", fn, byteCount(size), byteCount(limit))
}

// byteCount writes a size in bytes, KiB, MiB or GiB.
func byteCount(n int) string {
	const unit = 1024
	switch {
	case n < unit:
		return fmt.Sprintf("%d bytes", n)
	case n < unit*unit:
		return fmt.Sprintf("%.1f KiB", float64(n)/unit)
	case n < unit*unit*unit:
		return fmt.Sprintf("%.1f MiB", float64(n)/(unit*unit))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(unit*unit*unit))
}

// runStop returns a non-blocking check of L's context: it returns the
// context's error once it ended, else nil. It is nil when L has no
// context.
func runStop(L *lua.LState) func() error {
	ctx := L.Context()
	if ctx == nil {
		return nil
	}
	done := ctx.Done()
	if done == nil {
		return nil
	}
	return func() error {
		select {
		case <-done:
			return ctx.Err()
		default:
			return nil
		}
	}
}

// poller checks L's context every pollEvery units of work of a native
// loop and raises its error once it ended.
type poller struct {
	L    *lua.LState
	stop func() error
	left int
}

func newPoller(L *lua.LState) *poller {
	return &poller{L: L, stop: runStop(L), left: pollEvery}
}

// tick counts n units of work.
func (p *poller) tick(n int) {
	p.left -= n
	if p.left > 0 {
		return
	}
	p.left = pollEvery
	if p.stop == nil {
		return
	}
	if err := p.stop(); err != nil {
		p.L.RaiseError("%s", err.Error())
	}
}

// strBuf builds a string no longer than max bytes: a write past it raises
// tooLong for fn.
type strBuf struct {
	L   *lua.LState
	fn  string
	max int
	b   []byte
}

func newStrBuf(L *lua.LState, fn string) *strBuf {
	return &strBuf{L: L, fn: fn, max: stringLimit(L)}
}

func (w *strBuf) room(n int) {
	if n > w.max-len(w.b) {
		tooLong(w.L, w.fn, len(w.b)+n, w.max)
	}
}

func (w *strBuf) str(s string) {
	w.room(len(s))
	w.b = append(w.b, s...)
}

func (w *strBuf) byte(c byte) {
	w.room(1)
	w.b = append(w.b, c)
}

func (w *strBuf) String() string { return string(w.b) }
