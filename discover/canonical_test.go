package discover

import (
	"errors"
	"net/url"
	"testing"
)

func TestCanonical(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"already canonical", "https://www.example.com/news/story", "https://www.example.com/news/story"},
		{"trims spaces", "  https://example.com/a \n", "https://example.com/a"},
		{"empty path", "https://example.com", "https://example.com/"},
		{"case and default port", "HTTPS://WWW.Example.COM:443/News/Story", "https://www.example.com/News/Story"},
		{"http kept", "http://example.com:80/a", "http://example.com/a"},
		{"fragment", "https://example.com/a#comments", "https://example.com/a"},
		{"utm params", "https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"},
		{"tracking mixed with real", "https://example.com/a?page=2&fbclid=x&id=7", "https://example.com/a?id=7&page=2"},
		{"user info", "https://user:pw@example.com/a", "https://example.com/a"},
		{"amp segment middle", "https://example.com/news/amp/story", "https://example.com/news/story"},
		{"amp segment first", "https://example.com/amp/news/story", "https://example.com/news/story"},
		{"amp segment trailing slash", "https://example.com/2026/11/story/amp/", "https://example.com/2026/11/story/"},
		{"amp segment last", "https://example.com/story/amp", "https://example.com/story"},
		{"amp only path", "https://example.com/amp/", "https://example.com/"},
		{"amp suffix", "https://example.com/news/story.amp", "https://example.com/news/story"},
		{"amp infix", "https://example.com/news/story.amp.html", "https://example.com/news/story.html"},
		{"amp word kept", "https://example.com/news/ampere/amplify", "https://example.com/news/ampere/amplify"},
		{"amp query bare", "https://example.com/story?amp", "https://example.com/story"},
		{"amp query 1", "https://example.com/story?amp=1&id=3", "https://example.com/story?id=3"},
		{"amp query true", "https://example.com/story?amp=true", "https://example.com/story"},
		{"amp query other value kept", "https://example.com/story?amp=volts", "https://example.com/story?amp=volts"},
		{"outputType amp", "https://example.com/story?outputType=amp", "https://example.com/story"},
		{"amp host", "https://amp.theguardian.com/world/story", "https://www.theguardian.com/world/story"},
		{"amp cache https", "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story/amp/", "https://www.example.com/news/story/"},
		{"amp cache http", "https://example-com.cdn.ampproject.org/c/example.com/news/story", "http://example.com/news/story"},
		{"amp cache viewer", "https://cdn.ampproject.org/v/s/example.com/a.amp?amp_js_v=0.1", "https://example.com/a?amp_js_v=0.1"},
		{"google amp viewer", "https://www.google.com/amp/s/www.example.com/news/story.amp", "https://www.example.com/news/story"},
		{"google amp path without target", "https://www.google.com/amp/", "https://www.google.com/"},
		{"amp cache without target", "https://example-com.cdn.ampproject.org/c/s/", "https://example-com.cdn.ampproject.org/c/s/"},
		{"mobile m", "https://m.example.com/a", "https://www.example.com/a"},
		{"mobile word", "https://mobile.example.co.uk/a", "https://www.example.co.uk/a"},
		{"mobile then www", "https://m.www.example.com/a", "https://www.example.com/a"},
		{"mobile and amp", "https://m.example.com/a/amp/?amp=1", "https://www.example.com/a/"},
		{"mobile keeps port", "http://m.example.com:8080/a", "http://www.example.com:8080/a"},
		{"mobile single label left", "http://m.localhost/a", "http://m.localhost/a"},
		{"ip host", "http://127.0.0.1:8080/amp/a", "http://127.0.0.1:8080/a"},
		{"feedproxy cleaned only", "http://feedproxy.google.com/~r/Example/~3/abc/story?utm_source=feedburner", "http://feedproxy.google.com/~r/Example/~3/abc/story"},
		{"escaped path kept", "https://example.com/a%2Fb/amp/c", "https://example.com/a%2Fb/c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if err != nil {
				t.Fatalf("Canonical(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := Canonical(got)
			if err != nil || again != got {
				t.Errorf("Canonical(%q) = %q, %v; not idempotent", got, again, err)
			}
		})
	}
}

