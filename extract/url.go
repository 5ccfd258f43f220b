package extract

import (
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
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

// imageExts are the file extensions that make an image URL's path name the
// file by itself, so that its query can only be a size, a format, a cache
// slot or a signature: never which picture it is.
var imageExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".jpe": true, ".png": true, ".gif": true,
	".webp": true, ".avif": true, ".svg": true, ".bmp": true, ".tif": true,
	".tiff": true, ".heic": true, ".heif": true, ".jxl": true, ".ico": true,
}

// signedParams are query keys of signed or expiring URLs (S3, Google Cloud
// Storage, CloudFront, Akamai and the generic forms): they change whenever
// the URL is minted again, while the resource stays the same.
var signedParams = map[string]bool{
	"signature": true, "sig": true, "expires": true, "expiry": true, "exp": true,
	"key-pair-id": true, "policy": true, "token": true, "__token__": true,
	"hdnts": true, "hmac": true, "auth": true, "authkey": true, "se": true,
	"sp": true, "sv": true, "sr": true, "skoid": true, "sktid": true,
}

// IsSignedParam reports whether the query key k is part of a URL signature
// or expiry rather than of the resource's name: X-Amz-*, X-Goog-*, and the
// usual names of CloudFront, Akamai and Azure signed URLs. The match
// ignores case.
func IsSignedParam(k string) bool {
	lk := strings.ToLower(k)
	return strings.HasPrefix(lk, "x-amz-") || strings.HasPrefix(lk, "x-goog-") || signedParams[lk]
}

// CleanImageURL is [CleanURL] for the source of an image. When the path
// names an image file (it ends in .jpg, .png, .webp, ...) the query is
// dropped entirely: on such URLs it only ever holds sizes, formats, cache
// busters with arbitrary names (?v=, ?_=, ?1699999999) and signatures, so
// keeping it made one picture render differently on every request. Other
// image URLs (/image?id=5) keep their query, less tracking and signature
// keys ([IsSignedParam]).
func CleanImageURL(u *url.URL) *url.URL {
	c := CleanURL(u)
	if c.Scheme != "http" && c.Scheme != "https" || c.RawQuery == "" {
		return c
	}
	if imageExts[strings.ToLower(path.Ext(c.Path))] {
		c.RawQuery = ""
		return c
	}
	var kept []string
	for part := range strings.SplitSeq(c.RawQuery, "&") {
		k, _, _ := strings.Cut(part, "=")
		if key, err := url.QueryUnescape(k); err == nil && IsSignedParam(key) {
			continue
		}
		kept = append(kept, part)
	}
	c.RawQuery = strings.Join(kept, "&")
	return c
}

// ImageURL resolves the image source ref against base and cleans it with
// [CleanImageURL]. It returns "" when ref is empty, a data: URI or not an
// http(s) URL.
func ImageURL(base *url.URL, ref string) string {
	u := resolveHTTP(base, ref) // a data: URI is no http(s) URL
	if u == nil {
		return ""
	}
	return strings.ToValidUTF8(CleanImageURL(u).String(), "")
}

// lazyAttrs are the attributes lazy loaders keep the real source in until
// a script copies it into src.
var lazyAttrs = []string{
	"data-src", "data-lazy-src", "data-original", "data-lazy", "data-url",
	"data-full-src", "data-hi-res-src", "data-actualsrc", "data-echo",
}

// ImageSource picks the real source of an <img> whose attributes attr
// returns ("" when absent). A lazy loader's data-src (and its kin) comes
// before src, because src is then a placeholder that a script swaps for
// it, and pages are served both before and after the swap. Then src,
// unless it looks like a placeholder; then the widest candidate of srcset
// or data-srcset, so the same set in another order gives the same image.
// It returns "" when there is no real source.
func ImageSource(attr func(string) string) string {
	for _, k := range lazyAttrs {
		if v := strings.TrimSpace(attr(k)); v != "" && !IsPlaceholderImage(v) {
			return v
		}
	}
	if v := strings.TrimSpace(attr("src")); v != "" && !IsPlaceholderImage(v) {
		return v
	}
	for _, k := range []string{"srcset", "data-srcset", "data-lazy-srcset"} {
		if v := BestSrcset(attr(k)); v != "" && !IsPlaceholderImage(v) {
			return v
		}
	}
	return ""
}

// placeholderWords mark the file name of an image that stands in for the
// real one while it loads.
var placeholderWords = []string{"placeholder", "lazy", "blank", "spacer", "transparent", "loading", "loader", "1x1", "pixel", "dummy", "empty", "grey.", "gray."}

