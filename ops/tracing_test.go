package ops

import (
	"context"
	"errors"
	"testing"

	"github.com/eslscript/eslscript/esl/esltest"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestTracingOffUnlessAsked(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want bool
	}{
		{nil, false},
		{map[string]string{"OTEL_SERVICE_NAME": "x"}, false},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, true},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, true},
		{map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, true},
		{map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, false},
		{map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, false},
	}
	for _, c := range cases {
		if got := TracingEnabled(envOf(c.env)); got != c.want {
			t.Errorf("TracingEnabled(%v) = %v, want %v", c.env, got, c.want)
		}
	}
	shutdown, err := SetupTracing(context.Background(), envOf(nil), "test")
	if err != nil || shutdown(context.Background()) != nil {
		t.Fatalf("SetupTracing with no OTEL_* variables: %v", err)
	}
}

func TestTracingRejectsUnsupportedSettings(t *testing.T) {
	for _, env := range []map[string]string{
		{"OTEL_TRACES_EXPORTER": "zipkin"},
		{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
	} {
		if _, err := SetupTracing(context.Background(), envOf(env), "test"); !errors.Is(err, ErrTracingConfig) {
			t.Errorf("SetupTracing(%v) = %v, want ErrTracingConfig", env, err)
		}
	}
}

func TestSpansForSessionsAndCommands(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())
	tr := NewTracer(tp)

	sim := esltest.New(t, esltest.Options{TimeScale: 0.001})
	m := NewMetrics(MetricsOptions{NoProcessMetrics: true})
	c := dialNode(t, sim, "ClueCon", m, discardLogger())
	ctx, end := tr.StartSession(context.Background(), "ivr", "menu", "0b2c6a54-uuid")
	if _, err := Commander("fs1", c, m, tr).API(ctx, "uuid_getvar 0b2c6a54-uuid foo"); err != nil {
		t.Logf("uuid_getvar: %v", err)
	}
	end("NORMAL_CLEARING")

	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want 2", len(spans))
	}
	cmd, sess := spans[0], spans[1]
	if cmd.Name != "esl.command" || sess.Name != "eslscript.session" {
		t.Fatalf("spans %q, %q", cmd.Name, sess.Name)
	}
	if cmd.Parent.SpanID() != sess.SpanContext.SpanID() {
		t.Error("the command span is not a child of the session span")
	}
	attrs := map[string]string{}
	for _, kv := range append(cmd.Attributes, sess.Attributes...) {
		attrs[string(kv.Key)] = kv.Value.String()
	}
	if attrs["esl.command"] != "uuid_getvar" || attrs["eslscript.cause"] != "NORMAL_CLEARING" || attrs["freeswitch.call_uuid"] != "0b2c6a54-uuid" {
		t.Errorf("attributes %v", attrs)
	}
	for _, kv := range cmd.Attributes {
		if kv.Value.String() == "uuid_getvar 0b2c6a54-uuid foo" {
			t.Error("the command's arguments became a span attribute")
		}
	}
}

func TestNilTracerIsNoop(t *testing.T) {
	var tr *Tracer
	ctx, end := tr.StartCommand(context.Background(), "fs1", "status")
	end(nil)
	if ctx == nil {
		t.Fatal("nil context")
	}
}
