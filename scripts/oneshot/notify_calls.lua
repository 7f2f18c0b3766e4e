-- notify_calls.lua: a one-shot script for `eslscript exec` (not a scripts
-- directory script: it is plain top-level code run once). It rings every
-- number given on the command line through a gateway and plays a recorded
-- message to whoever answers, then reports, and exits 1 when a call failed
-- (so cron or a shell can tell).
--
--   eslscript exec scripts/oneshot/notify_calls.lua 5551001 5551002
--   eslscript exec --simulate scripts/oneshot/notify_calls.lua 5551001
--
-- Environment: NOTIFY_GATEWAY (default "pstn") and NOTIFY_MESSAGE (default
-- "notify/outage.wav") when the sandbox lets the script read them.
local esl = require("esl")
local log = require("log")

local gateway = os.getenv("NOTIFY_GATEWAY") or "pstn"
local message = os.getenv("NOTIFY_MESSAGE") or "notify/outage.wav"

if #argv == 0 then
  print("usage: eslscript exec " .. argv[0] .. " NUMBER...")
  return 2
end

local failed = 0
for i = 1, #argv do
  local number = argv[i]
  local uuid, cause = esl.originate("sofia/gateway/" .. gateway .. "/" .. number,
    "&playback(" .. message .. ")", { timeout = 30, cid_name = "Notification" })
  if uuid then
    log.info("notified", { number = number, uuid = uuid })
    print(number .. "\tanswered\t" .. uuid)
  else
    failed = failed + 1
    log.warn("not notified", { number = number, cause = cause })
    print(number .. "\tfailed\t" .. tostring(cause))
  end
end
print(string.format("%d notified, %d failed", #argv - failed, failed))
return failed > 0 and 1 or 0
