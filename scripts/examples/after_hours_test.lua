-- Tests of after_hours.lua. Run: eslscript test scripts/examples
-- The clock is set per call with the channel variable after_hours_clock.
describe("after_hours", function()
  local function call_at(clock, destination)
    local call = sim.call{ destination = destination or "5000", vars = { after_hours_clock = clock } }
    call:run()
    return call
  end

  -- lines logged by after_hours.lua alone (call_logger.lua logs every call too)
  local function logged(level)
    local mine = {}
    for _, line in ipairs(sim.logs(level)) do
      if line.script == sim.script() then table.insert(mine, line) end
    end
    return mine
  end

  it("seeds the default schedule at load", function()
    assert.equals("09:00-17:00 mon-fri", sim.kv.get("hours:default"))
  end)

  it("sends calls to the queue during opening hours", function()
    local call = call_at("wed 09:00")
    assert.equals("5000", call:transferred_to())
    assert.same({}, call:app_names())         -- no answer: the queue answers
    assert.equals("open: to the queue", logged("info")[1].msg)
  end)

  it("plays the closed message in the evening", function()
    local call = call_at("wed 17:00")         -- closing time is exclusive
    assert.is_nil(call:transferred_to())
    assert.same({ "answer", "playback" }, call:app_names())
    assert.equals("after_hours/closed.wav", call:apps()[2].arg)
    assert.equals("NORMAL_CLEARING", call:hangup_cause())
  end)

  it("is closed at the weekend", function()
    assert.is_nil(call_at("sat 11:00"):transferred_to())
  end)

  it("uses a number's own schedule before the default", function()
    sim.kv.set("hours:5000", "08:00-20:00 mon-sat")
    assert.equals("5000", call_at("sat 19:59"):transferred_to())
    assert.is_nil(call_at("sat 11:00", "6000"):transferred_to())   -- 6000 keeps the default
  end)

  it("follows a schedule edited in kv without a reload", function()
    sim.kv.set("hours:default", "10:00-12:00 sun")
    assert.equals("5000", call_at("sun 11:00"):transferred_to())
  end)

  it("treats an invalid schedule as open and logs it", function()
    sim.kv.set("hours:5000", "nine to five")
    assert.equals("5000", call_at("sun 03:00"):transferred_to())
    local line = logged("error")[1]
    assert.equals("invalid schedule, treating as open", line.msg)
    assert.equals("hours:5000", line.key)
  end)

  it("falls back to the built-in hours when kv has no schedule", function()
    sim.kv.del("hours:default")
    assert.equals("5000", call_at("fri 16:59"):transferred_to())
    assert.is_nil(call_at("fri 08:59"):transferred_to())
  end)

  it("warns about a malformed clock override and uses the real clock", function()
    call_at("lunchtime")
    assert.equals("bad after_hours_clock, using the real clock", logged("warn")[1].msg)
    assert.equals("lunchtime", logged("warn")[1].value)
  end)

  it("stops quietly when the caller hangs up during the closed message", function()
    local call = sim.call{ destination = "5000", vars = { after_hours_clock = "sat 11:00" } }
    call:hangup_on("playback", 1, "ORIGINATOR_CANCEL")
    call:run()
    assert.equals("ORIGINATOR_CANCEL", call:hangup_cause())
    assert.same({}, sim.errors())
  end)
end)
