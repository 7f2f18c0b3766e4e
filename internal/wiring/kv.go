package wiring

import (
	"context"
	"log/slog"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/bindings/rediskv"
	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/esl"
)

// OpenKV returns the kv store cfg.KV asks for and its closer: nil for the
// memory backend (the host then makes its own), a Redis store otherwise.
// Resolve must have read the password. A Redis that does not answer is
// only warned about: scripts get nil, err from kv until it does.
func OpenKV(ctx context.Context, cfg *config.Config, log *slog.Logger) (bindings.KV, func()) {
	if cfg.KV.Backend != config.KVRedis {
		return nil, func() {}
	}
	s := rediskv.New(rediskv.Options{
		Address: cfg.KV.Address, Password: cfg.KV.Password.Reveal(), DB: cfg.KV.DB,
		Prefix: cfg.KV.Prefix, Timeout: cfg.KV.Timeout, Logger: log,
	})
	if err := s.Ping(ctx); err != nil {
		log.Warn("eslscript: kv: redis does not answer; kv calls fail until it does",
			"address", cfg.KV.Address, "error", err)
	} else {
		log.Info("eslscript: kv: redis", "address", cfg.KV.Address, "db", cfg.KV.DB, "prefix", cfg.KV.Prefix)
	}
	return s, func() { _ = s.Close() }
}

// EventFormat is the esl format of a node's event_format.
func EventFormat(n config.Node) esl.Format {
	if n.EventFormat == config.EventFormatJSON {
		return esl.FormatJSON
	}
	return esl.FormatPlain
}
