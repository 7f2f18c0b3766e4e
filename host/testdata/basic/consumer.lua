-- Event consumer sample: counts answered calls per direction.
local util = require("lib.util")

local answered = 0

return {
  events = {
    CHANNEL_ANSWER = function(ev)
      answered = answered + 1
      return util.label("answered", answered)
    end,
    ["sofia::register"] = function(ev) end,
    ["*"] = function(ev) end,
  },
  init = function() answered = 0 end,
  timers = {
    report = { every = 60000, fn = function() return answered end },
    cleanup = { every = 500, fn = function() end },
  },
}
