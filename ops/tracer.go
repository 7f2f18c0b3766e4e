package ops

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// instrumentation names this package's tracer.
const instrumentation = "github.com/eslscript/eslscript/ops"

// Tracer starts the spans of outbound sessions and ESL commands. A nil
// *Tracer is valid and traces nothing. Span attributes hold bounded values
// plus the call uuid; never a command's arguments.
type Tracer struct {
	t trace.Tracer
}

// NewTracer returns a Tracer on tp (the global provider when nil, which is
// a no-op unless SetupTracing installed one).
func NewTracer(tp trace.TracerProvider) *Tracer {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	return &Tracer{t: tp.Tracer(instrumentation)}
}

// StartSession starts the span of one outbound call ("eslscript.session");
// call end with the session's outcome or hangup cause when the script
// returns.
func (t *Tracer) StartSession(ctx context.Context, listener, script, uuid string) (context.Context, func(cause string)) {
	if t == nil {
		return ctx, func(string) {}
	}
	ctx, span := t.t.Start(ctx, "eslscript.session", trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(
		attribute.String("eslscript.listener", listener),
		attribute.String("eslscript.script", script),
		attribute.String("freeswitch.call_uuid", uuid),
	))
	return ctx, func(cause string) {
		c := SessionCause(cause)
		span.SetAttributes(attribute.String("eslscript.cause", c))
		if c == "error" || c == "budget" {
			span.SetStatus(codes.Error, c)
		}
		span.End()
	}
}

// StartCommand starts the span of one ESL command ("esl.command"); cmd is
// reduced to its bounded command word (CommandLabel). Call end with the
// command's error.
func (t *Tracer) StartCommand(ctx context.Context, node, cmd string) (context.Context, func(err error)) {
	if t == nil {
		return ctx, func(error) {}
	}
	ctx, span := t.t.Start(ctx, "esl.command", trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		attribute.String("eslscript.node", node),
		attribute.String("esl.command", CommandLabel(cmd)),
	))
	return ctx, func(err error) {
		if err != nil {
			span.SetStatus(codes.Error, "command failed")
		}
		span.End()
	}
}
