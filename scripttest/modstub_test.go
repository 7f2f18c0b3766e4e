package scripttest

import (
	"strings"
	"testing"

	"github.com/eslscript/eslscript/bindings"
	lua "github.com/yuin/gopher-lua"
)

// crmRegistry is the built-ins plus an embedder's module crm with
// tier(number) -> "silver".
func crmRegistry(t *testing.T) *bindings.Registry {
	t.Helper()
	reg := bindings.NewRegistry()
	err := reg.Add(bindings.Module{Name: "crm", Open: func(L *lua.LState, _ *bindings.Runtime) *lua.LTable {
		return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"tier": func(L *lua.LState) int { L.Push(lua.LString("silver")); return 1 },
		})
	}})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// tierScript asks the crm module and FreeSWITCH, and logs what it got.
const tierScript = `
local log, esl, crm = require("log"), require("esl"), require("crm")
return {
  session = function(session)
    session:answer()
    local number = session:getVariable("caller_id_number")
    local tier, why = crm.tier(number)
    local status = esl.api("show status")
    log.info("tier", { tier = tier or "none", why = why or "", status = status, n = 2 })
    session:setVariable("tier", tier or "none")
  end,
}
`

func TestModuleStubsAndSpiesReachTheScripts(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"tier.lua": tierScript,
		"tier_test.lua": `
describe("tier", function()
  it("sees the real functions without stubs", function()
    local call = sim.call{caller = "1000"}
    call:run()
    assert.equals("silver", call:var("tier"))
  end)
  it("returns canned values and records the calls", function()
    local s = stub.module("crm.tier", stub.NIL, "crm down")
    local api = stub.module("esl.api", "UP 1 day")
    local lg = spy.module("log.info")
    local call = sim.call{caller = "1000"}
    call:run()
    assert.equals("none", call:var("tier"))
    assert.spy(s).was_called(1)
    assert.spy(s).was_called_with("1000")
    assert.spy(api).was_called_with("show status")
    assert.spy(lg).was_called_with("tier", { tier = "none", why = "crm down", status = "UP 1 day", n = 2 })
    assert.equals(0, #sim.commands("show status"))
    assert.equals(1, #sim.logs("info"))
  end)
  it("maps the first argument to returns", function()
    stub.module("crm.tier", stub.by_arg({ ["1000"] = "gold", ["2000"] = stub.returns(nil, "blocked") }, "bronze"))
    local a = sim.call{caller = "1000"}; a:run()
    local b = sim.call{caller = "2000"}; b:run()
    local c = sim.call{caller = "3000"}; c:run()
    assert.same({ "gold", "none", "bronze" }, { a:var("tier"), b:var("tier"), c:var("tier") })
  end)
  it("reverts a stub on demand and keeps its calls", function()
    local s = stub.module("crm.tier", "gold")
    local a = sim.call{caller = "1000"}; a:run()
    s:revert()
    local b = sim.call{caller = "1000"}; b:run()
    assert.same({ "gold", "silver" }, { a:var("tier"), b:var("tier") })
    assert.spy(s).was_called(1)
  end)
  it("rejects unknown names and functions", function()
    assert.has_error(function() stub.module("crm.nope", 1) end, 'stub.module: module "crm" has no function "nope"')
    assert.has_error(function() spy.module("nomod.x") end)
    assert.has_error(function() stub.module("crm.tier", function() end) end)
  end)
  it("starts clean after a stubbed test", function()
    local call = sim.call{caller = "1000"}
    call:run()
    assert.equals("silver", call:var("tier"))
  end)
end)
`,
	})
	res := runDir(t, dir, Options{Registry: crmRegistry(t)})
	requirePassed(t, res)
	if res.Passed != 6 {
		t.Fatalf("want 6 passed, got %s", res.Summary())
	}
}

func TestModuleSpyFailureNamesTheCalls(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"tier.lua": tierScript,
		"tier_test.lua": `it("expects another tier", function()
  local s = stub.module("crm.tier", "gold")
  sim.call{caller = "1000"}:run()
  assert.spy(s).was_called_with("2000")
end)`,
	})
	res := runDir(t, dir, Options{Registry: crmRegistry(t)})
	f := tests(res)[0].Failure
	if f == nil || f.Kind != KindAssertion || f.Line != 4 || !strings.Contains(failureText(f), `"1000"`) {
		t.Fatalf("want an assertion at line 4 listing the call with \"1000\", got %+v", f)
	}
}

func TestPlainValuesRoundTrip(t *testing.T) {
	t.Parallel()
	L := lua.NewState()
	defer L.Close()
	if err := L.DoString(`v = { 1, "two", true, nested = { x = 1.5 }, [false] = "f" }; v.self = v`); err != nil {
		t.Fatal(err)
	}
	L2 := lua.NewState()
	defer L2.Close()
	L2.SetGlobal("v", toLua(L2, toPlain(L, L.GetGlobal("v"), nil)))
	if err := L2.DoString(`assert(v[1] == 1 and v[2] == "two" and v[3] == true and v.nested.x == 1.5
		and v[false] == "f" and v.self == "<cycle>")`); err != nil {
		t.Fatal(err)
	}
	ud := L.NewUserData()
	if s, ok := toPlain(L, ud, nil).(string); !ok || !strings.HasPrefix(s, "userdata") {
		t.Fatalf("userdata recorded as %v, want its tostring", toPlain(L, ud, nil))
	}
}
