-- Tests of call_logger.lua. Run: eslscript test scripts/examples
describe("call_logger", function()
  -- The "call record" lines logged so far, their cdr field decoded.
  -- A flat JSON object of strings, numbers and null is all the script
  -- writes, so a pattern is enough to decode it here.
  local function records()
    local out = {}
    for _, line in ipairs(sim.logs("info")) do
      if line.msg == "call record" then
        assert.matches("^{.*}$", line.cdr)
        local rec = {}
        for key, value in line.cdr:gmatch('"([%w_]+)":([^,}]+)') do
          if value == "null" then rec[key] = "null"
          elseif value:sub(1, 1) == '"' then rec[key] = value:sub(2, -2)
          else rec[key] = tonumber(value) end
        end
        table.insert(out, rec)
      end
    end
    return out
  end

  -- feed fires a CHANNEL_HANGUP_COMPLETE; sim.event returns once the
  -- handlers ran
  local function feed(headers)
    sim.event("CHANNEL_HANGUP_COMPLETE", headers)
  end

  local hangup = {
    ["Unique-ID"] = "6f1b0c56-6d8e-4c1e-a0a5-000000000001",
    ["Call-Direction"] = "inbound",
    ["Caller-Caller-ID-Number"] = "1000",
    ["Caller-Caller-ID-Name"] = "Alice",
    ["Caller-Destination-Number"] = "5000",
    ["Hangup-Cause"] = "NORMAL_CLEARING",
    variable_end_epoch = "1735732842",
    variable_duration = "47",
    variable_billsec = "42",
  }

  it("writes one JSON line per finished call", function()
    feed(hangup)
    local lines = sim.logs("info")
    assert.equals(1, #lines)
    assert.equals('{"billsec":42,"caller":"1000","caller_name":"Alice","cause":"NORMAL_CLEARING",'
      .. '"destination":"5000","direction":"inbound","duration":47,"end_epoch":1735732842,'
      .. '"uuid":"6f1b0c56-6d8e-4c1e-a0a5-000000000001"}', lines[1].cdr)
  end)

  it("logs a simulated call's record with its fields", function()
    local call = sim.call{ script = "ivr", caller = "1001", destination = "9000" }
    call:on_prompt("ivr/menu.wav", "2")
    call:run()
    local rec = records()[1]
    assert.equals(call:uuid(), rec.uuid)
    assert.equals("1001", rec.caller)
    assert.equals("3000", rec.destination)   -- the ivr transferred the call to 3000
    assert.equals("number", type(rec.duration))
    assert.equals("number", type(rec.billsec))
    assert.equals(call:hangup_cause(), rec.cause)
  end)

  it("writes null for missing or malformed fields", function()
    feed({ ["Unique-ID"] = "u-2", variable_duration = "soon" })
    local rec = records()[1]
    assert.equals("u-2", rec.uuid)
    assert.equals("null", rec.duration)
    assert.equals("null", rec.caller)
    assert.equals("null", rec.cause)
  end)

  it("skips an event without Unique-ID and says so", function()
    feed({ ["Hangup-Cause"] = "NORMAL_CLEARING" })
    assert.same({}, records())
    assert.equals("hangup event without Unique-ID, not logged", sim.logs("warn")[1].msg)
  end)

  it("ignores other events", function()
    assert.equals(0, sim.event("CHANNEL_ANSWER", hangup))
    assert.same({}, records())
  end)
end)
