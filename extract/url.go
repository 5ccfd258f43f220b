package extract

import (
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query keys that identify a click, a campaign or a cache
// slot rather than the resource. They are removed from links, images and
// article URLs so that the same article always renders to the same bytes.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "mc_cid": true, "mc_eid": true, "igshid": true, "yclid": true,
	"_ga": true, "_gl": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true,
	"at_medium": true, "at_campaign": true, "at_custom1": true, "at_custom2": true,
	"at_custom3": true, "at_custom4": true, "at_ptr_name": true, "at_link_id": true,
	"at_link_origin": true, "at_link_type": true, "at_format": true, "at_bbc_team": true,
	"cmpid": true, "cmp": true, "ocid": true, "smid": true, "smtyp": true, "sr_share": true,
	"ito": true, "int_source": true, "int_medium": true, "int_campaign": true,
	"ns_mchannel": true, "ns_source": true, "ns_campaign": true, "ns_linkname": true,
	"ns_fee": true, "xtor": true, "ref": true, "referrer": true, "share": true,
	"cb": true, "cachebust": true, "cache_bust": true, "_": true, "nocache": true,
	"rand": true, "random": true, "timestamp": true, "ts": true, "__twitter_impression": true,
	"guccounter": true, "guce_referrer": true, "guce_referrer_sig": true,
	"soc_src": true, "soc_trk": true, "taid": true, "partner": true, "via": true,
	"traffic_source": true, "trk": true, "trkid": true, "spm": true, "s_cid": true,
	"mbid": true, "rss": true, "CMP": true, "icid": true, "intcmp": true, "INTCMP": true,
}

// IsTrackingParam reports whether the query key k names a tracking,
// campaign or cache-busting parameter: any utm_* key, or a key in stet's
// list (fbclid, gclid, at_medium, ...). The match ignores case.
func IsTrackingParam(k string) bool {
	lk := strings.ToLower(k)
	if strings.HasPrefix(lk, "utm_") || strings.HasPrefix(lk, "at_") || strings.HasPrefix(lk, "pk_") || strings.HasPrefix(lk, "mtm_") {
		return true
	}
	return trackingParams[k] || trackingParams[lk]
}

// CleanURL returns u without its fragment and tracking parameters, with a
// lower-case scheme and host, no default port and the remaining query keys
// in sorted order. It returns a new value and never modifies u. A URL that
// is not http or https is returned with only its fragment removed.
func CleanURL(u *url.URL) *url.URL {
	c := *u
	c.Fragment = ""
	c.RawFragment = ""
	if c.User != nil {
		c.User = nil
	}
	c.Scheme = strings.ToLower(c.Scheme)
	if c.Scheme != "http" && c.Scheme != "https" {
		return &c
	}
	host := strings.ToLower(c.Host)
	if h, port, ok := strings.Cut(host, ":"); ok && !strings.Contains(port, ":") {
		if (c.Scheme == "http" && port == "80") || (c.Scheme == "https" && port == "443") || port == "" {
			host = h
		}
	}
	c.Host = strings.TrimRight(host, ".") // "example.com." and "example.com.." name the same host
	if c.Path == "" {
		c.Path = "/"
		c.RawPath = ""
	}
	if c.RawQuery != "" {
		c.RawQuery = cleanQuery(c.RawQuery)
	}
	c.ForceQuery = false
	return &c
}

// cleanQuery drops tracking keys and sorts the rest by key, keeping the
// order of repeated keys, so that equivalent queries compare equal.
func cleanQuery(raw string) string {
	type kv struct{ k, raw string }
	var kept []kv
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, _, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		if IsTrackingParam(key) {
			continue
		}
		kept = append(kept, kv{key, part})
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].k < kept[j].k })
	parts := make([]string, len(kept))
	for i, p := range kept {
		parts[i] = p.raw
	}
	return strings.Join(parts, "&")
}

// CleanURLString parses raw, cleans it with [CleanURL] and returns it as a
// string. A string that does not parse is returned unchanged.
func CleanURLString(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return raw
	}
	return CleanURL(u).String()
}
