package ops

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
)

// levelBody is the JSON of /loglevel.
type levelBody struct {
	Level string `json:"level"`
}

// logLevel is GET /loglevel (the current level) and PUT /loglevel with
// {"level":"debug"} (debug, info, warn or error).
func (a *Admin) logLevel(w http.ResponseWriter, r *http.Request) {
	lv := a.opts.Level
	if lv == nil {
		writeJSON(w, http.StatusNotImplemented, errorBody{Error: "log level is not adjustable"})
		return
	}
	if r.Method == http.MethodPut {
		l, ok := readLevel(w, r)
		if !ok {
			writeJSON(w, http.StatusBadRequest, errorBody{Error: `want {"level":"debug|info|warn|error"}`})
			return
		}
		lv.Set(l)
		a.opts.Logger.Info("ops: log level changed", "level", LevelName(l))
	}
	writeJSON(w, http.StatusOK, levelBody{Level: LevelName(lv.Level())})
}

// readLevel decodes a PUT /loglevel body.
func readLevel(w http.ResponseWriter, r *http.Request) (slog.Level, bool) {
	var b levelBody
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&b); err != nil {
		return 0, false
	}
	return ParseLevel(b.Level)
}

// ParseLevel parses debug, info, warn or error (any case).
func ParseLevel(s string) (slog.Level, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "warn", "warning":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	}
	return 0, false
}

// LevelName is the lower-case name of l, as ParseLevel reads it.
func LevelName(l slog.Level) string { return strings.ToLower(l.String()) }
