-- click_to_call.lua: click-to-call (inbound ESL; a consumer script).
--
-- A web application asks for a call by firing a CUSTOM event, e.g. over
-- its own ESL connection:
--   sendevent CUSTOM
--   Event-Subclass: click2call::request
--   agent: 1000
--   customer: 5551234
-- The script rings the agent's phone (user/1000) showing the customer's
-- number; once the agent answers, FreeSWITCH bridges the agent to the
-- customer through the gateway. The outcome is fired back as a CUSTOM
-- event the web application can subscribe to:
--   click2call::started  agent, customer, uuid (the agent's channel)
--   click2call::failed   agent, customer, reason (BAD_REQUEST, or
--                        FreeSWITCH's cause: USER_BUSY, NO_ANSWER...)
local esl = require("esl")
local log = require("log")

local GATEWAY = "sofia/gateway/pstn/" -- how customers are dialled
local RING_SECONDS = 30               -- how long the agent's phone rings

-- failed logs the failure and tells the web application.
local function failed(req, reason)
  log.warn("click-to-call failed", { agent = req.agent, customer = req.customer, reason = reason })
  esl.fire("click2call::failed", { agent = req.agent or "", customer = req.customer or "", reason = reason })
end

-- valid: only digits (a leading + for the customer) reach the dial string.
local function valid(req)
  return (req.agent or ""):match("^%d+$") and (req.customer or ""):match("^%+?%d+$")
end

-- started runs when FreeSWITCH answers the bgapi job: "+OK <uuid>" once the
-- agent answered, or an error (cause) when the agent's leg failed.
local function started(req, result, cause)
  if not result then
    return failed(req, cause)
  end
  local uuid = result:match("^%+OK (%S+)")
  log.info("click-to-call started", { agent = req.agent, customer = req.customer, uuid = uuid })
  esl.fire("click2call::started", { agent = req.agent, customer = req.customer, uuid = uuid or "" })
end

return {
  events = {
    ["click2call::request"] = function(ev)
      local req = { agent = ev:get("agent"), customer = ev:get("customer") }
      if not valid(req) then
        return failed(req, "BAD_REQUEST")
      end
      local cmd = string.format(
        "originate {origination_caller_id_number=%s,originate_timeout=%d}user/%s &bridge(%s%s)",
        req.customer, RING_SECONDS, req.agent, GATEWAY, req.customer)
      -- bgapi: the handler returns at once; started() runs when the agent's
      -- phone answered or gave up (up to RING_SECONDS later).
      local job, err = esl.bgapi(cmd, function(result, cause) started(req, result, cause) end)
      if not job then
        failed(req, err)
      end
    end,
  },
}
