package ops

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
)

// LogTail passes the process's log records to the clients of GET /logs
// while they follow it. Records are copied only while someone follows;
// a client that falls behind loses lines (counted), never slows logging.
type LogTail struct {
	mu   sync.Mutex
	subs map[*tailSub]struct{}
	n    atomic.Int32 // len(subs), read without the lock
}

// NewLogTail returns a tail nobody follows yet.
func NewLogTail() *LogTail { return &LogTail{subs: map[*tailSub]struct{}{}} }

// TailFilter selects the records a follower gets: each set field must
// equal the record's attribute of that name; Level is the lowest level.
type TailFilter struct {
	Script, Call, Node string
	Level              slog.Level
	JSON               bool // lines as JSON objects, else as logfmt text
}

// tailSub is one follower.
type tailSub struct {
	f       TailFilter
	lines   chan []byte
	dropped atomic.Uint64
}

// tailQueue bounds the lines waiting for one follower.
const tailQueue = 1024

// follow adds a follower; stop removes it.
func (t *LogTail) follow(f TailFilter) (*tailSub, func()) {
	s := &tailSub{f: f, lines: make(chan []byte, tailQueue)}
	t.mu.Lock()
	t.subs[s] = struct{}{}
	t.n.Store(int32(len(t.subs)))
	t.mu.Unlock()
	return s, func() {
		t.mu.Lock()
		delete(t.subs, s)
		t.n.Store(int32(len(t.subs)))
		t.mu.Unlock()
	}
}

// Handler returns a handler that passes every record to next and to the
// followers. Put it below any secret scrubbing, so that followers get
// what the log gets.
func (t *LogTail) Handler(next slog.Handler) slog.Handler {
	return &tailHandler{next: next, tail: t}
}

// tailHandler is the handler of LogTail.Handler; ops are the WithAttrs
// and WithGroup calls made on it, replayed when a record is rendered.
type tailHandler struct {
	next slog.Handler
	tail *LogTail
	ops  []tailOp
}

type tailOp struct {
	attrs []slog.Attr
	group string
}

// Enabled implements slog.Handler.
func (h *tailHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// WithAttrs implements slog.Handler.
func (h *tailHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &tailHandler{next: h.next.WithAttrs(as), tail: h.tail, ops: append(h.ops[:len(h.ops):len(h.ops)], tailOp{attrs: as})}
}

// WithGroup implements slog.Handler.
func (h *tailHandler) WithGroup(name string) slog.Handler {
	return &tailHandler{next: h.next.WithGroup(name), tail: h.tail, ops: append(h.ops[:len(h.ops):len(h.ops)], tailOp{group: name})}
}

// Handle implements slog.Handler.
func (h *tailHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.next.Handle(ctx, r)
	if h.tail.n.Load() > 0 {
		h.publish(r)
	}
	return err
}

// publish renders r (once per format) for every follower it matches.
func (h *tailHandler) publish(r slog.Record) {
	keys := h.keys(r)
	var rendered [2][]byte
	h.tail.mu.Lock()
	defer h.tail.mu.Unlock()
	for s := range h.tail.subs {
		if !s.f.match(r.Level, keys) {
			continue
		}
		i := 0
		if s.f.JSON {
			i = 1
		}
		if rendered[i] == nil {
			rendered[i] = h.render(r, s.f.JSON)
		}
		select {
		case s.lines <- rendered[i]:
		default:
			s.dropped.Add(1)
		}
	}
}

// keys collects the record's top-level string attributes a filter reads.
func (h *tailHandler) keys(r slog.Record) map[string]string {
	m := map[string]string{}
	add := func(a slog.Attr) bool {
		switch a.Key {
		case "script", "call", "node":
			m[a.Key] = a.Value.String()
		}
		return true
	}
	for _, op := range h.ops {
		if op.group != "" {
			break // attributes inside a group are not top-level
		}
		for _, a := range op.attrs {
			add(a)
		}
	}
	r.Attrs(add)
	return m
}

// render formats r as one line with the handler's attributes and groups.
func (h *tailHandler) render(r slog.Record, asJSON bool) []byte {
	var b bytes.Buffer
	var out slog.Handler = slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})
	if asJSON {
		out = slog.NewJSONHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})
	}
	for _, op := range h.ops {
		if op.group != "" {
			out = out.WithGroup(op.group)
		} else {
			out = out.WithAttrs(op.attrs)
		}
	}
	if err := out.Handle(context.Background(), r); err != nil {
		return fmt.Appendf(nil, "eslscript: log line not rendered: %v\n", err)
	}
	return b.Bytes()
}

// match reports whether a record of level l with keys passes f.
func (f TailFilter) match(l slog.Level, keys map[string]string) bool {
	return l >= f.Level && (f.Script == "" || keys["script"] == f.Script) &&
		(f.Call == "" || keys["call"] == f.Call) && (f.Node == "" || keys["node"] == f.Node)
}
