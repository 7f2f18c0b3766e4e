package ops

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testWait bounds every wait of these tests.
const testWait = 10 * time.Second

// scrape fetches h's /metrics and returns each sample, keyed by its name
// and labels exactly as exposed (labels sorted by name).
func scrape(t *testing.T, h http.Handler) map[string]float64 {
	t.Helper()
	body := get(t, h, "/metrics", http.StatusOK)
	return parseSamples(t, body)
}

func parseSamples(t *testing.T, body string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// get runs a GET from loopback against h and checks the status code.
func get(t *testing.T, h http.Handler, path string, want int) string {
	t.Helper()
	return do(t, h, http.MethodGet, path, "", want)
}

// do runs one request from 127.0.0.1 against h and checks the status code.
func do(t *testing.T, h http.Handler, method, path, body string, want int) string {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Host = "127.0.0.1:9180" // httptest names example.com, which the admin endpoint refuses
	req.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	if rec.Code != want {
		t.Fatalf("%s %s: status %d, want %d; body:\n%s", method, path, rec.Code, want, b)
	}
	return string(b)
}

// want checks one sample's value.
func want(t *testing.T, samples map[string]float64, key string, v float64) {
	t.Helper()
	got, ok := samples[key]
	if !ok {
		t.Errorf("no sample %s", key)
		return
	}
	if got != v {
		t.Errorf("%s = %v, want %v", key, got, v)
	}
}

// pollUntil calls cond every 10 ms until it is true, failing after testWait.
func pollUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting until %s", what)
		case <-tick.C:
		}
	}
}
