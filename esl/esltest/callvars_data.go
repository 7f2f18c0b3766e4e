package esltest

// sdpOffer and sdpAnswer are the session descriptions of an ordinary SIP
// call (a G.711/G.722/Opus offer from a desk phone and FreeSWITCH's answer).
const (
	sdpOffer = "v=0\r\no=- 3795412601 3795412601 IN IP4 198.51.100.23\r\ns=pjmedia\r\nb=AS:84\r\nt=0 0\r\n" +
		"a=X-nat:0\r\nm=audio 4000 RTP/AVP 0 8 9 96 101 102\r\nc=IN IP4 198.51.100.23\r\nb=AS:64000\r\n" +
		"a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:9 G722/8000\r\n" +
		"a=rtpmap:96 opus/48000/2\r\na=fmtp:96 useinbandfec=1;maxplaybackrate=16000\r\n" +
		"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=rtpmap:102 telephone-event/48000\r\n" +
		"a=fmtp:102 0-16\r\na=rtcp:4001 IN IP4 198.51.100.23\r\na=ssrc:1836517413 cname:5f1c0a2e6b7d4c3a\r\n" +
		"a=sendrecv\r\n"
	sdpAnswer = "v=0\r\no=FreeSWITCH 1795386812 1795386813 IN IP4 192.0.2.2\r\ns=FreeSWITCH\r\n" +
		"c=IN IP4 192.0.2.2\r\nt=0 0\r\nm=audio 23642 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n" +
		"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n" +
		"a=rtcp:23643 IN IP4 192.0.2.2\r\n"
)

