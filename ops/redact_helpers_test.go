package ops

import (
	"io"
	"log/slog"
)

func newRedactedJSON(w io.Writer, secret string) *slog.Logger {
	return slog.New(RedactHandler(slog.NewJSONHandler(w, nil), NewRedactor(secret)))
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
