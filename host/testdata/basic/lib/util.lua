-- Shared helper module, not a script: it returns a plain table.
local M = {}

function M.label(what, n)
  return what .. ":" .. tostring(n)
end

return M
