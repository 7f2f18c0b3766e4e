package test

// Compatibility scripts: media calls (streamFile, sleep, recordFile,
// say, speak) and digits (getDigits, playAndGetDigits, read, flushDigits).
var compatMediaCases = []compatCase{
	{name: "stream", lua: `
session:answer()
mlc("beep", session:streamFile("beep.wav"))
mlc("missing", session:streamFile("mlc_no_such_file.wav"))
mlc("tone", session:streamFile("tone_stream://%(100,0,440)"))
mlc("offset", session:streamFile("beep.wav", 4000))
mlc("sleep", session:sleep(200))
session:hangup()
`},
	{name: "stream_dtmf_kept", lua: `
session:answer()
session:streamFile("tone_stream://%(1500,0,440)")
mlc("digits", session:getDigits(5, "#", 2000))
session:hangup()
`, drive: func(c *compatCall) { c.waitPlayback(1); c.dtmf("12#") }},
	{name: "sleep_dtmf_kept", lua: `
session:answer()
session:execute("set", "mlc_sleeping=1")
session:sleep(1500)
mlc("digits", session:getDigits(5, "#", 2000))
session:hangup()
`, drive: func(c *compatCall) { c.waitAppDone("set", "mlc_sleeping=1"); c.dtmf("34#") }},
	{name: "playback_app_dtmf", lua: `
session:answer()
session:execute("playback", "tone_stream://%(1500,0,440)")
mlc("digits", session:getDigits(5, "#", 1000))
session:hangup()
`, drive: func(c *compatCall) { c.waitPlayback(1); c.dtmf("56") }},
	{name: "get_digits", lua: `
session:answer()
session:execute("set", "mlc_ready=1")
mlc("first", session:getDigits(3, "#", 3000))
mlc("second", session:getDigits(2, "", 3000, 500))
mlc("none", session:getDigits(2, "#", 300))
session:hangup()
`, drive: func(c *compatCall) { c.waitAppDone("set", "mlc_ready=1"); c.dtmf("1#234") }},
	{name: "pagd", lua: `
session:answer()
local d = session:playAndGetDigits(2, 4, 3, 3000, "#", "beep.wav", "tone_stream://%(100,0,300)", "^\\d+$", "mlc_pagd")
mlc("digits", d, session:getVariable("mlc_pagd"))
session:hangup()
`, drive: func(c *compatCall) { c.waitPlayback(1); c.dtmf("1#"); c.waitPlayback(3); c.dtmf("42#") }},
	{name: "pagd_extra_terminator", lua: `
session:answer()
local d = session:playAndGetDigits(1, 1, 1, 3000, "#", "beep.wav", "", "^\\d$")
mlc("digits", d)
mlc("next", session:getDigits(3, "", 1000))
session:hangup()
`, drive: func(c *compatCall) { c.waitPlayback(1); c.dtmf("7#") }},
	{name: "pagd_typeahead", lua: `
session:answer()
session:streamFile("tone_stream://%(1500,0,440)")
mlc("digits", session:playAndGetDigits(1, 1, 1, 3000, "#", "tone_stream://%(2000,0,350)", "", "^\\d$"))
mlc("next", session:getDigits(3, "", 1000))
session:hangup()
`, drive: func(c *compatCall) { c.waitPlayback(1); c.dtmf("7#3") }, diffs: []string{"typeahead-prompt"}},
	{name: "pagd_timeout", lua: `
session:answer()
mlc("digits", session:playAndGetDigits(1, 2, 2, 1000, "#", "tone_stream://%(100,0,440)", "", "\\d+"))
mlc("ready", session:ready())
session:hangup()
`},
	{name: "read", lua: `
session:answer()
mlc("read", session:read(2, 3, "beep.wav", 3000, "#"))
mlc("var", session:getVariable("read_result"))
session:hangup()
`, drive: func(c *compatCall) { c.waitPlayback(1); c.dtmf("98#") }},
	{name: "flush_digits", lua: `
session:answer()
session:execute("set", "mlc_ready=1")
session:sleep(1000)
session:flushDigits()
mlc("after flush", session:getDigits(3, "", 500))
session:hangup()
`, diffs: []string{"dtmf-dequeued"}, drive: func(c *compatCall) { c.waitAppDone("set", "mlc_ready=1"); c.dtmf("123") }},
	{name: "record", lua: `
session:answer()
local file = session:getVariable("mlc_rec_dir") .. "/" .. MLC_TAG .. ".wav"
mlc("record", session:recordFile(file, 1, 0, 0))
mlc("ready", session:ready())
session:hangup()
`},
	{name: "say_speak", lua: `
session:answer()
mlc("say", session:say("123", "en", "number", "pronounced"))
mlc("phrase", session:sayPhrase("mlc_no_such_phrase", "1"))
session:set_tts_params("flite", "kal")
mlc("speak", session:speak("hello"))
mlc("ready", session:ready())
session:hangup()
`, lines: []lineDiff{{diff: "execute-result", what: "say", mod: "", esl: "true"},
		{diff: "execute-result", what: "phrase", mod: "", esl: "true"},
		{diff: "speak-result", what: "speak", mod: "0", esl: "1"}}},
}
