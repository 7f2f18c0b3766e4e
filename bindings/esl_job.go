package bindings

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/eslscript/eslscript/esl"
	lua "github.com/yuin/gopher-lua"
)

const jobTypeName = "eslscript.job"

// ensureJobType registers the job userdata's metatable once per state.
func ensureJobType(L *lua.LState) {
	mt := L.NewTypeMetatable(jobTypeName)
	if mt.RawGetString("__index") != lua.LNil {
		return
	}
	methods := funcTable(L, map[string]lua.LGFunction{"wait": jobWait})
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		j := checkJob(L)
		if key := L.CheckString(2); key == "uuid" {
			L.Push(lua.LString(j.job.UUID))
		} else {
			L.Push(methods.RawGetString(key))
		}
		return 1
	}))
}

// luaJob is the job handle's Go value.
type luaJob struct {
	job *esl.Job
	rt  *Runtime
}

func checkJob(L *lua.LState) *luaJob {
	if j, ok := L.CheckUserData(1).Value.(*luaJob); ok {
		return j
	}
	L.ArgError(1, "job expected")
	return nil
}

// bgapi implements esl.bgapi(cmd[, fn]). With fn, fn(result) or
// fn(nil, err) runs later on the state's loop.
func (c eslCtx) bgapi(L *lua.LState) int {
	cmd := L.CheckString(1)
	fn, _ := L.Get(2).(*lua.LFunction)
	if L.Get(2) != lua.LNil && fn == nil {
		L.ArgError(2, "function expected")
	}
	if fn != nil && c.rt.Loop == nil {
		return failure(L, ErrNoLoop.Error())
	}
	conn, ok := c.commander(L)
	if !ok {
		return 2
	}
	job, err := conn.BgAPI(c.rt.ctx(), cmd)
	if err != nil {
		return failure(L, errText(err))
	}
	if fn != nil {
		c.notify(job, fn)
	}
	ud := L.NewUserData()
	ud.Value = &luaJob{job: job, rt: c.rt}
	L.SetMetatable(ud, L.GetTypeMetatable(jobTypeName))
	L.Push(ud)
	return 1
}

// notify posts the job's result to fn once it is in, to run under the
// scope of the run that submitted the job (its call, node and commander).
func (c eslCtx) notify(job *esl.Job, fn *lua.LFunction) {
	slot := c.rt.Defer()
	go func() {
		out, err := job.Wait(context.Background())
		slot.Post(func(L *lua.LState) {
			args := []lua.LValue{lua.LString(out)}
			if err != nil {
				args = []lua.LValue{lua.LNil, lua.LString(errText(err))}
			}
			if cerr := L.CallByParam(lua.P{Fn: fn, Protect: true}, args...); cerr != nil {
				c.rt.callbackFailed("bgapi", slot.scope.call, cerr)
			}
		})
	}()
}

// jobWait implements job:wait([timeout_ms]) -> result | nil, err.
func jobWait(L *lua.LState) int {
	j := checkJob(L)
	ms, given := optMillis(L, 2)
	if err := block(L, j.rt, j.job.Done(), j.rt.after(ms, given)); err != nil {
		return failure(L, errText(err))
	}
	out, err := j.job.Wait(context.Background())
	if err != nil {
		return failure(L, errText(err))
	}
	L.Push(lua.LString(out))
	return 1
}

// originate implements esl.originate(dial, dest[, opts]): "bgapi
// originate", then the job's "+OK <uuid>" gives the uuid and "-ERR CAUSE"
// fails with the cause.
//
// opts: vars (table of channel variables), uuid (origination_uuid),
// timeout (originate_timeout, seconds), cid_name, cid_num, dialplan,
// context, wait (ms to wait for the result; the handler's context bounds it
// anyway).
func (c eslCtx) originate(L *lua.LState) int {
	dial, dest := L.CheckString(1), L.CheckString(2)
	opts := L.OptTable(3, L.NewTable())
	cmd := originateCommand(L, dial, dest, opts)
	wait, given := toInt(opts.RawGetString("wait"))
	conn, ok := c.commander(L)
	if !ok {
		return 2
	}
	job, err := conn.BgAPI(c.rt.ctx(), cmd)
	if err != nil {
		return failure(L, errText(err))
	}
	if err := block(L, c.rt, job.Done(), c.rt.after(wait, given)); err != nil {
		return failure(L, errText(err))
	}
	return originateResult(L, job)
}

// originateResult reads the job's reply: "+OK <uuid>" or a -ERR cause.
func originateResult(L *lua.LState, job *esl.Job) int {
	out, err := job.Wait(context.Background())
	if err != nil {
		return failure(L, errText(err))
	}
	uuid, ok := strings.CutPrefix(strings.TrimSpace(out), "+OK ")
	if !ok {
		return failure(L, strings.TrimSpace(out))
	}
	L.Push(lua.LString(strings.TrimSpace(uuid)))
	return 1
}

// originateCommand builds "originate {vars}dial dest [dialplan [context]]".
func originateCommand(L *lua.LState, dial, dest string, opts *lua.LTable) string {
	vars := map[string]string{}
	if t, ok := opts.RawGetString("vars").(*lua.LTable); ok {
		t.ForEach(func(k, v lua.LValue) { vars[lua.LVAsString(k)] = headerValue(L, v) })
	}
	for opt, name := range map[string]string{
		"uuid": "origination_uuid", "timeout": "originate_timeout",
		"cid_name": "origination_caller_id_name", "cid_num": "origination_caller_id_number",
	} {
		if v := opts.RawGetString(opt); v != lua.LNil {
			vars[name] = headerValue(L, v)
		}
	}
	dp, ctx := optField(opts, "dialplan"), optField(opts, "context")
	if ctx != "" && dp == "" {
		dp = "XML"
	}
	return joinWords("originate", channelVars(vars)+dial, dest, dp, ctx)
}

// optField returns a table field as a string ("" when absent).
func optField(t *lua.LTable, name string) string {
	if v := t.RawGetString(name); v != lua.LNil {
		return lua.LVAsString(v)
	}
	return ""
}

// channelVars renders {k=v,...} sorted by name; commas in values are
// escaped and values with spaces single-quoted.
func channelVars(vars map[string]string) string {
	if len(vars) == 0 {
		return ""
	}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := strings.ReplaceAll(vars[k], ",", `\,`)
		if strings.ContainsAny(v, " '") {
			v = "'" + strings.ReplaceAll(v, "'", `\'`) + "'"
		}
		parts[i] = fmt.Sprintf("%s=%s", k, v)
	}
	return "{" + strings.Join(parts, ",") + "}"
}
