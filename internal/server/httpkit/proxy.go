package httpkit

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/labstack/echo/v4"
)

// ClientIP is where a request comes from: the socket's peer, unless that
// peer is one of the trusted proxies, whose X-Forwarded-For is then read
// from the right, skipping proxies, up to the first address that is not
// one. Echo's defaults would trust loopback and private addresses, and
// without an extractor it trusts X-Forwarded-For from anyone: a login
// throttle keyed on the address would be bypassed by a made-up header.
func ClientIP(proxies []netip.Prefix) echo.IPExtractor {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		_, n, err := net.ParseCIDR(p.String())
		if err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// fromProxy reports whether the request's peer is a trusted proxy.
func (s *Kit) fromProxy(r *http.Request) bool {
	if len(s.proxies) == 0 {
		return false
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a := ap.Addr().Unmap()
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// IsHTTPS reports whether the user reached us over TLS: directly, through
// a trusted proxy that says so, or because the public URL is https.
func (s *Kit) IsHTTPS(r *http.Request) bool {
	if r.TLS != nil || s.https {
		return true
	}
	if !s.fromProxy(r) {
		return false
	}
	// The proxy nearest to us wrote the last value.
	protos := strings.Split(strings.Join(r.Header.Values("X-Forwarded-Proto"), ","), ",")
	return strings.EqualFold(strings.TrimSpace(protos[len(protos)-1]), "https")
}
