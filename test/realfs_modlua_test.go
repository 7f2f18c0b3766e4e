package test

import "testing"

// TestRealModLuaCompat is the mod_lua differential suite (see
// realfs_modlua_harness_test.go): every compatibility script on FreeSWITCH's
// own mod_lua and through eslscript's outbound socket, on a real
// FreeSWITCH.
func TestRealModLuaCompat(t *testing.T) {
	t.Parallel()
	var cases []compatCase
	for _, table := range [][]compatCase{compatSessionCases, compatMediaCases, compatInputCases, compatLegCases, compatLuaCases, compatMenuCases} {
		cases = append(cases, table...)
	}
	runCompatCases(t, cases)
}
