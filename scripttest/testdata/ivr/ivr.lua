-- A small IVR: press 1 for support, 2 for sales; three tries.
local log = require("log")

local routes = { ["1"] = "support", ["2"] = "sales" }

-- choose plays the menu and returns the destination, or nil.
local function choose(session)
  for _ = 1, 3 do
    session:streamFile("ivr/menu.wav")
    local digit = session:getDigits(1, "", 5000)
    if not session:ready() then return nil end
    if routes[digit] then return routes[digit] end
    session:streamFile("ivr/invalid.wav")
  end
  return nil
end

return {
  session = function(session)
    session:answer()
    local dest = choose(session)
    if not session:ready() then
      log.info("caller left the menu")
      return
    end
    if not dest then
      log.warn("no choice, hanging up")
      session:hangup("NORMAL_CLEARING")
      return
    end
    session:setVariable("ivr_choice", dest)
    log.info("routing", { dest = dest })
    session:transfer(dest, "XML", "default")
  end,
}
