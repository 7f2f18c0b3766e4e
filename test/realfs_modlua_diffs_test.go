package test

import (
	"regexp"
	"slices"
	"strings"
)

// compatDiff is a deliberate difference between mod_lua and eslscript:
// apply removes it from both results and reports whether it changed
// anything. Each is documented in README ("Existing mod_lua scripts").
type compatDiff struct {
	why    string
	always bool // applies to every case (inherent to running over ESL or in gopher-lua)
	apply  func(mod, esl *compatResult) bool
}

// compatDiffs are the deliberate differences, by name.
var compatDiffs = map[string]compatDiff{
	"native-apps": {
		why: "mod_lua answers, plays, records, sleeps and collects digits in C without an application; " +
			"eslscript runs answer, playback, record, sleep, play_and_get_digits, read (sendmsg): " +
			"their CHANNEL_EXECUTE events are left out, their effects (CHANNEL_ANSWER, PLAYBACK_START) compared",
		always: true,
		apply: func(mod, esl *compatResult) bool {
			a := dropEffects(mod, func(e string) bool { return isApp(e, "answer", "pre_answer") })
			b := dropEffects(esl, isNativeApp)
			return a || b
		},
	},
	"float-print": {
		why: "Lua 5.3 prints floats with .0 (session methods return floats: 1.0); gopher-lua has one number " +
			"type and prints whole numbers without it",
		always: true,
		apply: func(mod, esl *compatResult) bool {
			changed := false
			for i, l := range mod.Log {
				if n := floatZero.ReplaceAllString(l, "$1"); n != l {
					mod.Log[i], changed = n, true
				}
			}
			return changed
		},
	},
	"error-wording": {
		why: "Lua 5.3 and gopher-lua word runtime errors differently (attempt to call a nil value (global 'f') / " +
			"attempt to call a non-function object); the file and line are compared",
		apply: func(mod, esl *compatResult) bool {
			a, b := mod.Err, esl.Err
			mod.Err, esl.Err = errWhere(a), errWhere(b)
			return a != mod.Err || b != esl.Err
		},
	},
	"after-hangup-results": {
		why: "after the hangup, media calls and execute return nil, \"hangup\"; mod_lua's return 0 " +
			"(answer, streamFile...), \"\" (playAndGetDigits) or nothing (execute)",
	},
	"after-transfer": {
		why: "after a transfer, media calls and execute return nil, \"transferred\"; mod_lua runs them on " +
			"the channel until the script returns (the transfer takes effect then)",
	},
	"execute-result": {
		why: "execute, say and sayPhrase return true (nil, err when they fail); mod_lua's return nothing",
	},
	"number-format": {
		why: "gopher-lua prints numbers in Go's shortest form, whole numbers in full (1000000000000000, " +
			"0.3333333333333333, 3.141592653589793); Lua prints 14 significant digits (1e+15, 0.33333333333333)",
	},
	"lua51-kept": {
		why: "the Lua 5.1 functions Lua 5.3 removed (unpack, table.getn, loadstring...) stay; under mod_lua " +
			"they are nil",
	},
	"sandbox": {
		why: "os.execute and the io library need the sandbox opt-ins (allow_os, allow_io), and the error " +
			"says so; io.write alone writes to the standard output, as print does",
	},
	"io-write-result": {
		why: "io.write returns true, not the file io.stdout",
	},
	"speak-result": {
		why: "speak returns 1 once the speak application ran: FreeSWITCH reports no TTS failure over ESL; " +
			"mod_lua's returns 0 when the engine failed",
	},
	"dtmf-dequeued": {
		why: "FreeSWITCH fires a DTMF event when a digit is dequeued, and under eslscript the applications " +
			"and the socket's park dequeue each digit as it comes (that is how the host sees it): a digit " +
			"flushed unread, or still queued at the hangup, has its DTMF event under eslscript only",
		apply: func(mod, esl *compatResult) bool {
			if mod.DTMF == esl.DTMF || !isSubsequence(mod.DTMF, esl.DTMF) {
				return false
			}
			esl.DTMF = mod.DTMF
			return true
		},
	},
	"uuid-bridge": {
		why: "freeswitch.bridge runs uuid_bridge, which takes the call out of its socket application " +
			"(FreeSWITCH runs it as the application uuid_bridge and records transfer_history and " +
			"original_* variables); mod_lua bridges in C",
		apply: func(mod, esl *compatResult) bool {
			n := len(esl.After)
			esl.After = slices.DeleteFunc(esl.After, func(a string) bool { return strings.HasPrefix(a, "uuid_bridge(") })
			changed := len(esl.After) != n
			for _, v := range []string{"original_caller_id_number", "original_destination_number"} {
				if _, ok := esl.Vars[v]; ok {
					delete(esl.Vars, v)
					changed = true
				}
			}
			return changed
		},
	},
	"typeahead-prompt": {
		why: "digits typed ahead of a prompt that collects digits (playAndGetDigits, read, an IVRMenu " +
			"greeting) are read on the host and the prompt is not played; under mod_lua the prompt is " +
			"opened and the queued digit stops it at once (playback_ms 0, at times a PLAYBACK_START)",
		apply: func(mod, esl *compatResult) bool {
			changed := false
			if onlyExtraPlays(mod.Effects, esl.Effects) {
				mod.Effects, changed = slices.Clone(esl.Effects), true
			}
			if mod.Vars["playback_ms"] == "0" && esl.Vars["playback_ms"] != "0" {
				for _, v := range []string{"playback_ms", "playback_seconds"} {
					esl.Vars[v] = mod.Vars[v]
				}
				changed = true
			}
			return changed
		},
	},
	"divert-events": {
		why: "with eslscript_divert_events=true (needed for events queued to the call to reach the input " +
			"callback) FreeSWITCH queues the call's DTMF events to the socket instead of firing them: " +
			"consumers do not see them; mod_lua's callback gets queued events without it",
		apply: func(mod, esl *compatResult) bool {
			if mod.DTMF == esl.DTMF || !isSubsequence(esl.DTMF, mod.DTMF) {
				return false
			}
			esl.DTMF = mod.DTMF
			return true
		},
	},
	"unsupported-method": {
		why: "a mod_lua method with no ESL path raises \"X is not supported by eslscript: <why; what to use instead>\"",
	},
	"multiline-set": {
		why: "setVariable with a line break in the value runs the set application (an api command line " +
			"cannot carry it); mod_lua sets the variable in C",
		apply: func(mod, esl *compatResult) bool {
			return dropEffects(esl, func(e string) bool { return isApp(e, "set") && strings.Contains(e, "\n") })
		},
	},
}

