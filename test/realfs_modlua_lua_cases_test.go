package test

// Compatibility scripts: the Lua language and libraries (FreeSWITCH's
// mod_lua is Lua 5.3, eslscript's gopher-lua is Lua 5.1 with shims),
// the sandbox, require and state reuse.
var compatLuaCases = []compatCase{
	{name: "lua_numbers", lua: `
mlc("int", 7, 2000, -3, 7 / 2, 10 / 2, 2^3, 100000000000000)
mlc("format", 1e15, 1/3)
`, lines: []lineDiff{{diff: "number-format", what: "format", mod: "1e+15 0.33333333333333", esl: "1000000000000000 0.3333333333333333"}}},
	{name: "lua_shims", lua: `
mlc("unpack", table.unpack({1, 2, 3}))
mlc("math.type", math.type(1), math.type("1"), math.tointeger(3.0))
mlc("format", string.format("%d", 3.0), string.format("%5.2f", "2.5"))
mlc("random", math.random("3") <= 3, math.random(2, "4") >= 2)
local t = {}
for i = "1", "3" do t[#t + 1] = i * 2 end
mlc("for", table.concat(t, ","))
mlc("utf8", utf8 and utf8.char(72, 233) or "none", utf8 and utf8.len("hé") or "none")
mlc("maxint", math.maxinteger ~= nil, string.format("%.10f", math.pi))
mlc("pack", select("#", table.unpack({1, nil, 3}, 1, 3)))
`},
	{name: "lua_randomseed", lua: `
math.randomseed(42)
local t = {}
for i = 1, 5 do t[#t + 1] = math.random(100) end
t[#t + 1] = math.random(5, 10)
mlc("seeded", table.concat(t, " "), string.format("%.6f", math.random()))
`},
	{name: "lua_removed", lua: `
mlc("getn", pcall(function() return table.getn({1, 2}) end))
mlc("unpack", pcall(function() return unpack({1, 2}) end))
mlc("loadstring", pcall(function() return loadstring("return 1")() end))
`, lines: []lineDiff{
		{diff: "lua51-kept", what: "getn", mod: "false mlc_lua_removed.lua:9: attempt to call a nil value (field 'getn')", esl: "true 2"},
		{diff: "lua51-kept", what: "unpack", mod: "false mlc_lua_removed.lua:10: attempt to call a nil value (global 'unpack')", esl: "true 1 2"},
		{diff: "lua51-kept", what: "loadstring", mod: "false mlc_lua_removed.lua:11: attempt to call a nil value (global 'loadstring')", esl: "true 1"},
	}},
	{name: "sandbox", lua: `
mlc("execute", pcall(os.execute, "true"))
mlc("write", pcall(io.write, "MLC " .. MLC_TAG .. " io.write\n"))
print("MLC " .. MLC_TAG .. " print")
mlc("time", type(os.time()), type(os.date("%Y")))
`, lines: []lineDiff{
		{diff: "sandbox", what: "execute", mod: "true true exit 0",
			esl: "false mlc_sandbox.lua:9: os.execute is disabled by the sandbox; see allow_os (scripts.sandbox, or scripts.sandbox_dirs for a directory)"},
		{diff: "io-write-result", what: "write", mod: "true file (0x*", esl: "true true"},
	}},
	{name: "require", files: map[string]string{"mlc_helper.lua": `
function mlc_helper_global(x) return "global " .. x end
local M = {}
function M.twice(x) return x .. x end
return M
`}, lua: `
local h = require("mlc_helper")
mlc("module", h.twice("ab"), mlc_helper_global("cd"))
mlc("same", require("mlc_helper") == h)
`},
	{name: "lua_escapes", lua: `
mlc("escapes", "\x41\x62", "\u{E9}\u{20AC}", "a\z
     b", #"\x00\x01")
`},
}