// IsPlaceholderImage reports whether the image source ref is a stand-in:
// a data: URI, or a file whose name says placeholder, lazy, blank,
// spacer, transparent, loading, 1x1, ...
func IsPlaceholderImage(ref string) bool {
	r := strings.ToLower(strings.TrimSpace(ref))
	if r == "" || strings.HasPrefix(r, "data:") || strings.HasPrefix(r, "about:") {
		return true
	}
	if i := strings.IndexAny(r, "?#"); i >= 0 {
		r = r[:i]
	}
	name := r[strings.LastIndex(r, "/")+1:]
	for _, w := range placeholderWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// BestSrcset returns the URL of the widest candidate in a srcset value
// (by its w descriptor, else its x density; a candidate without one
// counts as 1x), breaking ties by the smaller URL, so that the choice
// does not depend on the order the candidates are listed in. It returns
// "" for an empty set.
func BestSrcset(srcset string) string {
	best, bestSize := "", -1.0
	for cand := range strings.SplitSeq(srcset, ",") {
		f := strings.Fields(cand)
		if len(f) == 0 || strings.HasPrefix(strings.ToLower(f[0]), "data:") {
			continue
		}
		size := 1.0
		if len(f) > 1 {
			d := strings.ToLower(f[1])
			n, err := strconv.ParseFloat(strings.TrimRight(d, "wx"), 64)
			switch {
			case err != nil:
			case strings.HasSuffix(d, "w"):
				size = n * 1000 // any width beats any density
			case strings.HasSuffix(d, "x"):
				size = n
			}
		}
		if size > bestSize || size == bestSize && f[0] < best {
			best, bestSize = f[0], size
		}
	}
	return best
}

// sizeToken matches the parts of an image path that encode a rendition
// rather than the picture: 800x600, w_800, h-450, width=800, q_80,
// c_fill, f_auto, and a bare number segment such as /1200/ (not the
// last one, which is an id: /image/39414).
var sizeToken = regexp.MustCompile(`(?i)(\d{2,5}x\d{1,5}|\b(?:w|h|q|c|f|dpr|width|height|quality|fit|crop|resize|format)[_=-][a-z0-9.]+|/\d{2,5}/)`)

// ImageKey returns the identity of an image URL for comparing two
// renderings, lower case and without the query. When the path ends in an
// image file name (photo.jpg) the key is that name less size tokens
// (800x600, w_800), whatever the host and the path before it. Otherwise
// it is the host, digits in its first label as "#" (img1, img2: shards),
// and the path without size and rendition tokens (/1200/) and hash
// segments (/cache/9f3e07c1a2b4/). Two renditions of one picture
// (another size from a resizer, another srcset entry, another CDN shard
// or cache slot) have the same key. It is not a URL; use it only to
// compare.
func ImageKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return strings.ToLower(raw)
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	p := strings.ToLower(u.Path)
	// A file name is the picture, wherever it is served from: resizers
	// put any path in front of it (/resize/1080x720/, /cache/9f3e.../,
	// /fit-in/800x0/filters:quality(80)/) and sizes into it
	// (photo-800x600.jpg), and sites serve it from any of their image
	// hosts or CDN shards.
	if name := p[strings.LastIndex(p, "/")+1:]; imageExts[path.Ext(name)] {
		if name = sizeToken.ReplaceAllString("/"+name, ""); len(name) >= 8 {
			return "/" + strings.TrimPrefix(name, "/")
		}
	}
	for {
		q := sizeToken.ReplaceAllString(p, "/")
		if q == p {
			break
		}
		p = q
	}
	var segs []string
	for s := range strings.SplitSeq(p, "/") {
		if strings.Trim(s, ",_-.+ ") != "" && !cacheSegment(s) {
			segs = append(segs, s)
		}
	}
	// img1.cdn.example, img2.cdn.example: shards of one host.
	label, rest, _ := strings.Cut(host, ".")
	host = digitRun.ReplaceAllString(label, "#") + "." + rest
	return host + "/" + strings.Join(segs, "/")
}

// cacheSegment reports whether a path segment is a hash or a cache slot
// rather than a name: 12 or more hex digits, with a digit and a letter.
func cacheSegment(s string) bool {
	if len(s) < 12 {
		return false
	}
	digit, letter := false, false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'f':
			letter = true
		default:
			return false
		}
	}
	return digit && letter
}

var digitRun = regexp.MustCompile(`\d+`)
