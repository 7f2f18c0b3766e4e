package main

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/ops"
)

// runtimeHandler is the process log handler of `eslscript run`: its level
// can change at runtime (admin /loglevel) and it scrubs the ESL passwords
// once they are known (setSecrets).
type runtimeHandler struct {
	slog.Handler
	level    *slog.LevelVar
	redactor *atomic.Pointer[ops.Redactor]
	tail     *ops.LogTail // followers of the admin endpoint's /logs
}

// newRuntimeLogger builds the process logger like newLogger, with a
// runtime-adjustable level and secret scrubbing.
func newRuntimeLogger(w io.Writer, c config.Log) *slog.Logger {
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
// given to WithAttrs are passed on as they are (the CLI never puts a
// password into one); records are scrubbed.
func (h *runtimeHandler) derive(next slog.Handler) slog.Handler {
	return &runtimeHandler{Handler: next, level: h.level, redactor: h.redactor, tail: h.tail}
}

// logTailOf returns the /logs tail of a logger built by newRuntimeLogger,
// or nil.
func logTailOf(log *slog.Logger) *ops.LogTail {
	if h, ok := log.Handler().(*runtimeHandler); ok {
		return h.tail
	}
	return nil
}

// runtimeParts returns the level and redactor slot of a logger built by
// newRuntimeLogger (nil, nil for any other logger).
func runtimeParts(log *slog.Logger) (*slog.LevelVar, *atomic.Pointer[ops.Redactor]) {
	if h, ok := log.Handler().(*runtimeHandler); ok {
		return h.level, h.redactor
	}
	return nil, nil
}

// setSecrets makes a runtime logger scrub the configured node passwords
// and the kv store's Redis password.
func setSecrets(log *slog.Logger, cfg *config.Config) ops.Redactor {
	x := secretsOf(cfg)
	if _, slot := runtimeParts(log); slot != nil {
		slot.Store(&x)
	}
	return x
}

// secretsOf returns a redactor of cfg's resolved passwords.
func secretsOf(cfg *config.Config) ops.Redactor {
	var pws []string
	for _, n := range cfg.Nodes {
		pws = append(pws, n.Password.Reveal())
	}
	pws = append(pws, cfg.KV.Password.Reveal(), cfg.Admin.Token.Reveal())
	return ops.NewRedactor(pws...)
}

// scrubbing makes a runtime logger scrub cfg's node passwords from now on
// and returns it. hostOptions uses it, so that what the first load logs
// (an init function failing with the password in its message) is already
// scrubbed, before the admin service starts.
func scrubbing(log *slog.Logger, cfg *config.Config) *slog.Logger {
	setSecrets(log, cfg)
	return log
}
