package ops

import (
	"net/http"
	"net/netip"
)

// LoopbackOnly is the admin allow-list used when none is configured.
var LoopbackOnly = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// AllowList serves next only to clients whose address (r.RemoteAddr, not
// any forwarding header) is inside one of allow; others get 403 and
// refused is called (if not nil). An empty allow means LoopbackOnly.
func AllowList(allow []netip.Prefix, refused func(), next http.Handler) http.Handler {
	if len(allow) == 0 {
		allow = LoopbackOnly
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed(allow, r.RemoteAddr) {
			if refused != nil {
				refused()
			}
			writeJSON(w, http.StatusForbidden, errorBody{Error: "forbidden: client address not in admin.allow"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// allowed reports whether the host:port remote is inside one of allow.
func allowed(allow []netip.Prefix, remote string) bool {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap().WithZone("")
	for _, p := range allow {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
