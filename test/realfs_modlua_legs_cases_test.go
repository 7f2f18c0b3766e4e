package test

// Compatibility scripts: call legs (freeswitch.Session, originate,
// bridge) and events (freeswitch.Event, EventConsumer).
var compatLegCases = []compatCase{
	{name: "leg_originate", lua: `
session:answer()
local leg = freeswitch.Session("loopback/park", session)
mlc("leg", leg:ready(), leg:answered(), leg:hangupCause(), type(leg:get_uuid()))
mlc("leg var", leg:getVariable("destination_number"))
leg:hangup()
mlc("after", leg:ready(), leg:hangupCause())
session:hangup()
`},
	{name: "leg_caller_answer", lua: `
local leg = freeswitch.Session("loopback/park", session)
mlc("caller", session:answered(), session:getVariable("originate_disposition"), session:getVariable("DIALSTATUS"))
leg:hangup()
session:hangup()
`},
	{name: "leg_busy", lua: `
session:answer()
local leg = freeswitch.Session("loopback/busy", session)
mlc("busy", leg:ready(), leg:hangupCause(), leg:get_uuid())
mlc("caller", session:getVariable("originate_disposition"), session:getVariable("DIALSTATUS"))
session:hangup()
`},
	{name: "leg_empty_originate", lua: `
session:answer()
local leg = freeswitch.Session()
mlc("empty", leg:ready())
mlc("originate", leg:originate(session, "loopback/park", 10))
mlc("now", leg:ready(), leg:hangupCause())
leg:hangup()
session:hangup()
`},
	{name: "leg_attach", lua: `
session:answer()
local other = freeswitch.Session("loopback/park")
local same = freeswitch.Session(other:get_uuid())
mlc("attach", same:ready(), same:get_uuid() == other:get_uuid(), same:hangupCause())
same:hangup()
mlc("other", other:ready())
session:hangup()
`},
	{name: "leg_bridge", lua: `
session:answer()
local leg = freeswitch.Session("loopback/tone", session)
mlc("leg", leg:ready())
freeswitch.bridge(session, leg)
mlc("after bridge", session:ready(), leg:ready())
session:hangup()
`, diffs: []string{"uuid-bridge"}},
	{name: "event_fire", lua: `
local sub = "mlc::" .. MLC_TAG
local con = freeswitch.EventConsumer("CUSTOM", sub)
local e = freeswitch.Event("CUSTOM", sub)
e:addHeader("mlc-a", "one")
e:addHeader("mlc-b", "two")
e:delHeader("mlc-b")
e:addBody("the body")
mlc("local", e:getHeader("mlc-a"), e:getHeader("mlc-b"), e:getBody(), e:getType(), e:getHeader("Event-Subclass"))
mlc("fire", e:fire())
local got = con:pop(1, 5000)
mlc("popped", got ~= nil and got:getHeader("mlc-a"), got and got:getBody(), got and got:getHeader("Event-Subclass"))
mlc("empty pop", con:pop(0))
con:cleanup()
`},
	{name: "event_types", lua: `
local e = freeswitch.Event("message_waiting")
mlc("type", e:getType(), e:getHeader("Event-Name"))
local u = freeswitch.Event("mlc_bogus")
mlc("unknown", u:getType())
local c = freeswitch.Event("custom", "mlc::x")
mlc("custom", c:getType(), c:getHeader("Event-Subclass"))
`},
}
