// Package bindings holds eslscript's Lua modules, one per file, and the one
// registry that lists them. A Go program that embeds the host adds its own
// modules beside the built-in ones with Registry.Add.
//
// Lua-facing conventions: runtime failures (a refused command, a hung-up
// call, a timeout) return nil, err; misuse (a wrong argument type, a missing
// argument) raises. Our own modules use short lowercase names; the session
// object keeps mod_lua's method names and argument order.
package bindings
