package ops

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// ErrTracingConfig is matched by SetupTracing's errors about an OTEL_*
// setting it cannot honour.
var ErrTracingConfig = errors.New("ops: unsupported tracing configuration")

// TracingEnabled reports whether the OTEL_* environment (read through
// lookup) asks for traces: OTEL_EXPORTER_OTLP_ENDPOINT,
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_TRACES_EXPORTER=otlp is set,
// and neither OTEL_SDK_DISABLED=true nor OTEL_TRACES_EXPORTER=none.
func TracingEnabled(lookup func(string) (string, bool)) bool {
	get := func(k string) string { v, _ := lookup(k); return strings.TrimSpace(v) }
	if strings.EqualFold(get("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	switch strings.ToLower(get("OTEL_TRACES_EXPORTER")) {
	case "none":
		return false
	case "":
		return get("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
	}
	return true
}

// checkTracingEnv rejects OTEL_* values this build cannot serve: only the
// otlp exporter over http/protobuf is compiled in.
func checkTracingEnv(lookup func(string) (string, bool)) error {
	get := func(k string) string { v, _ := lookup(k); return strings.ToLower(strings.TrimSpace(v)) }
	if e := get("OTEL_TRACES_EXPORTER"); e != "" && e != "otlp" {
		return fmt.Errorf("%w: OTEL_TRACES_EXPORTER=%q (supported: otlp, none)", ErrTracingConfig, e)
	}
	for _, k := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if p := get(k); p != "" && p != "http/protobuf" {
			return fmt.Errorf("%w: %s=%q (supported: http/protobuf)", ErrTracingConfig, k, p)
		}
	}
	return nil
}

// SetupTracing installs the global OpenTelemetry tracer provider when the
// environment asks for it (TracingEnabled); otherwise it does nothing and
// spans are no-ops. The exporter, sampler, batching and resource are
// configured by the standard variables (OTEL_EXPORTER_OTLP_*,
// OTEL_TRACES_SAMPLER*, OTEL_BSP_*, OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES); the service name defaults to "eslscript".
// The returned function flushes and stops the exporter; call it on exit.
func SetupTracing(ctx context.Context, lookup func(string) (string, bool), version string) (shutdown func(context.Context) error, err error) {
	noop := func(context.Context) error { return nil }
	if !TracingEnabled(lookup) {
		return noop, nil
	}
	if err := checkTracingEnv(lookup); err != nil {
		return noop, err
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return noop, fmt.Errorf("ops: tracing exporter: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(tracingResource(ctx, version)))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return tp.Shutdown, nil
}

// tracingResource describes the process; OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES override the defaults.
func tracingResource(ctx context.Context, version string) *resource.Resource {
	base := resource.NewSchemaless(semconv.ServiceName("eslscript"), semconv.ServiceVersion(version))
	env, err := resource.New(ctx, resource.WithFromEnv(), resource.WithProcessPID(), resource.WithHost())
	if err != nil && env == nil {
		return base
	}
	merged, err := resource.Merge(base, env)
	if err != nil {
		return base
	}
	return merged
}
