-- Counts missed calls per destination and logs a report every minute;
-- calls back the caller of a missed call with originate.
local kv = require("kv")
local log = require("log")
local esl = require("esl")

return {
  events = {
    CHANNEL_HANGUP_COMPLETE = function(ev)
      if ev:get("Answer-State") == "answered" then return end
      local dest = ev:get("Caller-Destination-Number") or "unknown"
      kv.incr("missed:" .. dest, 1)
      local uuid, err = esl.originate("user/" .. (ev:get("Caller-Caller-ID-Number") or ""), "&park()")
      if not uuid then
        log.warn("callback failed", { cause = err })
        return
      end
      log.info("callback placed", { uuid = uuid })
    end,
  },
  timers = {
    report = {
      every = 60000,
      fn = function()
        for _, key in ipairs(kv.keys("missed:")) do
          log.info("missed calls", { key = key, count = kv.get(key) })
          kv.del(key)
        end
      end,
    },
  },
}
