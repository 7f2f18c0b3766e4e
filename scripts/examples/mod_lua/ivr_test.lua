-- Tests of mod_lua/ivr.lua, a classic mod_lua script. Run: eslscript test scripts/examples
describe("mod_lua/ivr", function()
  local function logged(level)
    local mine = {}
    for _, line in ipairs(sim.logs(level)) do
      if line.script == sim.script() then table.insert(mine, line) end
    end
    return mine
  end

  it("takes an account number and transfers to argv[1]'s department", function()
    local call = sim.call{ caller = "1000", vars = { eslscript_argv = "support" } }
    call:on_prompt("ivr/enter_account.wav", "1234#")
    call:run()
    assert.same({ "answer", "sleep", "playback", "play_and_get_digits", "playback" }, call:app_names())
    assert.equals("ivr/welcome.wav", call:apps()[3].arg)
    assert.equals("1234", call:var("account"))
    assert.equals("3000", call:transferred_to())
    assert.equals("account 1234 for support", logged("info")[1].msg)
    assert.equals(1, #sim.commands("^uuid_setvar .* ivr_department support$"))
  end)

  it("defaults to sales without argv", function()
    local call = sim.call{}
    call:dtmf("42#")
    call:run()
    assert.equals("2000", call:transferred_to())
  end)

  it("says goodbye and hangs up when no account is entered", function()
    local call = sim.call{ caller = "1001" }
    call:run()
    assert.is_nil(call:transferred_to())
    assert.equals("ivr/goodbye.wav", call:apps()[#call:apps()].arg)
    assert.equals("NORMAL_CLEARING", call:hangup_cause())
    assert.equals("no account entered by 1001", logged("warn")[1].msg)
  end)
end)
