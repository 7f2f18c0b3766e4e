-- mod_lua/ivr.lua: a classic FreeSWITCH mod_lua call script, run unchanged.
-- Files under a mod_lua/ folder are run top to bottom for each call routed
-- to them, with the globals session, argv and freeswitch, as mod_lua does.
-- Route a call here with the dialplan:
--   <action application="set" data="eslscript_script=mod_lua/ivr"/>
--   <action application="set" data="eslscript_argv=sales"/>
--   <action application="socket" data="127.0.0.1:8084 async full"/>
-- argv[1] is the department ("sales" or "support"; "sales" by default).

local department = argv[1] or "sales"
local extensions = { sales = "2000", support = "3000" }

session:answer()
session:sleep(500)
session:streamFile("ivr/welcome.wav")

local digits = session:playAndGetDigits(1, 4, 3, 5000, "#", "ivr/enter_account.wav",
                                        "ivr/invalid.wav", "\\d+", "account")
if digits == "" then
  freeswitch.consoleLog("WARNING", "no account entered by " ..
                        session:getVariable("caller_id_number") .. "\n")
  session:streamFile("ivr/goodbye.wav")
  session:hangup("NORMAL_CLEARING")
  return
end

freeswitch.consoleLog("INFO", "account " .. digits .. " for " .. department .. "\n")
local api = freeswitch.API()
api:executeString("uuid_setvar " .. session:get_uuid() .. " ivr_department " .. department)

session:streamFile("ivr/thank_you.wav")
session:transfer(extensions[department] or extensions.sales, "XML", "default")