// callVarCatalogue is what a sofia call accumulates as it goes (SIP
// dialog, authorisation, directory user, media negotiation, bridge,
// playback, hangup and the CDR timings and RTP statistics), in roughly the
// order FreeSWITCH sets them. Names are without "variable_"; values are
// raw (the plain serializer URL-encodes them).
var callVarCatalogue = [][2]string{
	{"sip_from_user", "1001"}, {"sip_from_uri", "1001@pbx.example.net"}, {"sip_from_host", "pbx.example.net"},
	{"sip_from_display", "Front Desk"}, {"sip_from_user_stripped", "1001"}, {"sip_from_tag", "b7e6c3a1f02d4e58"},
	{"sofia_profile_name", "internal"}, {"sofia_profile_url", "sip:mod_sofia@192.0.2.2:5060"},
	{"recovery_profile_name", "internal"}, {"sip_Remote-Party-ID", "\"Front Desk\" <sip:1001@pbx.example.net>;party=calling;screen=yes;privacy=off"},
	{"sip_cid_type", "rpid"}, {"sip_invite_domain", "pbx.example.net"},
	{"sip_allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, SUBSCRIBE, NOTIFY, REFER, MESSAGE, UPDATE, PRACK"},
	{"sip_req_user", "5551234"}, {"sip_req_uri", "5551234@pbx.example.net"}, {"sip_req_host", "pbx.example.net"},
	{"sip_to_user", "5551234"}, {"sip_to_uri", "5551234@pbx.example.net"}, {"sip_to_host", "pbx.example.net"},
	{"sip_contact_params", "ob"}, {"sip_contact_user", "1001"}, {"sip_contact_port", "5062"},
	{"sip_contact_uri", "1001@198.51.100.23:5062"}, {"sip_contact_host", "198.51.100.23"},
	{"sip_via_protocol", "udp"}, {"sip_via_host", "198.51.100.23"}, {"sip_via_port", "5062"}, {"sip_via_rport", "5062"},
	{"sip_full_via", "SIP/2.0/UDP 198.51.100.23:5062;rport=5062;branch=z9hG4bKPj8d7b6f1e0c2a4e9b;received=198.51.100.23"},
	{"sip_full_from", "\"Front Desk\" <sip:1001@pbx.example.net>;tag=b7e6c3a1f02d4e58"},
	{"sip_full_to", "<sip:5551234@pbx.example.net>"},
	{"sip_call_id", "3f9c1d7e-52a8-4b61-9e0d-a7c4f2b81e63"}, {"sip_cseq", "5313"}, {"max_forwards", "69"},
	{"sip_user_agent", "Yealink SIP-T46U 108.86.0.45"}, {"sip_local_network_addr", "192.0.2.2"},
	{"sip_network_ip", "198.51.100.23"}, {"sip_network_port", "5062"},
	{"sip_received_ip", "198.51.100.23"}, {"sip_received_port", "5062"},
	{"sip_authorized", "true"}, {"sip_acl_authed_by", "domains"}, {"sip_number_alias", "1001"},
	{"sip_auth_username", "1001"}, {"sip_auth_realm", "pbx.example.net"},
	{"sip_h_X-Account", "acct-20931"}, {"sip_h_X-Campaign", "winter-renewals"}, {"sip_h_X-Customer-Tier", "gold"},
	{"sip_h_P-Asserted-Identity", "\"Front Desk\" <sip:1001@pbx.example.net>"},
	{"number_alias", "1001"}, {"user_name", "1001"}, {"domain_name", "pbx.example.net"},
	{"record_stereo", "true"}, {"default_gateway", "carrier-a"}, {"default_areacode", "918"},
	{"transfer_fallback_extension", "operator"}, {"toll_allow", "domestic,international,local"},
	{"accountcode", "1001"}, {"user_context", "default"}, {"effective_caller_id_name", "Front Desk"},
	{"effective_caller_id_number", "1001"}, {"outbound_caller_id_name", "Example Corp"},
	{"outbound_caller_id_number", "19185550100"}, {"callgroup", "reception"},
	{"presence_id", "1001@pbx.example.net"}, {"sip_term_status", ""}, {"sip_outgoing_contact_uri", "<sip:mod_sofia@192.0.2.2:5060>"},
	{"switch_r_sdp", sdpOffer},
	{"rtp_remote_audio_rtcp_port", "4001"}, {"rtp_audio_recv_pt", "0"}, {"rtp_use_codec_name", "PCMU"},
	{"rtp_use_codec_rate", "8000"}, {"rtp_use_codec_ptime", "20"}, {"rtp_use_codec_channels", "1"},
	{"rtp_last_audio_codec_string", "PCMU@8000h@20i@1c"}, {"original_read_codec", "PCMU"},
	{"original_read_rate", "8000"}, {"dtmf_type", "rfc2833"}, {"rtp_2833_send_payload", "101"},
	{"rtp_2833_recv_payload", "101"}, {"remote_media_ip", "198.51.100.23"}, {"remote_media_port", "4000"},
	{"remote_audio_media_flow", "sendrecv"}, {"audio_media_flow", "sendrecv"},
	{"ep_codec_string", "CORE_PCM_MODULE.PCMU@8000h@20i@64000b,CORE_PCM_MODULE.PCMA@8000h@20i@64000b,mod_spandsp.G722@8000h@20i@64000b"},
	{"rtp_use_codec_string", "OPUS,G722,PCMU,PCMA,VP8"}, {"rtp_use_pt", "0"}, {"rtp_use_ssrc", "2716554094"},
	{"local_media_ip", "192.0.2.2"}, {"local_media_port", "23642"}, {"advertised_media_ip", "192.0.2.2"},
	{"rtp_use_timer_name", "soft"}, {"rtp_local_sdp_str", sdpAnswer},
	{"DP_MATCH", "ARRAY::5551234|:5551234"}, {"call_uuid", "c1e9cef1-bd7f-405c-99e6-610dca15076a"},
	{"RFC2822_DATE", "Mon, 23 Nov 2026 05:43:21 +0000"}, {"dialed_extension", "5551234"},
	{"export_vars", "RFC2822_DATE,sip_h_X-Account,sip_h_X-Campaign"}, {"hold_music", "local_stream://moh"},
	{"ringback", "%(2000,4000,440,480)"}, {"transfer_ringback", "local_stream://moh"},
	{"call_timeout", "30"}, {"park_timeout", "60"}, {"session_in_hangup_hook", "true"},
	{"api_hangup_hook", "lua hangup_notify.lua"}, {"hangup_after_bridge", "true"}, {"continue_on_fail", "true"},
	{"current_application_data", "+3000 ivr/ivr-welcome_to_freeswitch.wav"},
	{"current_application", "playback"}, {"playback_seconds", "4"}, {"playback_ms", "4180"},
	{"playback_samples", "33440"}, {"playback_last_offset_pos", "33440"}, {"read_result", "success"},
	{"menu_choice", "2"}, {"ivr_menu_status", "success"}, {"queue_name", "support@default"},
	{"cc_side", "member"}, {"cc_member_uuid", "8a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d"},
	{"cc_member_session_uuid", "c1e9cef1-bd7f-405c-99e6-610dca15076a"}, {"cc_queue_joined_epoch", "1795412605"},
	{"cc_queue", "support@default"}, {"cc_agent", "1002@pbx.example.net"}, {"cc_agent_type", "callback"},
	{"cc_agent_uuid", "4d5e6f70-8192-4a3b-bc4d-5e6f708192a3"}, {"cc_queue_answered_epoch", "1795412619"},
	{"bridge_channel", "sofia/internal/1002@198.51.100.40:5062"},
	{"bridge_uuid", "4d5e6f70-8192-4a3b-bc4d-5e6f708192a3"}, {"signal_bond", "4d5e6f70-8192-4a3b-bc4d-5e6f708192a3"},
	{"last_bridge_to", "4d5e6f70-8192-4a3b-bc4d-5e6f708192a3"}, {"originate_disposition", "SUCCESS"},
	{"DIALSTATUS", "SUCCESS"}, {"originated_legs", "ARRAY::4d5e6f70-8192-4a3b-bc4d-5e6f708192a3;Outbound Call;1002"},
	{"originate_causes", "ARRAY::4d5e6f70-8192-4a3b-bc4d-5e6f708192a3;NONE"},
	{"bridge_hangup_cause", "NORMAL_CLEARING"}, {"sip_hangup_phrase", "OK"}, {"last_bridge_hangup_cause", "NORMAL_CLEARING"},
	{"last_bridge_proto_specific_hangup_cause", "sip:200"}, {"sip_term_cause", "16"}, {"sip_hangup_disposition", "recv_bye"},
	{"hangup_cause", "NORMAL_CLEARING"}, {"hangup_cause_q850", "16"}, {"digits_dialed", "none"},
	{"start_stamp", "2026-11-23 05:43:21"}, {"profile_start_stamp", "2026-11-23 05:43:21"},
	{"answer_stamp", "2026-11-23 05:43:21"}, {"bridge_stamp", "2026-11-23 05:43:39"},
	{"progress_stamp", "2026-11-23 05:43:21"}, {"progress_media_stamp", "2026-11-23 05:43:21"},
	{"end_stamp", "2026-11-23 05:47:02"}, {"start_epoch", "1795412601"}, {"start_uepoch", "1795412601431793"},
	{"profile_start_epoch", "1795412601"}, {"profile_start_uepoch", "1795412601431793"},
	{"answer_epoch", "1795412601"}, {"answer_uepoch", "1795412601431793"}, {"bridge_epoch", "1795412619"},
	{"bridge_uepoch", "1795412619023118"}, {"last_hold_epoch", "0"}, {"last_hold_uepoch", "0"},
	{"hold_accum_seconds", "0"}, {"hold_accum_usec", "0"}, {"hold_accum_ms", "0"}, {"resurrect_epoch", "0"},
	{"resurrect_uepoch", "0"}, {"progress_epoch", "1795412601"}, {"progress_uepoch", "1795412601431793"},
	{"progress_media_epoch", "1795412601"}, {"progress_media_uepoch", "1795412601431793"},
	{"end_epoch", "1795412822"}, {"end_uepoch", "1795412822660371"}, {"last_app", "bridge"},
	{"last_arg", "user/1002@pbx.example.net"}, {"caller_id", "\"Front Desk\" <1001>"}, {"duration", "221"},
	{"billsec", "221"}, {"progresssec", "0"}, {"answersec", "0"}, {"waitsec", "0"}, {"progress_mediasec", "0"},
	{"flow_billsec", "221"}, {"mduration", "221229"}, {"billmsec", "221229"}, {"progressmsec", "0"},
	{"answermsec", "0"}, {"waitmsec", "0"}, {"progress_mediamsec", "0"}, {"flow_billmsec", "221229"},
	{"uduration", "221228578"}, {"billusec", "221228578"}, {"progressusec", "0"}, {"answerusec", "0"},
	{"waitusec", "0"}, {"progress_mediausec", "0"}, {"flow_billusec", "221228578"},
	{"rtp_audio_in_raw_bytes", "1901352"}, {"rtp_audio_in_media_bytes", "1898112"},
	{"rtp_audio_in_packet_count", "11054"}, {"rtp_audio_in_media_packet_count", "11036"},
	{"rtp_audio_in_skip_packet_count", "4"}, {"rtp_audio_in_jitter_packet_count", "0"},
	{"rtp_audio_in_dtmf_packet_count", "0"}, {"rtp_audio_in_cng_packet_count", "0"},
	{"rtp_audio_in_flush_packet_count", "18"}, {"rtp_audio_in_largest_jb_size", "0"},
	{"rtp_audio_in_jitter_min_variance", "0.06"}, {"rtp_audio_in_jitter_max_variance", "21.73"},
	{"rtp_audio_in_jitter_loss_rate", "0.00"}, {"rtp_audio_in_jitter_burst_rate", "0.00"},
	{"rtp_audio_in_mean_interval", "20.01"}, {"rtp_audio_in_flaw_total", "0"},
	{"rtp_audio_in_quality_percentage", "100.00"}, {"rtp_audio_in_mos", "4.50"},
	{"rtp_audio_out_raw_bytes", "1894604"}, {"rtp_audio_out_media_bytes", "1894604"},
	{"rtp_audio_out_packet_count", "11015"}, {"rtp_audio_out_media_packet_count", "11015"},
	{"rtp_audio_out_skip_packet_count", "0"}, {"rtp_audio_out_dtmf_packet_count", "0"},
	{"rtp_audio_out_cng_packet_count", "0"}, {"rtp_audio_rtcp_packet_count", "44"},
	{"rtp_audio_rtcp_octet_count", "2288"}, {"sip_bye_h_X-Release", "caller"},
}
