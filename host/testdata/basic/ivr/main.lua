-- Outbound sample: greets with the shared helper.
local util = require("util")

return {
  session = function(session)
    return util.label("hello", 1)
  end,
}
