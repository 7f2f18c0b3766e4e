package scripttest

import (
	"context"
	"log/slog"
	"strings"
	"sync"
)

// logLine is one captured log record.
type logLine struct {
	level  slog.Level
	msg    string
	fields []slog.Attr // in order: handler attrs first, then the record's
}

// field returns the value of the first attribute called key.
func (l logLine) field(key string) (string, bool) {
	for _, a := range l.fields {
		if a.Key == key {
			return a.Value.String(), true
		}
	}
	return "", false
}

// fromScript reports whether a line was written by a script (log module or
// session:consoleLog) rather than by the host or a binding about itself.
func (l logLine) fromScript() bool {
	if _, ok := l.field("script"); !ok {
		return false
	}
	return !strings.HasPrefix(l.msg, "host: ") && !strings.HasPrefix(l.msg, "bindings: ")
}

// logSink stores every record of the loggers built on it.
type logSink struct {
	mu    sync.Mutex
	lines []logLine
}

// lines returns a copy of the captured lines.
func (s *logSink) all() []logLine {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]logLine(nil), s.lines...)
}

// count returns how many lines were captured (an activity signal).
func (s *logSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.lines)
}

// logger returns a debug-level logger writing into s.
func (s *logSink) logger() *slog.Logger { return slog.New(&captureHandler{sink: s}) }

// captureHandler is the slog.Handler of a logSink.
type captureHandler struct {
	sink  *logSink
	attrs []slog.Attr
	group string
}

// Enabled implements slog.Handler: everything, debug included.
func (h *captureHandler) Enabled(context.Context, slog.Level) bool { return true }

// Handle implements slog.Handler.
func (h *captureHandler) Handle(_ context.Context, r slog.Record) error {
	line := logLine{level: r.Level, msg: r.Message, fields: append([]slog.Attr(nil), h.attrs...)}
	r.Attrs(func(a slog.Attr) bool {
		line.fields = append(line.fields, h.qualify(a))
		return true
	})
	h.sink.mu.Lock()
	h.sink.lines = append(h.sink.lines, line)
	h.sink.mu.Unlock()
	return nil
}

// WithAttrs implements slog.Handler.
func (h *captureHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range as {
		c.attrs = append(c.attrs, h.qualify(a))
	}
	return &c
}

// WithGroup implements slog.Handler (groups become "group.key" names).
func (h *captureHandler) WithGroup(name string) slog.Handler {
	c := *h
	c.group = h.qualify(slog.String(name, "")).Key
	return &c
}

func (h *captureHandler) qualify(a slog.Attr) slog.Attr {
	if h.group != "" {
		a.Key = h.group + "." + a.Key
	}
	return a
}

var _ slog.Handler = (*captureHandler)(nil)
