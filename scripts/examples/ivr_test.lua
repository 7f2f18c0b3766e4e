-- Tests of ivr.lua. Run: eslscript test scripts/examples
describe("ivr", function()
  -- lines logged by ivr.lua alone (call_logger.lua logs every call too)
  local function logged(level)
    local mine = {}
    for _, line in ipairs(sim.logs(level)) do
      if line.script == sim.script() then table.insert(mine, line) end
    end
    return mine
  end

  it("sends 1 to sales, 2 to support, 3 to the operator", function()
    for digit, ext in pairs({ ["1"] = "2000", ["2"] = "3000", ["3"] = "0" }) do
      local call = sim.call{ caller = "1000" }
      call:on_prompt("ivr/menu.wav", digit)   -- the caller presses the digit as the menu plays
      call:run()                              -- runs the script until it is done
      assert.same({ "answer", "play_and_get_digits" }, call:app_names())
      assert.equals(ext, call:transferred_to())
      assert.equals(digit, call:var("ivr_choice"))
    end
  end)

  it("retries after an invalid digit", function()
    local call = sim.call{}
    call:dtmf("92")                           -- 9 is refused, the second try gets 2
    call:run()
    assert.equals("9", call:var("ivr_choice_invalid"))
    assert.equals("3000", call:transferred_to())
  end)

  it("hangs up after three invalid digits", function()
    local call = sim.call{}
    call:dtmf("999")
    call:run()
    assert.is_nil(call:transferred_to())
    assert.equals("ivr/goodbye.wav", call:apps()[3].arg)
    assert.equals("NORMAL_CLEARING", call:hangup_cause())
    assert.equals("9", logged("warn")[1].last_input)
  end)

  it("hangs up after three silent tries", function()
    local call = sim.call{}
    call:run()                                -- 3 x 5 s of timeouts, milliseconds of real time
    assert.equals("NORMAL_CLEARING", call:hangup_cause())
    assert.equals("no valid choice, hanging up", logged("warn")[1].msg)
    assert.is_nil(logged("warn")[1].last_input)
  end)

  it("stops when the caller hangs up mid-menu", function()
    local call = sim.call{}
    call:hangup_on("play_and_get_digits")     -- the caller hangs up while the menu plays
    call:run()
    assert.equals("caller hung up in the menu", logged("info")[1].msg)
    assert.is_nil(call:transferred_to())
    assert.same({ "answer", "play_and_get_digits" }, call:app_names())
  end)
end)