func TestCanonicalRejects(t *testing.T) {
	for _, in := range []string{"", "/relative/path", "mailto:a@example.com", "ftp://example.com/a", "https://", "http:///path", "javascript:alert(1)", "https://exa mple.com/", "http://[::1"} {
		t.Run(in, func(t *testing.T) {
			got, err := Canonical(in)
			if !errors.Is(err, ErrInvalidURL) {
				t.Errorf("Canonical(%q) = %q, %v; want ErrInvalidURL", in, got, err)
			}
		})
	}
}

func TestAlias(t *testing.T) {
	tests := []struct {
		name, in, want string
		alias          bool
	}{
		{"canonical", "https://www.example.com/a", "https://www.example.com/a", false},
		{"syntactic only", "HTTPS://Example.com:443", "https://example.com/", false},
		{"query order", "https://example.com/a?b=1&a=2", "https://example.com/a?a=2&b=1", false},
		{"http is not an alias", "http://example.com/a", "http://example.com/a", false},
		{"fragment", "https://example.com/a#x", "https://example.com/a", true},
		{"tracking", "https://example.com/a?utm_campaign=x", "https://example.com/a", true},
		{"amp path", "https://example.com/a/amp", "https://example.com/a", true},
		{"amp query", "https://example.com/a?amp", "https://example.com/a", true},
		{"amp host", "https://amp.example.com/a", "https://www.example.com/a", true},
		{"amp cache", "https://a-b.cdn.ampproject.org/c/s/a.b/x", "https://a.b/x", true},
		{"mobile", "https://m.example.com/a", "https://www.example.com/a", true},
		{"feedproxy", "http://feedproxy.google.com/~r/Example/~3/abc/story", "http://feedproxy.google.com/~r/Example/~3/abc/story", true},
		{"feedburner", "https://feeds.feedburner.com/~r/Example/~3/abc/", "https://feeds.feedburner.com/~r/Example/~3/abc/", true},
		{"feedburner feed itself", "https://feeds.feedburner.com/Example", "https://feeds.feedburner.com/Example", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, alias, err := Alias(tt.in)
			if err != nil || got != tt.want || alias != tt.alias {
				t.Errorf("Alias(%q) = %q, %v, %v; want %q, %v, nil", tt.in, got, alias, err, tt.want, tt.alias)
			}
		})
	}
}

func TestIdentity(t *testing.T) {
	same := [][2]string{
		{"http://example.com/a", "https://example.com/a"},
		{"https://www.example.com/a", "https://example.com/a"},
		{"https://m.example.com/a?amp=1", "http://example.com/a"},
	}
	for _, p := range same {
		a, _ := Canonical(p[0])
		b, _ := Canonical(p[1])
		if identity(a) != identity(b) {
			t.Errorf("identity(%q) = %q, identity(%q) = %q; want equal", a, identity(a), b, identity(b))
		}
	}
	if a, b := identity("https://example.com/a"), identity("https://example.com/b"); a == b {
		t.Errorf("identity of different paths both %q", a)
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{
		"https://www.example.com/news/story",
		"HTTP://M.Example.COM:80/a/amp/?amp=1&utm_source=x#frag",
		"https://a-b.cdn.ampproject.org/c/s/a.b/x.amp.html",
		"http://feedproxy.google.com/~r/x/~3/y/z",
		"https://example.com/a%2Fb/amp/c?x=%20",
		"http://[::1]:80/amp",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, alias, err := Alias(in)
		if err != nil {
			if !errors.Is(err, ErrInvalidURL) {
				t.Fatalf("Alias(%q) error %v does not wrap ErrInvalidURL", in, err)
			}
			return
		}
		u, err := url.Parse(c)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			t.Fatalf("Canonical(%q) = %q: not an absolute http(s) URL (%v)", in, c, err)
		}
		c2, alias2, err := Alias(c)
		if err != nil || c2 != c {
			t.Fatalf("Canonical not idempotent: %q -> %q -> %q (%v)", in, c, c2, err)
		}
		if alias2 && !isFeedProxy(c) {
			t.Fatalf("canonical %q (from %q, alias %v) is itself reported as an alias", c, in, alias)
		}
	})
}
