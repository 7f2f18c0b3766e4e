package ops

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

func TestObserverCountsScraped(t *testing.T) {
	m := NewMetrics(MetricsOptions{NoProcessMetrics: true})
	m.EventReceived("fs1", "CHANNEL_ANSWER")
	m.EventReceived("fs1", "CHANNEL_ANSWER")
	m.EventDispatched("calls", "CHANNEL_ANSWER")
	m.EventDropped("calls", "queue_full")
	m.EventDropped("calls", "some free text")
	m.HandlerDone("calls", "CHANNEL_ANSWER", 3*time.Millisecond, nil, false)
	m.HandlerDone("calls", "CHANNEL_ANSWER", 6*time.Second, errors.New("boom"), true)
	m.SessionStarted("ivr", "menu")
	m.SessionStarted("ivr", "menu")
	m.SessionEnded("ivr", "menu", "NORMAL_CLEARING")
	m.SessionRejected("ivr", "max_calls")
	m.SessionRejected("ivr", "not_allowed")
	m.Reload(true, 2)
	m.Reload(false, 2)
	m.DispatchLag(2 * time.Millisecond)

	s := scrape(t, m.Handler())
	want(t, s, `eslscript_events_received_total{node="fs1"}`, 2)
	want(t, s, `eslscript_events_dispatched_total{script="calls"}`, 1)
	want(t, s, `eslscript_events_dropped_total{reason="queue_full",script="calls"}`, 1)
	want(t, s, `eslscript_events_dropped_total{reason="other",script="calls"}`, 1)
	want(t, s, `eslscript_handler_calls_total{handler="CHANNEL_ANSWER",script="calls"}`, 2)
	want(t, s, `eslscript_handler_errors_total{handler="CHANNEL_ANSWER",script="calls"}`, 1)
	want(t, s, `eslscript_handler_budget_kills_total{handler="CHANNEL_ANSWER",script="calls"}`, 1)
	want(t, s, `eslscript_handler_duration_seconds_count{handler="CHANNEL_ANSWER",script="calls"}`, 2)
	want(t, s, `eslscript_handler_duration_seconds_bucket{handler="CHANNEL_ANSWER",script="calls",le="0.005"}`, 1)
	want(t, s, `eslscript_sessions_started_total{listener="ivr",script="menu"}`, 2)
	want(t, s, `eslscript_sessions_active{listener="ivr",script="menu"}`, 1)
	want(t, s, `eslscript_sessions_ended_total{cause="NORMAL_CLEARING",listener="ivr",script="menu"}`, 1)
	want(t, s, `eslscript_sessions_rejected_total{listener="ivr",reason="max_calls"}`, 1)
	want(t, s, `eslscript_sessions_rejected_total{listener="ivr",reason="not_allowed"}`, 1)
	want(t, s, `eslscript_reloads_total{result="ok"}`, 1)
	want(t, s, `eslscript_reloads_total{result="failed"}`, 1)
	want(t, s, `eslscript_generation`, 2)
	want(t, s, `eslscript_dispatch_lag_seconds_count`, 1)
}

func TestNodeStateAndReconnects(t *testing.T) {
	m := NewMetrics(MetricsOptions{NoProcessMetrics: true})
	m.OnState(esl.StateChange{Node: "fs1", State: esl.StateConnected})
	s := scrape(t, m.Handler())
	want(t, s, `eslscript_node_up{node="fs1"}`, 1)
	want(t, s, `eslscript_node_reconnects_total{node="fs1"}`, 0)

	m.OnState(esl.StateChange{Node: "fs1", State: esl.StateLost, Err: errors.New("EOF")})
	m.OnState(esl.StateChange{Node: "fs1", State: esl.StateReconnecting, Attempt: 1})
	s = scrape(t, m.Handler())
	want(t, s, `eslscript_node_up{node="fs1"}`, 0)
	want(t, s, `eslscript_node_state{node="fs1",state="reconnecting"}`, 1)
	want(t, s, `eslscript_node_state{node="fs1",state="connected"}`, 0)

	m.OnState(esl.StateChange{Node: "fs1", State: esl.StateConnected, Attempt: 1})
	s = scrape(t, m.Handler())
	want(t, s, `eslscript_node_up{node="fs1"}`, 1)
	want(t, s, `eslscript_node_reconnects_total{node="fs1"}`, 1)
}

func TestCommandLabelsBounded(t *testing.T) {
	m := NewMetrics(MetricsOptions{NoProcessMetrics: true})
	m.CommandDone("fs1", "uuid_kill 0b2c6a54-1f5e-4f3a-9a8e-2d2a8b1c9f00 NORMAL_CLEARING", time.Millisecond, nil)
	m.CommandDone("fs1", "api status", time.Millisecond, nil)
	m.CommandDone("fs1", "rm -rf /secret-thing", time.Millisecond, errors.New("-ERR"))
	s := scrape(t, m.Handler())
	want(t, s, `eslscript_command_duration_seconds_count{command="uuid_kill",node="fs1"}`, 1)
	want(t, s, `eslscript_command_duration_seconds_count{command="status",node="fs1"}`, 1)
	want(t, s, `eslscript_command_errors_total{command="other",node="fs1"}`, 1)
	body := get(t, m.Handler(), "/metrics", 200)
	for _, leak := range []string{"0b2c6a54", "secret-thing"} {
		if strings.Contains(body, leak) {
			t.Errorf("free text %q became a label", leak)
		}
	}
}

func TestSessionCauseBounded(t *testing.T) {
	cases := map[string]string{
		"NORMAL_CLEARING": "NORMAL_CLEARING", "ok": "ok", "budget": "budget",
		"call dropped by 10.0.0.1": "OTHER", "": "OTHER",
	}
	for in, out := range cases {
		if got := SessionCause(in); got != out {
			t.Errorf("SessionCause(%q) = %q, want %q", in, got, out)
		}
	}
}

func TestNameLabelsCapped(t *testing.T) {
	m := NewMetrics(MetricsOptions{NoProcessMetrics: true, MaxLabelValues: 3})
	for i := range 10 {
		m.EventDispatched(fmt.Sprintf("s%d", i), "X")
	}
	s := scrape(t, m.Handler())
	want(t, s, `eslscript_events_dispatched_total{script="s2"}`, 1)
	want(t, s, `eslscript_events_dispatched_total{script="other"}`, 7)
}

func TestLuaStatesCollected(t *testing.T) {
	m := NewMetrics(MetricsOptions{NoProcessMetrics: true})
	m.WatchLuaStates(func() map[string]int { return map[string]int{"menu": 4} })
	want(t, scrape(t, m.Handler()), `eslscript_lua_states{script="menu"}`, 4)
}
