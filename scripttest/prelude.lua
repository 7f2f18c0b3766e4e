-- The test API of eslscript script tests, in the shape of busted:
-- describe/it/pending/before_each/after_each/setup/teardown/finally,
-- insulate/expose, assert, match, spy, stub and mock.
-- Go (scripttest) loads this chunk into every test file's Lua state; the
-- chunk returns the internal table Go drives the run with.
local native = ... -- Go functions behind stub.module and spy.module
local internal = {}
local PRELUDE = "<eslscript test prelude>"
local unpack = table.unpack or unpack
local function pack(...) return { n = select("#", ...), ... } end

---------------------------------------------------------------- blocks

local root = { name = "", children = {}, befores = {}, afters = {}, setups = {}, teardowns = {} }
local current = root

-- caller_line returns the line of the test file that called a block
-- function (level 3: the user's code).
local function caller_line()
  local info = debug.getinfo(3, "l")
  return info and info.currentline or 0
end

-- snapshot copies the globals and package.loaded; restore puts them back
-- as they were (insulate).
local function snapshot()
  local g, loaded = {}, {}
  for k, v in pairs(_G) do g[k] = v end
  for k, v in pairs(package.loaded) do loaded[k] = v end
  return { g = g, loaded = loaded }
end

local function restore(s)
  for _, pair in ipairs({ { _G, s.g }, { package.loaded, s.loaded } }) do
    local live, saved = pair[1], pair[2]
    for k in pairs(live) do
      if saved[k] == nil then live[k] = nil end
    end
    for k, v in pairs(saved) do live[k] = v end
  end
end

local function block(name, fn, insulated)
  assert(type(name) == "string", "describe: name must be a string")
  assert(type(fn) == "function", "describe: body must be a function")
  local d = { name = name, children = {}, befores = {}, afters = {}, setups = {}, teardowns = {},
    parent = current, insulate = insulated }
  table.insert(current.children, d)
  local prev = current
  current = d
  local saved = insulated and snapshot()
  local ok, err = pcall(fn)
  if saved then restore(saved) end
  current = prev
  if not ok then error(err, 0) end
end

function describe(name, fn) block(name, fn, false) end

-- insulate is a describe whose changes to globals and package.loaded (at
-- definition and while its tests run) are undone after it; expose is a
-- plain describe (the default here).
function insulate(name, fn) block(name, fn, true) end
expose = describe

function it(name, fn)
  assert(type(name) == "string", "it: name must be a string")
  table.insert(current.children, { name = name, fn = fn, parent = current, line = caller_line(), test = true })
end

function pending(name)
  table.insert(current.children, { name = name, parent = current, line = caller_line(), test = true })
end

function before_each(fn) table.insert(current.befores, fn) end
function after_each(fn) table.insert(current.afters, fn) end

-- setup and teardown run once per describe block: before its first test
-- that runs and after its last, inside those tests (sim is theirs: what a
-- setup does with sim does not carry to the next test, use before_each).
function setup(fn) table.insert(current.setups, fn) end
function teardown(fn) table.insert(current.teardowns, fn) end
lazy_setup, strict_setup = setup, setup
lazy_teardown, strict_teardown = teardown, teardown

-- finally(fn) inside a test runs fn once the test is over, passed or not.
local finals
function finally(fn)
  assert(finals, "finally: only inside a test")
  table.insert(finals, fn)
end

context = describe
spec = it
test = it

-- full_name joins the describe names and the test name with spaces.
local function full_name(t)
  local parts = { t.name }
  local d = t.parent
  while d and d ~= root do
    table.insert(parts, 1, d.name)
    d = d.parent
  end
  return table.concat(parts, " ")
end

-- internal.tests lists every test in definition order with its hooks:
-- befores outermost first, afters innermost first.
function internal.tests()
  local out = {}
  local function walk(d)
    for _, c in ipairs(d.children) do
      if c.test then
        local befores, afters, blocks = {}, {}, {}
        local p = c.parent
        while p do
          for i = #p.befores, 1, -1 do table.insert(befores, 1, p.befores[i]) end
          for _, f in ipairs(p.afters) do table.insert(afters, f) end
          table.insert(blocks, 1, p)
          p = p.parent
        end
        table.insert(out, { name = full_name(c), fn = c.fn, line = c.line, befores = befores, afters = afters,
          blocks = blocks })
      else
        walk(c)
      end
    end
  end
  walk(root)
  return out
end

---------------------------------------------------------------- formatting

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do table.insert(keys, k) end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "number" or ta == "string" then return a < b end
    return tostring(a) < tostring(b)
  end)
  return keys
