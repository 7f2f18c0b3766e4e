-- Tests of click_to_call.lua. Run: eslscript test scripts/examples
describe("click_to_call", function()
  local request = { agent = "1000", customer = "5551234" }

  -- fired returns the events the scripts fired with this subclass.
  local function fired(subclass)
    local out = {}
    for _, ev in ipairs(sim.fired()) do
      if ev.subclass == subclass then table.insert(out, ev) end
    end
    return out
  end

  -- outcome waits until the bgapi callback reported how the originate went
  -- (its result arrives after the event handler returned)
  local function outcome()
    sim.wait(function()
      return #fired("click2call::started") + #fired("click2call::failed") > 0
    end, "the click-to-call outcome")
  end

  it("rings the agent and bridges the customer", function()
    sim.api("originate", "+OK 2a7c5d3e-0000-4000-8000-000000000001")
    sim.event("click2call::request", request)
    outcome()
    assert.same({ "originate {origination_caller_id_number=5551234,originate_timeout=30}user/1000"
                  .. " &bridge(sofia/gateway/pstn/5551234)" }, sim.commands("^originate"))
    local ev = fired("click2call::started")[1]
    assert.equals("2a7c5d3e-0000-4000-8000-000000000001", ev.headers.uuid)
    assert.equals("1000", ev.headers.agent)
    assert.same({}, fired("click2call::failed"))
  end)

  it("originates for real on the simulator", function()
    sim.event("click2call::request", request)   -- no scripted reply: the simulator answers
    outcome()
    assert.equals(1, #fired("click2call::started"))
    assert.matches("^[%x-]+$", fired("click2call::started")[1].headers.uuid)
  end)

  it("reports a busy agent", function()
    sim.api("originate", "-ERR USER_BUSY")
    sim.event("click2call::request", request)
    outcome()
    local ev = fired("click2call::failed")[1]
    assert.equals("USER_BUSY", ev.headers.reason)
    assert.equals("5551234", ev.headers.customer)
    assert.equals("USER_BUSY", sim.logs("warn")[1].reason)
    assert.same({}, fired("click2call::started"))
  end)

  it("refuses a request with a missing or unsafe number", function()
    sim.event("click2call::request", { agent = "1000" })
    sim.event("click2call::request", { agent = "1000", customer = "555 &hangup()" })
    assert.same({}, sim.commands("^originate"))
    local failures = fired("click2call::failed")
    assert.equals(2, #failures)
    assert.equals("BAD_REQUEST", failures[1].headers.reason)
    assert.equals("BAD_REQUEST", failures[2].headers.reason)
  end)
end)
