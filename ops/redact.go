package ops

import (
	"context"
	"log/slog"
	"strings"
)

// Redacted replaces a secret in scrubbed text.
const Redacted = "[redacted]"

// Redactor scrubs known secrets (the ESL passwords) out of text. The zero
// value scrubs nothing. It is a last line of defence: the esl and config
// packages already keep passwords out of what they print.
type Redactor struct {
	r *strings.Replacer
}

// NewRedactor returns a Redactor for secrets (empty ones are ignored).
func NewRedactor(secrets ...string) Redactor {
	var pairs []string
	for _, s := range secrets {
		if s != "" {
			pairs = append(pairs, s, Redacted)
		}
	}
	if len(pairs) == 0 {
		return Redactor{}
	}
	return Redactor{r: strings.NewReplacer(pairs...)}
}

// String returns s with every secret replaced by Redacted.
func (x Redactor) String(s string) string {
	if x.r == nil {
		return s
	}
	return x.r.Replace(s)
}

// RedactHandler wraps a slog.Handler so that no secret reaches it: the
// message and every string attribute are scrubbed, and any other value
// whose text holds a secret is replaced by its scrubbed text.
func RedactHandler(h slog.Handler, x Redactor) slog.Handler {
	if x.r == nil {
		return h
	}
	return &redactHandler{next: h, x: x}
}

type redactHandler struct {
	next slog.Handler
	x    Redactor
}

// Enabled implements slog.Handler.
func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle implements slog.Handler.
func (h *redactHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.x.String(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = h.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(clean), x: h.x}
}

// WithGroup implements slog.Handler.
func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), x: h.x}
}

// attr scrubs one attribute, recursing into groups.
func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.x.String(v.String()))
	case slog.KindGroup:
		g := v.Group()
		clean := make([]any, len(g))
		for i, ga := range g {
			clean[i] = h.attr(ga)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		if text := anyText(v.Any()); h.x.String(text) != text {
			return slog.String(a.Key, h.x.String(text))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// anyText renders an attribute value the way the text handler would.
func anyText(v any) string {
	switch t := v.(type) {
	case error:
		return t.Error()
	case interface{ String() string }:
		return t.String()
	}
	return slogText(v)
}
