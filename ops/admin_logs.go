package ops

import (
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// logs streams the log lines that match the query (script, call, node,
// level; format=json for JSON lines) as they are logged, until the
// client goes away or the endpoint closes. Lines a slow client could not
// take are dropped and counted in a notice line.
func (a *Admin) logs(w http.ResponseWriter, r *http.Request) {
	if a.opts.Logs == nil {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "admin: this process serves no log tail"})
		return
	}
	f, err := tailFilterOf(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: err.Error()})
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's WriteTimeout
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if f.JSON {
		w.Header().Set("Content-Type", "application/x-ndjson")
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	sub, stop := a.opts.Logs.follow(f)
	defer stop()
	if rc.Flush() != nil {
		return
	}
	var reported uint64
	for {
		select {
		case <-r.Context().Done():
			return
		case <-a.closing:
			return
		case line := <-sub.lines:
			if d := sub.dropped.Load(); d > reported {
				fmt.Fprintf(w, "eslscript: %d log lines dropped (this client fell behind)\n", d-reported)
				reported = d
			}
			if _, err := w.Write(line); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// tailFilterOf reads a TailFilter from /logs's query.
func tailFilterOf(q url.Values) (TailFilter, error) {
	f := TailFilter{Script: q.Get("script"), Call: q.Get("call"), Node: q.Get("node"), JSON: q.Get("format") == "json"}
	if lv := q.Get("level"); lv != "" {
		if err := f.Level.UnmarshalText([]byte(lv)); err != nil {
			return f, fmt.Errorf("admin: level %q: want debug, info, warn or error", lv)
		}
	}
	if fm := q.Get("format"); fm != "" && fm != "json" && fm != "text" {
		return f, fmt.Errorf("admin: format %q: want text or json", fm)
	}
	return f, nil
}
