-- after_hours.lua: routes calls by opening hours (outbound: FreeSWITCH's
-- `socket` app sends the call here).
--
-- Opening hours live in kv, per dialled number, with a default:
--   hours:5000     = "08:00-20:00 mon-sat"
--   hours:default  = "09:00-17:00 mon-fri"   (seeded at load when unset)
-- Format: "HH:MM-HH:MM days", days a range (mon-fri) or a list (sat,sun).
-- Open: the call goes to the same number in the dialplan context "queues"
-- (where the dialplan queues it). Closed: the caller hears
-- after_hours/closed.wav and the call ends. An unreadable schedule is
-- logged as an error and treated as open: callers still reach someone.
--
-- The clock is the local time of the eslscript process (TZ). The channel
-- variable after_hours_clock ("sat 10:30") overrides it: the tests use it,
-- and so can you from the dialplan, to try the closed path at noon.
local kv = require("kv")
local log = require("log")

local DEFAULT_HOURS = "09:00-17:00 mon-fri"
local DAYS = { sun = 1, mon = 2, tue = 3, wed = 4, thu = 5, fri = 6, sat = 7 }
local DAY_NAMES = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" }

local function minutes(hh, mm) return tonumber(hh) * 60 + tonumber(mm) end

-- parse("09:00-17:00 mon-fri") -> { from = 540, to = 1020, days = {...} }, or nil.
local function parse(spec)
  local h1, m1, h2, m2, days = spec:match("^%s*(%d%d):(%d%d)%-(%d%d):(%d%d)%s+([%a,%-]+)%s*$")
  if not h1 then return nil end
  local rule = { from = minutes(h1, m1), to = minutes(h2, m2), days = {} }
  if rule.from >= rule.to or rule.to > 24 * 60 then return nil end
  for part in days:gmatch("[^,]+") do
    local first, last = part:match("^(%a+)%-(%a+)$")
    first, last = DAYS[first or part], DAYS[last or part]
    if not first or not last or first > last then return nil end
    for d = first, last do rule.days[d] = true end
  end
  return rule
end

-- now returns today's day number (1 = sunday) and the minutes since midnight.
local function now(session)
  local override = session:getVariable("after_hours_clock")
  if override then
    local day, hh, mm = override:match("^(%a+) (%d%d):(%d%d)$")
    if DAYS[day] then return DAYS[day], minutes(hh, mm) end
    log.warn("bad after_hours_clock, using the real clock", { value = override })
  end
  local t = os.date("*t")
  return t.wday, t.hour * 60 + t.min
end

return {
  -- runs at every (re)load: seed the default schedule, keep an edited one
  init = function()
    if not kv.get("hours:default") then
      kv.set("hours:default", DEFAULT_HOURS)
    end
  end,

  session = function(session)
    local dest = session:getVariable("destination_number") or "unknown"
    local key = "hours:" .. dest
    if not kv.get(key) then key = "hours:default" end
    local spec = kv.get(key) or DEFAULT_HOURS
    local rule = parse(spec)
    local day, minute = now(session)
    local open = true
    if rule then
      open = rule.days[day] == true and minute >= rule.from and minute < rule.to
    else
      log.error("invalid schedule, treating as open", { key = key, value = spec })
    end
    log.info(open and "open: to the queue" or "closed", { dest = dest, schedule = spec,
      day = DAY_NAMES[day], time = string.format("%02d:%02d", math.floor(minute / 60), minute % 60) })
    if open then
      session:transfer(dest, "XML", "queues")
      return
    end
    session:answer()
    session:streamFile("after_hours/closed.wav")
    session:hangup("NORMAL_CLEARING")
  end,
}
