package host

import (
	lua "github.com/yuin/gopher-lua"
)

// guardCoroutines makes coroutines run under the context of the run that
// resumes them: gopher-lua gives a coroutine a child of the context of the
// run that created it, which the VM's marks do not reach (the guard would
// take a coroutine that waited in a binding and then loops for waiting)
// and which is dead once that run ended (a pooled state's coroutine would
// fail in the next call). coroutine.resume and the functions
// coroutine.wrap returns set the thread's context to the resumer's first.
func guardCoroutines(L *lua.LState) {
	co, ok := L.GetGlobal(lua.CoroutineLibName).(*lua.LTable)
	if !ok {
		return
	}
	resume, ok1 := co.RawGetString("resume").(*lua.LFunction)
	wrap, ok2 := co.RawGetString("wrap").(*lua.LFunction)
	if !ok1 || !ok2 || !resume.IsG || !wrap.IsG {
		return
	}
	co.RawSetString("resume", L.NewFunction(func(L *lua.LState) int {
		adoptContext(L, L.CheckThread(1))
		return resume.GFunction(L)
	}))
	co.RawSetString("wrap", L.NewFunction(func(L *lua.LState) int {
		if wrap.GFunction(L) != 1 {
			return 0
		}
		inner, ok := L.Get(-1).(*lua.LFunction)
		if !ok || len(inner.Upvalues) == 0 {
			return 1
		}
		th, ok := inner.Upvalues[0].Value().(*lua.LState)
		if !ok {
			return 1
		}
		L.Pop(1)
		L.Push(L.NewFunction(func(L *lua.LState) int {
			adoptContext(L, th)
			L.Insert(inner, 1)
			L.Call(L.GetTop()-1, lua.MultRet)
			return L.GetTop()
		}))
		return 1
	}))
}

// adoptContext gives th the context L runs under.
func adoptContext(L, th *lua.LState) {
	if ctx := L.Context(); ctx != nil && th.Context() != ctx {
		th.SetContext(ctx)
	}
}