end

local function is_array(t)
  local n = #t
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or k > n or k % 1 ~= 0 then return false end
  end
  return true
end

-- dump renders a value as Lua-like text, tables one entry per line.
local function dump(v, indent, seen)
  indent, seen = indent or "", seen or {}
  local tv = type(v)
  if tv == "string" then return string.format("%q", v) end
  if tv ~= "table" then return tostring(v) end
  if seen[v] then return "<cycle>" end
  if next(v) == nil then return "{}" end
  seen[v] = true
  local inner, lines = indent .. "  ", {}
  if is_array(v) then
    for _, x in ipairs(v) do table.insert(lines, inner .. dump(x, inner, seen) .. ",") end
  else
    for _, k in ipairs(sorted_keys(v)) do
      local key = (type(k) == "string" and k:match("^[%a_][%w_]*$")) and k or ("[" .. dump(k, inner, seen) .. "]")
      table.insert(lines, inner .. key .. " = " .. dump(v[k], inner, seen) .. ",")
    end
  end
  seen[v] = nil
  return "{\n" .. table.concat(lines, "\n") .. "\n" .. indent .. "}"
end
internal.dump = dump

-- typed prefixes a dump with the value's type, as busted does.
local function typed(v)
  return "(" .. type(v) .. ") " .. dump(v)
end

---------------------------------------------------------------- matchers

-- match._ and the match.is_*() matchers stand for any value of a kind in
-- assert.same and in spies' was_called_with.
local matcher_mt = { __tostring = function(m) return "match." .. m.name end }
local function matcher(name, fn) return setmetatable({ name = name, fn = fn }, matcher_mt) end
local function is_matcher(v) return getmetatable(v) == matcher_mt end

local deep

match = { _ = matcher("_", function() return true end) }
for _, kind in ipairs({ "string", "number", "table", "function", "boolean", "userdata", "nil" }) do
  local m = function() return matcher("is_" .. kind .. "()", function(v) return type(v) == kind end) end
  match["is_" .. kind], match[kind] = m, m
end
local simple = {
  not_nil = function(v) return v ~= nil end,
  truthy = function(v) return v ~= nil and v ~= false end,
  falsy = function(v) return v == nil or v == false end,
  ["true"] = function(v) return v == true end,
  ["false"] = function(v) return v == false end,
}
for name, fn in pairs(simple) do
  local m = function() return matcher("is_" .. name .. "()", fn) end
  match["is_" .. name], match[name] = m, m
end
function match.is_same(x) return matcher("is_same(...)", function(v) return deep(x, v) end) end
function match.is_equal(x) return matcher("is_equal(...)", function(v) return v == x end) end
function match.matches(pattern)
  return matcher("matches(" .. string.format("%q", pattern) .. ")", function(v)
    return type(v) == "string" and v:find(pattern) ~= nil
  end)
end
match.same, match.equal, match.equals, match.has_match = match.is_same, match.is_equal, match.is_equal, match.matches

-- deep compares two values structurally (tables by content); a matcher on
-- either side decides for the value on the other.
function deep(a, b, seen)
  if is_matcher(a) then return a.fn(b) end
  if is_matcher(b) then return b.fn(a) end
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  seen = seen or {}
  if seen[a] == b then return true end
  seen[a] = b
  for k, v in pairs(a) do
    if not deep(v, b[k], seen) then return false end
  end
  for k, v in pairs(b) do
    if a[k] == nil and not deep(nil, v, seen) then return false end
  end
  return true
end
internal.deep = deep

---------------------------------------------------------------- failures

