package daemon

import (
	"io"
	"log/slog"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/internal/wiring"
)

// NewLogger returns the logger of `eslscript run` for the log settings c:
// text or JSON on w, its level adjustable on admin /loglevel, its records
// followed on admin /logs, scrubbing the configuration's secrets once
// Start has them. Pass it as Options.Logger.
func NewLogger(w io.Writer, c config.Log) *slog.Logger { return wiring.NewLogger(w, c) }
