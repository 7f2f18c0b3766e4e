describe("ivr", function()
  it("routes 2 to sales", function()
    local call = sim.call{ caller = "1000" }
    call:on_prompt("ivr/menu.wav", "2")
    call:run()
    assert.same({ "answer", "playback" }, call:app_names())
    assert.equals("sales", call:vars_set().ivr_choice)
    assert.equals("sales", call:transferred_to())
  end)

  it("accepts type-ahead digits", function()
    local call = sim.call{}
    call:dtmf("1")
    call:run()
    assert.equals("support", call:transferred_to())
  end)

  it("replays the menu after an invalid choice", function()
    local call = sim.call{}
    call:on_prompt("ivr/menu.wav", "9")
    call:on_prompt("ivr/menu.wav", "2")
    call:run()
    assert.same({ "answer", "playback", "playback", "playback" }, call:app_names())
    assert.equals("ivr/invalid.wav", call:apps()[3].arg)
    assert.equals("sales", call:transferred_to())
  end)

  it("hangs up after three silent tries", function()
    local call = sim.call{}
    call:run()
    assert.equals("NORMAL_CLEARING", call:hangup_cause())
    assert.matches("no choice", sim.logs("warn")[1].msg)
    assert.is_true(sim.now() >= 15000)
  end)

  it("stops when the caller hangs up mid-menu", function()
    local call = sim.call{}
    call:hangup_on("playback")
    call:run()
    assert.equals("caller left the menu", sim.logs("info")[1].msg)
    assert.is_nil(call:transferred_to())
  end)
end)