-- where finds the first stack frame outside the prelude: the user's line.
local function where()
  for level = 3, 40 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.source ~= PRELUDE and info.currentline and info.currentline > 0
        and info.what ~= "C" and info.what ~= "G" then
      return info.source, info.currentline
    end
  end
  return "?", 0
end

-- fail raises an assertion failure: a table Go turns into a report.
local function fail(message, expected, actual, extra)
  local file, line = where()
  local f = { eslscript_assertion = true, message = message, file = file, line = line }
  if expected ~= nil or actual ~= nil then
    f.expected, f.actual = expected, actual
  end
  if extra and extra ~= "" then f.message = message .. "\n" .. extra end
  error(setmetatable(f, { __tostring = function(x) return x.file .. ":" .. x.line .. ": " .. x.message end }), 0)
end
internal.fail = fail

---------------------------------------------------------------- assertions

local checks = {}

-- Each check returns ok, message, expected text, actual text.
function checks.equals(expected, actual)
  return expected == actual, "Expected objects to be equal.", typed(expected), typed(actual)
end

function checks.same(expected, actual)
  return deep(expected, actual), "Expected objects to be the same.", typed(expected), typed(actual)
end

function checks.truthy(v)
  return v ~= nil and v ~= false, "Expected to be truthy, but value was:\n" .. typed(v)
end

function checks.falsy(v)
  return v == nil or v == false, "Expected to be falsy, but value was:\n" .. typed(v)
end

function checks.is_true(v) return v == true, "Expected true, got:\n" .. typed(v) end
function checks.is_false(v) return v == false, "Expected false, got:\n" .. typed(v) end
function checks.is_nil(v) return v == nil, "Expected nil, got:\n" .. typed(v) end

-- near: actual is a number within tolerance of expected.
function checks.near(expected, actual, tolerance)
  assert(type(expected) == "number" and type(tolerance) == "number", "near: expected and tolerance must be numbers")
  local ok = type(actual) == "number" and math.abs(expected - actual) <= tolerance
  return ok, "Expected values to be near (tolerance " .. tostring(tolerance) .. ").", typed(expected), typed(actual)
end

function checks.matches(pattern, s, init, plain)
  local ok = type(s) == "string" and s:find(pattern, init, plain) ~= nil
  return ok, "Expected string to match pattern " .. string.format("%q", pattern) .. ", got:\n" .. typed(s)
end

-- has_error runs fn; with expected, the error message must equal it
-- (after the "file:line: " prefix) or, for a table error, be the same.
function checks.has_error(fn, expected)
  assert(type(fn) == "function", "has_error: a function is required")
  local ok, err = pcall(fn)
  if ok then return false, "Expected an error, but the function returned normally." end
  if expected == nil then return true, "Expected no error, but got:\n" .. typed(err) end
  local msg = err
  if type(err) == "string" then msg = err:gsub("^[^:]+:%d+: ", "") end
  local match = deep(expected, msg) or deep(expected, err)
  return match, "Expected a different error.", typed(expected), typed(err)
end

checks.equal = checks.equals
checks.are_equal = checks.equals
checks.are_same = checks.same
checks.error = checks.has_error
checks.errors = checks.has_error
checks.match = checks.matches
checks.is_truthy = checks.truthy
checks.is_falsy = checks.falsy

local negated_words = {
  equals = "Expected objects to not be equal.",
  same = "Expected objects to not be the same.",
  matches = "Expected string not to match the pattern.",
  has_error = "Expected no error, but got one.",
}

-- arity is how many arguments a check takes before an optional message.
local arity = { equals = 2, same = 2, near = 3, truthy = 1, falsy = 1, is_true = 1, is_false = 1, is_nil = 1 }
for alias, target in pairs({ equal = "equals", are_equal = "equals", are_same = "same",
  is_truthy = "truthy", is_falsy = "falsy" }) do
  arity[alias] = arity[target]
end


local function positive(name, check)
  return function(...)
    local n, args = select("#", ...), { ... }
    local ok, message, expected, actual = check(...)
    if not ok then
      local a = arity[name]
      if a and n > a and args[n] ~= nil then message = tostring(args[n]) .. "\n" .. message end
      fail(message, expected, actual)
    end
  end
