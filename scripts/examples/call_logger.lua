-- call_logger.lua: one JSON line per finished call (consumer: the events of
-- every FreeSWITCH node the host is connected to).
--
-- Each CHANNEL_HANGUP_COMPLETE becomes one log line at info level,
--   msg="call record" cdr={"billsec":42,"caller":"1000",...}
-- whose cdr field is the call as a JSON object with these keys (sorted):
--   billsec, caller, caller_name, cause, destination, direction,
--   duration, end_epoch, uuid
-- A value FreeSWITCH did not send is null, so every line has every key.
-- Select the lines with msg="call record" (or script=examples/call_logger).
-- A bridged call has two channels, hence two lines (direction tells them
-- apart). Writing to a file instead needs the sandbox's allow_io option;
-- logging keeps the default sandbox.
local json = require("json")
local log = require("log")

-- number reads a numeric header, null when absent or not a number.
local function number(ev, name)
  return tonumber(ev:get(name) or "") or json.null
end

-- text reads a header, null when absent.
local function text(ev, name)
  return ev:get(name) or json.null
end

return {
  events = {
    CHANNEL_HANGUP_COMPLETE = function(ev)
      local uuid = ev:get("Unique-ID")
      if not uuid then
        log.warn("hangup event without Unique-ID, not logged")
        return
      end
      local record = {
        uuid = uuid,
        direction = text(ev, "Call-Direction"),
        caller = text(ev, "Caller-Caller-ID-Number"),
        caller_name = text(ev, "Caller-Caller-ID-Name"),
        destination = text(ev, "Caller-Destination-Number"),
        end_epoch = number(ev, "variable_end_epoch"),
        duration = number(ev, "variable_duration"),
        billsec = number(ev, "variable_billsec"),
        cause = text(ev, "Hangup-Cause"),
      }
      log.info("call record", { cdr = json.encode(record) })
    end,
  },
}
