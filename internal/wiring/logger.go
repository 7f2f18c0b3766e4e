package wiring

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/ops"
)

// runtimeHandler is the process log handler: its level can change at
// runtime (admin /loglevel), followers of admin /logs get its records, and
// it scrubs the configuration's secrets once they are known (Scrub).
type runtimeHandler struct {
	slog.Handler
	level    *slog.LevelVar
	redactor *atomic.Pointer[ops.Redactor]
	tail     *ops.LogTail // followers of the admin endpoint's /logs
}

// NewLogger builds the process logger from the log settings (already
// validated by config): text or JSON on w, its level adjustable at
// runtime (Level), its records followed by admin /logs (Tail), scrubbing
// the secrets Scrub gives it.
func NewLogger(w io.Writer, c config.Log) *slog.Logger {
	lv := new(slog.LevelVar)
	lv.Set(level(c.Level))
	opts := &slog.HandlerOptions{Level: lv}
	var base slog.Handler = slog.NewTextHandler(w, opts)
	if c.Format == "json" {
		base = slog.NewJSONHandler(w, opts)
	}
	tail := ops.NewLogTail()
	return slog.New(&runtimeHandler{Handler: tail.Handler(base), level: lv, redactor: new(atomic.Pointer[ops.Redactor]), tail: tail})
}

func level(s string) slog.Level {
	switch s {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// Handle implements slog.Handler, scrubbing secrets when set.
func (h *runtimeHandler) Handle(ctx context.Context, r slog.Record) error {
	if x := h.redactor.Load(); x != nil {
		return ops.RedactHandler(h.Handler, *x).Handle(ctx, r)
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h *runtimeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return h.derive(h.Handler.WithAttrs(as))
}

// WithGroup implements slog.Handler.
func (h *runtimeHandler) WithGroup(name string) slog.Handler {
	return h.derive(h.Handler.WithGroup(name))
}

// derive keeps the level and redactor for a derived handler. Attributes
// given to WithAttrs are passed on as they are (nothing puts a password
// into one); records are scrubbed.
func (h *runtimeHandler) derive(next slog.Handler) slog.Handler {
	return &runtimeHandler{Handler: next, level: h.level, redactor: h.redactor, tail: h.tail}
}

// Tail returns the /logs tail of a logger built by NewLogger, or nil.
func Tail(log *slog.Logger) *ops.LogTail {
	if h, ok := log.Handler().(*runtimeHandler); ok {
		return h.tail
	}
	return nil
}

// Level returns the adjustable level of a logger built by NewLogger, or
// nil.
func Level(log *slog.Logger) *slog.LevelVar {
	if h, ok := log.Handler().(*runtimeHandler); ok {
		return h.level
	}
	return nil
}

// Scrub makes a logger built by NewLogger scrub cfg's resolved secrets
// (node passwords, the kv store's Redis password, the admin token) from
// now on, and returns their redactor.
func Scrub(log *slog.Logger, cfg *config.Config) ops.Redactor {
	x := Secrets(cfg)
	if h, ok := log.Handler().(*runtimeHandler); ok {
		h.redactor.Store(&x)
	}
	return x
}

// Secrets returns a redactor of cfg's resolved secrets.
func Secrets(cfg *config.Config) ops.Redactor {
	var pws []string
	for _, n := range cfg.Nodes {
		pws = append(pws, n.Password.Reveal())
	}
	pws = append(pws, cfg.KV.Password.Reveal(), cfg.Admin.Token.Reveal())
	return ops.NewRedactor(pws...)
}