end

local function negative(name, check)
  return function(...)
    local ok, message, _, actual = check(...)
    if ok then
      local word = negated_words[name] or ("Expected the opposite of: " .. message)
      if name == "has_error" then
        local _, err = pcall((...))
        actual = typed(err)
      end
      fail(word, nil, actual)
    end
  end
end

local assert_pos, assert_neg = {}, {}
for name, check in pairs(checks) do
  assert_pos[name] = positive(name, check)
  assert_neg[name] = negative(name, check)
end
assert_pos.not_nil = assert_neg.is_nil
assert_pos.is_not_nil = assert_neg.is_nil
assert_pos.not_equals = assert_neg.equals
assert_pos.not_same = assert_neg.same
assert_pos.not_matches = assert_neg.matches
assert_pos.has_no_error = assert_neg.has_error
assert_pos.no_error = assert_neg.has_error
assert_pos.fail = function(message) fail(message or "failed") end

-- Chain words (assert.are.same, assert.is_not.equal) are no-ops or negate.
local lua_assert = assert
local function chain(tbl, neg)
  return setmetatable({}, {
    __index = function(_, k)
      if k == "is" or k == "are" or k == "was" or k == "has" or k == "does" then return chain(tbl, neg) end
      if k == "is_not" or k == "are_not" or k == "no" or k == "not_" or k == "has_no" or k == "was_not" then
        return chain(neg, tbl)
      end
      return tbl[k]
    end,
    -- assert(v, msg) keeps Lua's meaning.
    __call = function(_, v, msg, ...)
      if not v then fail(msg ~= nil and tostring(msg) or "assertion failed!") end
      return v, msg, ...
    end,
  })
end
assert = chain(assert_pos, assert_neg)
internal.lua_assert = lua_assert

---------------------------------------------------------------- spies

local active = {}

local spy_mt = {}
spy_mt.__index = spy_mt
spy_mt.__call = function(s, ...)
  local args = pack(...)
  table.insert(s.calls, args)
  if s.impl then return s.impl(...) end
end

-- called_with reports whether some call had exactly these arguments.
function spy_mt:called_with(...)
  local want = pack(...)
  for _, c in ipairs(self.calls) do
    if c.n == want.n and deep({ unpack(c, 1, c.n) }, { unpack(want, 1, want.n) }) then
      return true
    end
  end
  return false
end

function spy_mt:call_count() return #self.calls end

function spy_mt:clear()
  self.calls = {}
  return self
end

function spy_mt:revert()
  if self.target then
    self.target[self.key] = self.original
    self.target = nil
  end
end

local function new_spy(impl)
  local s = setmetatable({ calls = {}, impl = impl }, spy_mt)
  return s
end

spy = {}

-- spy.new(fn) returns a callable spy that runs fn.
function spy.new(fn)
  return new_spy(fn or function() end)
end

-- spy.on(tbl, key) replaces tbl[key] with a spy calling the original; it
-- is reverted after the test.
function spy.on(tbl, key)
  local original = tbl[key]
  lua_assert(type(original) == "function" or getmetatable(original) == spy_mt,
    "spy.on: " .. tostring(key) .. " is not a function")
  local s = new_spy(original)
  s.target, s.key, s.original = tbl, key, original
  tbl[key] = s
  table.insert(active, s)
  return s
end

-- stub(tbl, key[, fn_or_value, ...]) replaces tbl[key] with a spy that
-- runs fn, or returns the given values; reverted after the test.
stub = setmetatable({}, {
  __call = function(_, tbl, key, ...)
    local n, first, rest = select("#", ...), (...), pack(...)
    local impl
    if type(first) == "function" and n == 1 then
      impl = first
    else
      impl = function() return unpack(rest, 1, rest.n) end
    end
    local s = new_spy(impl)
    s.target, s.key, s.original = tbl, key, tbl[key]
    tbl[key] = s
    table.insert(active, s)
    return s
  end,
})
stub.new = function(...) return stub({}, "new", ...) end

