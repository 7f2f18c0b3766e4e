package ops

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
)

// The admin endpoint listens on loopback by default, which a browser on the
// same machine can reach: a web page could POST /reload (cross-site
// request forgery) or, by pointing a DNS name of its own at 127.0.0.1,
// read /status as same-origin (DNS rebinding). Three checks close that:
//   - the Host header must be an IP address or "localhost" (or a name in
//     AdminOptions.Hosts): a rebinding page sends its own domain name;
//   - state-changing requests from a browser on another origin are refused
//     (net/http's CrossOriginProtection: Sec-Fetch-Site, Origin);
//   - with AdminOptions.Token set, /reload and PUT /loglevel also need
//     "Authorization: Bearer <token>".

// browserGuard wraps next with the Host check, CSRF protection and the
// token check of mutating requests.
func (a *Admin) browserGuard(next http.Handler) http.Handler {
	csrf := http.NewCrossOriginProtection()
	inner := csrf.Handler(a.tokenGuard(next))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.hostAllowed(r.Host) {
			a.refuse(w, "admin: Host header not allowed (use an IP address or localhost)", http.StatusMisdirectedRequest)
			return
		}
		inner.ServeHTTP(w, r)
	})
}

// hostAllowed accepts IP literals, localhost and the configured names.
func (a *Admin) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" || net.ParseIP(host) != nil || strings.EqualFold(host, "localhost") {
		return true
	}
	for _, name := range a.opts.Hosts {
		if strings.EqualFold(host, name) {
			return true
		}
	}
	return false
}

// tokenGuard requires the bearer token on state-changing requests when a
// token is configured.
func (a *Admin) tokenGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		safe := r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions
		if a.opts.Token != "" && !safe {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(a.opts.Token)) != 1 {
				a.refuse(w, "admin: missing or wrong bearer token", http.StatusUnauthorized)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// refuse answers a refused request and counts it.
func (a *Admin) refuse(w http.ResponseWriter, msg string, code int) {
	if a.opts.Metrics != nil {
		a.opts.Metrics.AdminRefused()
	}
	http.Error(w, msg, code)
}
