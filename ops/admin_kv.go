package ops

import (
	"context"
	"io"
	"net/http"
	"time"
)

// The kv store of the scripts, over HTTP: GET /kv?prefix=P lists keys and
// values, GET /kv/KEY reads one, PUT /kv/KEY (body: the value; ?ttl=10s)
// writes one, DELETE /kv/KEY removes one. Writes need the token when one
// is set, like every state-changing request.

// kvListMax bounds the items of one GET /kv.
const kvListMax = 1000

// kvValueMax bounds the value of one PUT /kv/KEY.
const kvValueMax = 1 << 20

// KVItem is one key and its value in the answers of /kv.
type KVItem struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// KVList is the answer of GET /kv.
type KVList struct {
	Items []KVItem `json:"items"`
	// Truncated reports that more keys matched than kvListMax.
	Truncated bool `json:"truncated,omitempty"`
}

// kvList is GET /kv?prefix=P.
func (a *Admin) kvList(w http.ResponseWriter, r *http.Request) {
	if !a.haveKV(w) {
		return
	}
	ctx := r.Context()
	keys, err := a.opts.KV.KeysContext(ctx, r.URL.Query().Get("prefix"))
	if err != nil {
		a.kvFailed(w, err)
		return
	}
	out := KVList{Items: []KVItem{}}
	if len(keys) > kvListMax {
		keys, out.Truncated = keys[:kvListMax], true
	}
	for _, k := range keys {
		v, ok, err := a.opts.KV.GetContext(ctx, k)
		if err != nil {
			a.kvFailed(w, err)
			return
		}
		if ok {
			out.Items = append(out.Items, KVItem{Key: k, Value: v})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// kvKey is GET, PUT and DELETE /kv/KEY.
func (a *Admin) kvKey(w http.ResponseWriter, r *http.Request) {
	if !a.haveKV(w) {
		return
	}
	key := r.PathValue("key")
	switch r.Method {
	case http.MethodGet:
		a.kvGet(w, r.Context(), key)
	case http.MethodPut:
		a.kvPut(w, r, key)
	default:
		if err := a.opts.KV.DeleteContext(r.Context(), key); err != nil {
			a.kvFailed(w, err)
			return
		}
		writeJSON(w, http.StatusOK, KVItem{Key: key})
	}
}

func (a *Admin) kvGet(w http.ResponseWriter, ctx context.Context, key string) {
	v, ok, err := a.opts.KV.GetContext(ctx, key)
	switch {
	case err != nil:
		a.kvFailed(w, err)
	case !ok:
		writeJSON(w, http.StatusNotFound, errorBody{Error: "admin: kv: no key " + key})
	default:
		writeJSON(w, http.StatusOK, KVItem{Key: key, Value: v})
	}
}

func (a *Admin) kvPut(w http.ResponseWriter, r *http.Request, key string) {
	var ttl time.Duration
	if s := r.URL.Query().Get("ttl"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			writeJSON(w, http.StatusBadRequest, errorBody{Error: "admin: kv: ttl " + s + ": want a duration such as 10s or 5m"})
			return
		}
		ttl = d
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, kvValueMax+1))
	if err != nil || len(body) > kvValueMax {
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "admin: kv: the value must be at most 1 MiB"})
		return
	}
	if err := a.opts.KV.SetContext(r.Context(), key, string(body), ttl); err != nil {
		a.kvFailed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, KVItem{Key: key, Value: string(body)})
}

// haveKV answers 404 when the process gave the endpoint no store.
func (a *Admin) haveKV(w http.ResponseWriter) bool {
	if a.opts.KV == nil {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "admin: this process serves no kv store"})
		return false
	}
	return true
}

// kvFailed answers a store failure (Redis down) with 503.
func (a *Admin) kvFailed(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: a.opts.Redactor.String(err.Error())})
}