-- mock(tbl[, use_stubs]) spies on (or stubs) every function of tbl and of
-- the tables in it; reverted after the test, or by mock.revert(tbl).
local mocked = setmetatable({}, { __mode = "k" })
mock = setmetatable({}, {
  __call = function(_, tbl, use_stubs)
    assert(type(tbl) == "table", "mock: a table is required")
    local spies, seen = {}, {}
    local function walk(t)
      if seen[t] then return end
      seen[t] = true
      for k, v in pairs(t) do
        if type(v) == "function" then
          table.insert(spies, use_stubs and stub(t, k) or spy.on(t, k))
        elseif type(v) == "table" and getmetatable(v) ~= spy_mt then
          walk(v)
        end
      end
    end
    walk(tbl)
    mocked[tbl] = spies
    return tbl
  end,
})
function mock.revert(tbl)
  for _, s in ipairs(mocked[tbl] or {}) do s:revert() end
  mocked[tbl] = nil
end

---------------------------------------------------------------- module stubs

-- stub.module and spy.module act on the module functions as the scripts
-- under test see them. The scripts run in the host's own Lua states, so a
-- module stub is data kept by Go: values to return, or first argument ->
-- values. Calls are recorded by Go as plain values.
local RETURNS, BYARG = {}, {}
stub.NIL = setmetatable({}, { __tostring = function() return "stub.NIL" end })

local function denil(list)
  for i = 1, list.n do
    if list[i] == stub.NIL then list[i] = nil end
  end
  return list
end

-- stub.returns(...) stands for several return values (nil allowed).
function stub.returns(...)
  return { [RETURNS] = true, list = denil(pack(...)) }
end

-- stub.by_arg(map[, default]) returns map[first argument] (a value or
-- stub.returns(...)), else default (else nothing).
function stub.by_arg(map, default)
  lua_assert(type(map) == "table", "stub.by_arg: a table (first argument -> return value) is required")
  return { [BYARG] = true, map = map, default = default }
end

local function returns_of(v)
  if type(v) == "table" and v[RETURNS] then return v.list end
  return denil(pack(v))
end

local module_mt = {}
module_mt.__index = function(s, k)
  if k == "calls" then
    local all, out = native.module_calls(s.id), {}
    for i = s.skip + 1, #all do out[#out + 1] = all[i] end
    return out
  end
  return rawget(module_mt, k) or spy_mt[k]
end
module_mt.__call = function(s)
  error("module spy " .. s.key .. ": the scripts call it, not the test", 2)
end

function module_mt.clear(s)
  s.skip = #native.module_calls(s.id)
  return s
end

function module_mt.revert(s) native.module_revert(s.id) end

local function new_module_spy(key, through, returns, map, fallback, what)
  lua_assert(type(key) == "string", what .. ": the first argument is \"module.function\"")
  local ok, id = pcall(native.module_set, key, through, returns, map, fallback)
  if not ok then error(what .. ": " .. tostring(id):gsub("^[^:]+:%d+: ", ""), 3) end
  local s = setmetatable({ id = id, key = key, skip = 0 }, module_mt)
  table.insert(active, s)
  return s
end

-- stub.module("module.func", values... | stub.returns(...) | stub.by_arg{...})
function stub.module(key, ...)
  local n, first = select("#", ...), (...)
  if type(first) == "function" then
    error("stub.module: a function cannot stand in for " .. tostring(key) ..
      ": the scripts run in other Lua states; give the values to return, stub.returns(...) or stub.by_arg{...}", 2)
  end
  local returns, map, fallback
  if n == 1 and type(first) == "table" and first[BYARG] then
    map = {}
    for k, v in pairs(first.map) do map[k] = returns_of(v) end
    if first.default ~= nil then fallback = returns_of(first.default) end
  elseif n == 1 and type(first) == "table" and first[RETURNS] then
    returns = first.list
  else
    returns = denil(pack(...))
  end
  return new_module_spy(key, false, returns, map, fallback, "stub.module")
end

-- spy.module("module.func") records the scripts' calls; the function runs.
function spy.module(key)
  return new_module_spy(key, true, nil, nil, nil, "spy.module")
