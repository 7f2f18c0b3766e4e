package ops

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// send runs one request from loopback with the given Host and headers and
// returns the status code.
func send(h http.Handler, method, path, host string, headers map[string]string) int {
	req := httptest.NewRequest(method, path, nil)
	req.Host = host
	req.RemoteAddr = "127.0.0.1:40000"
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// A page on another site cannot drive the endpoint from a browser: a
// cross-site POST is refused (CSRF), and a request naming a DNS name in
// Host (DNS rebinding) is refused even for GET; curl-like clients and IP
// or localhost Hosts pass.
func TestAdminRefusesBrowserAttacks(t *testing.T) {
	src := newFake()
	a := NewAdmin(AdminOptions{Source: src, Hosts: []string{"fs-admin.internal"}})
	h := a.Handler()
	cases := []struct {
		name, method, path, host string
		headers                  map[string]string
		want                     int
	}{
		{"cli reload", http.MethodPost, "/reload", "127.0.0.1:9180", nil, http.StatusOK},
		{"localhost status", http.MethodGet, "/status", "localhost:9180", nil, http.StatusOK},
		{"ipv6 status", http.MethodGet, "/status", "[::1]:9180", nil, http.StatusOK},
		{"configured name", http.MethodGet, "/status", "fs-admin.internal:9180", nil, http.StatusOK},
		{"rebinding status", http.MethodGet, "/status", "evil.example:9180", nil, http.StatusMisdirectedRequest},
		{"rebinding reload", http.MethodPost, "/reload", "evil.example", nil, http.StatusMisdirectedRequest},
		{"cross-site reload", http.MethodPost, "/reload", "127.0.0.1:9180",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, http.StatusForbidden},
		{"cross-origin loglevel", http.MethodPut, "/loglevel", "127.0.0.1:9180",
			map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
	}
	for _, c := range cases {
		if got := send(h, c.method, c.path, c.host, c.headers); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
	if src.reloads != 1 {
		t.Errorf("%d reloads ran, want 1 (the CLI's)", src.reloads)
	}
}

// With a token, state-changing requests need it; reads do not.
func TestAdminTokenGuardsMutations(t *testing.T) {
	src := newFake()
	h := NewAdmin(AdminOptions{Source: src, Token: "tok-123"}).Handler()
	host := "127.0.0.1:9180"
	if got := send(h, http.MethodPost, "/reload", host, nil); got != http.StatusUnauthorized {
		t.Errorf("reload without token: %d", got)
	}
	if got := send(h, http.MethodPost, "/reload", host, map[string]string{"Authorization": "Bearer nope"}); got != http.StatusUnauthorized {
		t.Errorf("reload with a wrong token: %d", got)
	}
	if got := send(h, http.MethodPost, "/reload", host, map[string]string{"Authorization": "Bearer tok-123"}); got != http.StatusOK {
		t.Errorf("reload with the token: %d", got)
	}
	if got := send(h, http.MethodGet, "/status", host, nil); got != http.StatusOK {
		t.Errorf("status without token: %d", got)
	}
	if src.reloads != 1 {
		t.Errorf("%d reloads ran, want 1", src.reloads)
	}
}
