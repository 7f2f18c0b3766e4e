describe("missed calls", function()
  local hangup = {
    ["Answer-State"] = "hangup",
    ["Caller-Destination-Number"] = "5000",
    ["Caller-Caller-ID-Number"] = "1001",
  }

  it("counts a missed call and calls back", function()
    sim.api("originate", "+OK 7f4de4bc-0000-4000-8000-000000000001")
    assert.equals(1, sim.event("CHANNEL_HANGUP_COMPLETE", hangup))
    assert.equals("1", sim.kv.get("missed:5000"))
    assert.same({ "originate user/1001 &park()" }, sim.commands("^originate"))
    assert.equals("callback placed", sim.logs("info")[1].msg)
  end)

  it("logs when FreeSWITCH refuses the callback", function()
    sim.api("originate", "-ERR USER_BUSY")
    sim.event("CHANNEL_HANGUP_COMPLETE", hangup)
    local line = sim.logs("warn")[1]
    assert.equals("callback failed", line.msg)
    assert.equals("USER_BUSY", line.cause)
  end)

  it("ignores answered calls", function()
    sim.event("CHANNEL_HANGUP_COMPLETE", { ["Answer-State"] = "answered" })
    assert.same({}, sim.kv.keys())
  end)

  it("reports every minute of virtual time", function()
    sim.api("originate", function(args) return "+OK uuid-for-" .. args:match("user/(%d+)") end)
    sim.event("CHANNEL_HANGUP_COMPLETE", hangup)
    sim.event("CHANNEL_HANGUP_COMPLETE", hangup)
    sim.advance(59999)
    assert.equals("2", sim.kv.get("missed:5000"))
    sim.advance(1)
    local report = sim.logs("info")[3]
    assert.equals("missed calls", report.msg)
    assert.equals("2", report.count)
    assert.is_nil(sim.kv.get("missed:5000"))
  end)
end)
