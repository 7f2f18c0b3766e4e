-- ivr.lua: the front-door menu (outbound: FreeSWITCH's `socket` app sends
-- the call here). It answers, asks for 1 (sales), 2 (support) or
-- 3 (operator) and transfers the call to that extension. After three
-- wrong or silent tries it says goodbye and hangs up.
local log = require("log")

-- menu digit -> extension in the "default" dialplan context
local routes = { ["1"] = "2000", ["2"] = "3000", ["3"] = "0" }

return {
  session = function(session)
    session:answer()
    -- 1 digit, 3 tries, 5 s each; invalid.wav plays after a wrong digit.
    -- The digit also lands in the channel variable ivr_choice.
    local digit = session:playAndGetDigits(1, 1, 3, 5000, "#", "ivr/menu.wav",
                                           "ivr/invalid.wav", "^[123]$", "ivr_choice")
    if not session:ready() then
      log.info("caller hung up in the menu")
      return
    end
    local ext = routes[digit]
    if not ext then
      log.warn("no valid choice, hanging up", { last_input = session:getVariable("ivr_choice_invalid") })
      session:streamFile("ivr/goodbye.wav")
      session:hangup("NORMAL_CLEARING")
      return
    end
    log.info("routing", { choice = digit, ext = ext })
    session:transfer(ext, "XML", "default")
  end,
}