// onlyExtraPlays reports whether long is short with some playbacks
// (play: entries) added, and differs from it.
func onlyExtraPlays(long, short []string) bool {
	if len(long) <= len(short) {
		return false
	}
	i := 0
	for _, e := range long {
		switch {
		case i < len(short) && e == short[i]:
			i++
		case !strings.HasPrefix(e, "play:"):
			return false
		}
	}
	return i == len(short)
}

// isSubsequence reports whether the characters of a appear in b in order.
func isSubsequence(a, b string) bool {
	i := 0
	for j := 0; j < len(b) && i < len(a); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

// floatZero matches a whole number printed as a Lua 5.3 float.
var floatZero = regexp.MustCompile(`\b(\d+)\.0\b`)

// normalizeAlways applies the differences every case may show.
func normalizeAlways(mod, esl *compatResult) bool {
	changed := false
	for _, d := range compatDiffs {
		if d.always && d.apply(mod, esl) {
			changed = true
		}
	}
	return changed
}

// dropEffects removes the effects for which drop is true.
func dropEffects(r *compatResult, drop func(string) bool) bool {
	n := len(r.Effects)
	r.Effects = slices.DeleteFunc(r.Effects, drop)
	return len(r.Effects) != n
}

// isApp reports whether effect e is the execution of one of apps.
func isApp(e string, apps ...string) bool {
	for _, a := range apps {
		if strings.HasPrefix(e, "app:"+a+"(") {
			return true
		}
	}
	return false
}

// nativePAGD is the data of the play_and_get_digits eslscript runs for
// playAndGetDigits (numbers, then quoted terminators).
var nativePAGD = regexp.MustCompile(`^app:play_and_get_digits\(-?\d+ -?\d+ -?\d+ -?\d+ '`)

// isNativeApp reports an application eslscript runs for one of mod_lua's
// native session methods.
func isNativeApp(e string) bool {
	switch {
	case isApp(e, "answer", "pre_answer", "say", "phrase", "speak"), strings.HasPrefix(e, "native:"):
		return true
	case nativePAGD.MatchString(e), isApp(e, "read") && strings.Contains(e, " eslscript_read_digits "):
		return true
	}
	return false
}

// errWhere keeps "file:line:" of an error.
func errWhere(msg string) string {
	if i := strings.Index(msg, ".lua:"); i >= 0 {
		rest := msg[i+len(".lua:"):]
		if j := strings.Index(rest, ":"); j >= 0 {
			return msg[:i+len(".lua:")+j+1]
		}
	}
	return msg
}