end

-- assert.spy(s).was_called([n]) / .was_called_with(...) / .was_not_called().
local function spy_checks(s)
  local mt = getmetatable(s)
  lua_assert(mt == spy_mt or mt == module_mt, "assert.spy: not a spy")
  local r = {}
  function r.was_called(n)
    if n == nil and #s.calls == 0 then fail("Expected the spy to be called, it was not.") end
    if n ~= nil and #s.calls ~= n then
      fail("Expected the spy to be called " .. n .. " time(s), it was called " .. #s.calls .. " time(s).")
    end
  end
  function r.was_not_called()
    if #s.calls > 0 then fail("Expected the spy not to be called, it was called " .. #s.calls .. " time(s).") end
  end
  function r.was_called_with(...)
    if not s:called_with(...) then
      local seen = {}
      for i, c in ipairs(s.calls) do seen[i] = { unpack(c, 1, c.n) } end
      fail("Expected the spy to be called with the arguments.", typed({ ... }), "calls: " .. dump(seen))
    end
  end
  r.was = { called = r.was_called, called_with = r.was_called_with, not_called = r.was_not_called }
  return r
end
assert_pos.spy = spy_checks
assert_pos.stub = spy_checks

-- internal.revert undoes every spy.on and stub of the test.
function internal.revert()
  for i = #active, 1, -1 do active[i]:revert() end
  active = {}
end

---------------------------------------------------------------- running

-- handler turns any error into the value Go reports: assertion tables as
-- they are, other errors as a string with a traceback.
local function handler(err)
  if type(err) == "table" and err.eslscript_assertion then return err end
  local msg = tostring(err)
  return { message = msg, traceback = debug.traceback("", 3) } -- 3: above on_error
end

-- internal.run runs one test with its hooks; it returns nil or the first
-- failure. after_each hooks run even after a failure.
internal.handler = handler

-- on_error is the handler xpcall gets: a Go function (it still runs when
-- the test's time budget has stopped the Lua code) that remembers where
-- the error was raised, then calls handler.
local on_error = native.on_error

-- internal.plan counts, per describe block, the tests of the list (those
-- that will run), so that a block's teardown runs after its last one.
function internal.plan(list)
  for _, t in ipairs(list) do
    for _, b in ipairs(t.blocks) do b.left = (b.left or 0) + 1 end
  end
end

-- run_all runs fns in order; it returns the first failure.
local function run_all(fns, stop_at_first)
  local failure
  for _, f in ipairs(fns) do
    local ok, err = xpcall(f, on_error)
    if not ok then
      failure = failure or err
      if stop_at_first then break end
    end
  end
  return failure
end

-- start_blocks runs the setups of the blocks t is the first test of (and
-- snapshots insulated ones); a failed setup fails every test of its block.
local function start_blocks(t)
  local failure
  for _, b in ipairs(t.blocks) do
    if not b.started then
      b.started = true
      if b.insulate then b.saved = snapshot() end
      b.setup_failure = run_all(b.setups, true)
    end
    failure = failure or b.setup_failure
  end
  return failure
end

-- end_blocks runs the teardowns of the blocks t is the last test of.
local function end_blocks(t)
  local failure
  for i = #t.blocks, 1, -1 do
    local b = t.blocks[i]
    b.left = (b.left or 1) - 1
    if b.left == 0 then
      failure = failure or run_all(b.teardowns, false)
      if b.saved then restore(b.saved) end
    end
  end
  return failure
end

-- internal.run runs one test with its hooks; it returns nil or the first
-- failure. finally functions and after_each hooks run even after a
-- failure.
function internal.run(t)
  local failure = start_blocks(t)
  finals = {}
  if not failure then failure = run_all(t.befores, true) end
  if not failure then
    local ok, err = xpcall(t.fn, on_error)
    if not ok then failure = err end
  end
  local fin = finals
  finals = nil
  local fin_failure = run_all(fin, false)
  local after_failure = run_all(t.afters, false)
  internal.revert()
  local teardown_failure = end_blocks(t)
  return failure or fin_failure or after_failure or teardown_failure
end

return internal
