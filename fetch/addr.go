package fetch

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// nonPublic lists ranges that the SSRF guard refuses on top of what the
// netip predicates cover (loopback, private, link-local, multicast,
// unspecified). Sources: IANA IPv4/IPv6 special-purpose address registries.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // CGNAT, RFC 6598
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // TEST-NET-1
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, incl. broadcast
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
}

// nat64 embeds an IPv4 address in its low 32 bits (RFC 6052); the embedded
// address is checked instead.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// publicAddr reports whether ip is a globally routable unicast address. It
// is a pure function (no package state is mutated), safe for concurrent use.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	if nat64.Contains(ip) {
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// checkPublic is the default dial guard: it refuses non-public addresses.
func checkPublic(ap netip.AddrPort) error {
	if !publicAddr(ap.Addr()) {
		return fmt.Errorf("%s: %w", ap.Addr(), ErrPrivateAddress)
	}
	return nil
}

// control is the net.Dialer Control hook. It runs after DNS resolution, on
// the exact address about to be connected to, so neither redirects nor DNS
// rebinding can slip a private address past it.
func (c *Client) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		// Not an IP:port; never connect to something we cannot check.
		return fmt.Errorf("dial %s %s: %w", network, address, ErrPrivateAddress)
	}
	return c.dialGuard(ap)
}

// dialer builds the net.Dialer used by the transport.
func (c *Client) dialer() *net.Dialer {
	d := &net.Dialer{Timeout: c.connectTimeout, Resolver: c.opts.Resolver}
	if !c.opts.AllowPrivate {
		d.Control = c.control
	}
	return d
}
