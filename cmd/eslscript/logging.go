package main

import (
	"io"
	"log/slog"

	"github.com/eslscript/eslscript/config"
)

// newLogger builds the process logger from the log settings (already
// validated by config); its level can change at runtime and it scrubs the
// ESL passwords (see newRuntimeLogger in adminlog.go).
func newLogger(w io.Writer, c config.Log) *slog.Logger {
	return newRuntimeLogger(w, c)
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
