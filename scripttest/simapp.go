package scripttest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eslscript/eslscript/esl/esltest"
	lua "github.com/yuin/gopher-lua"
)

// appOutcome is what a scripted application does when it runs.
type appOutcome struct {
	response string      // Application-Response ("": _none_)
	vars     [][2]string // channel variables it sets, by name
	dtmf     string      // digits the caller presses while it runs
	hangup   string      // the call hangs up with this cause while it runs
}

// run applies the outcome to the execution x.
func (o appOutcome) run(x *esltest.Exec) string {
	for _, kv := range o.vars {
		x.Call.SetVar(kv[0], kv[1])
	}
	if o.dtmf != "" {
		x.Call.SendDTMF(o.dtmf)
	}
	if o.hangup != "" {
		x.Call.Hangup(o.hangup)
	}
	return o.response
}

// luaApp implements sim.app(name, outcome): every run of the application
// name in this test has that outcome: a response string; a table
// {response=, vars={}, dtmf=, hangup=cause|true}; a function(args, uuid)
// returning either (it runs when the application does); or false: the
// application is missing, as on a FreeSWITCH without its module (the call
// hangs up with DESTINATION_OUT_OF_ORDER).
func (r *fileRunner) luaApp(L *lua.LState) int {
	w := r.cur(L)
	name := L.CheckString(1)
	if strings.TrimSpace(name) == "" {
		L.ArgError(1, "an application name")
	}
	switch v := L.Get(2).(type) {
	case lua.LBool:
		if v || name == esltest.OtherApps {
			L.ArgError(2, "false (a missing application), a response, a table or a function")
		}
		w.handleApp(name, nil)
	case *lua.LFunction:
		w.handleApp(name, r.luaAppFunc(w, v))
	default:
		o, err := toOutcome(v)
		if err != nil {
			L.ArgError(2, err.Error())
		}
		w.handleApp(name, o.run)
	}
	return 0
}

// handleApp installs fn on every node's simulator, with the test hooks on
// the primary node's (nil: the application is missing).
func (w *world) handleApp(name string, fn esltest.AppFunc) {
	for i, s := range w.sims() {
		if fn != nil && i == 0 {
			s.HandleApp(name, w.hooks.wrap(fn))
		} else {
			s.HandleApp(name, fn)
		}
	}
}

// luaAppFunc adapts an outcome function: it runs on the test goroutine
// while the application runs; a failure becomes the response.
func (r *fileRunner) luaAppFunc(w *world, fn *lua.LFunction) esltest.AppFunc {
	return func(x *esltest.Exec) string {
		var o appOutcome
		ok := w.onTestGoroutine(func() {
			err := r.L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true}, lua.LString(x.Args), lua.LString(x.Call.UUID()))
			if err == nil {
				o, err = toOutcome(r.L.Get(-1))
				r.L.Pop(1)
			}
			if err != nil {
				o = appOutcome{response: "-ERR sim.app handler failed: " + err.Error()}
			}
		})
		if !ok {
			return "-ERR test ended"
		}
		return o.run(x)
	}
}

// toOutcome reads an outcome: nil, a response string or a table.
func toOutcome(v lua.LValue) (appOutcome, error) {
	switch v := v.(type) {
	case *lua.LNilType:
		return appOutcome{}, nil
	case lua.LString:
		return appOutcome{response: string(v)}, nil
	case *lua.LTable:
		return tableOutcome(v)
	}
	return appOutcome{}, fmt.Errorf("a response string or an outcome table expected, got %s", v.Type())
}

// tableOutcome reads {response=, vars={}, dtmf=, hangup=cause|true}.
func tableOutcome(t *lua.LTable) (appOutcome, error) {
	var o appOutcome
	var err error
	t.ForEach(func(k, v lua.LValue) {
		switch key := lua.LVAsString(k); key {
		case "response":
			o.response = lua.LVAsString(v)
		case "dtmf":
			o.dtmf = lua.LVAsString(v)
		case "hangup":
			switch v {
			case lua.LTrue:
				o.hangup = "NORMAL_CLEARING"
			case lua.LFalse, lua.LNil:
			default:
				o.hangup = lua.LVAsString(v)
			}
		case "vars":
			for name, value := range stringMap(v) {
				o.vars = append(o.vars, [2]string{name, value})
			}
			sort.Slice(o.vars, func(i, j int) bool { return o.vars[i][0] < o.vars[j][0] })
		default:
			err = fmt.Errorf("unknown outcome field %q (response, vars, dtmf, hangup)", key)
		}
	})
	return o, err
}
