package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stet-archive/stet/track"
)

// maxHostileRSS bounds the peak RSS of one stet run against a hostile case.
const maxHostileRSS = 128 << 20

// hostileServer serves every hostile case on one loopback server. Each
// article case lives at /a/<name>, listed by the feed /list/<name>.xml;
// feed and sitemap cases are sources themselves.
type hostileServer struct {
	srv  *httptest.Server
	bomb []byte // one gzip member of 10 MiB of zeros
}

func newHostileServer(t *testing.T) *hostileServer {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(make([]byte, 10<<20))
	zw.Close()
	h := &hostileServer{bomb: buf.Bytes()}
	h.srv = httptest.NewServer(h)
	t.Cleanup(h.srv.Close)
	return h
}

func rss(links ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>hostile</title>`)
	for _, l := range links {
		fmt.Fprintf(&b, "<item><title>t</title><link>%s</link></item>", l)
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

const latin1Page = "<!DOCTYPE html><html lang=\"fr\"><head>%s<title>Le caf\xe9 du port</title></head><body><article><h1>Le caf\xe9 du port</h1>" +
	"<p>Le caf\xe9 du port a rouvert ses portes lundi apr\xe8s trois mois de travaux, a annonc\xe9 la mairie dans un communiqu\xe9.</p>" +
	"<p>Les habitu\xe9s ont salu\xe9 le retour des terrasses, tandis que les commer\xe7ants voisins esp\xe8rent une saison plus calme.</p>" +
	"<p>La r\xe9novation a co\xfbt\xe9 pr\xe8s de deux cent mille euros, financ\xe9s en partie par la r\xe9gion.</p></article></body></html>"

func (h *hostileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if name, ok := strings.CutPrefix(p, "/list/"); ok {
		name = strings.TrimSuffix(name, ".xml")
		w.Header().Set("Content-Type", "application/rss+xml")
		switch name {
		case "storm-404", "storm-500", "storm-429":
			var links []string
			n := 6
			if name == "storm-429" {
				n = 3 // each waits out Retry-After: 1 between attempts
			}
			for i := range n {
				links = append(links, fmt.Sprintf("%s/%s/%d", h.srv.URL, name, i))
			}
			fmt.Fprint(w, rss(links...))
		default:
			fmt.Fprint(w, rss(h.srv.URL+"/a/"+name))
		}
		return
	}
	switch {
	case p == "/robots.txt":
		http.NotFound(w, r)
	case p == "/a/slow-loris":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusOK)
		for i := 0; ; i++ {
			if _, err := w.Write([]byte{"<html>"[i%6]}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(time.Second):
			case <-r.Context().Done():
				return
			}
		}
	case p == "/a/endless-body":
		w.Header().Set("Content-Type", "text/html")
		chunk := bytes.Repeat([]byte("<p>endless endless endless</p>\n"), 1024)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	case p == "/a/gzip-bomb":
		// 1024 gzip members of 10 MiB of zeros each: 10 GiB when
		// decompressed, about 10 MiB on the wire, made on the fly.
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		for range 1024 {
			if _, err := w.Write(h.bomb); err != nil {
				return
			}
		}
	case p == "/a/redirect-loop":
		http.Redirect(w, r, "/a/redirect-loop", http.StatusFound)
	case p == "/a/wrong-charset":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, latin1Page, `<meta charset="utf-8">`)
	case p == "/a/absent-charset":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, latin1Page, "")
	case p == "/a/binary-as-html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		b := make([]byte, 64<<10)
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		copy(b, "\x89PNG\r\n\x1a\n")
		w.Write(b)
	case p == "/a/ok-error-page":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Page not found | The Loopback Times</title></head><body><main><h1>Page not found</h1><p>Sorry, the page you were looking for does not exist.</p></main></body></html>`)
	case strings.HasPrefix(p, "/storm-404/"):
		http.NotFound(w, r)
	case strings.HasPrefix(p, "/storm-500/"):
		http.Error(w, "internal error", http.StatusInternalServerError)
	case strings.HasPrefix(p, "/storm-429/"):
		w.Header().Set("Retry-After", "1")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	case p == "/feed/billion-laughs.xml":
		w.Header().Set("Content-Type", "application/rss+xml")
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?>` + "\n" + `<!DOCTYPE rss [<!ENTITY lol "lol">`)
		prev := "lol"
		for i := 1; i <= 9; i++ {
			name := fmt.Sprintf("lol%d", i)
			fmt.Fprintf(&b, `<!ENTITY %s "%s">`, name, strings.Repeat("&"+prev+";", 10))
			prev = name
		}
		b.WriteString(`]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>` + h.srv.URL + `/a/none</link><description>&lol9;</description></item></channel></rss>`)
		fmt.Fprint(w, b.String())
	case p == "/feed/100k.xml":
		w.Header().Set("Content-Type", "application/rss+xml")
		links := make([]string, 100_000)
		for i := range links {
			links[i] = fmt.Sprintf("%s/feed-item/%d", h.srv.URL, i)
		}
		fmt.Fprint(w, rss(links...))
	case strings.HasPrefix(p, "/feed-item/"):
		http.NotFound(w, r)
	case p == "/sitemap-self.xml":
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>%s/sitemap-self.xml</loc></sitemap><sitemap><loc>%s/sitemap-self.xml?again=1</loc></sitemap></sitemapindex>`, h.srv.URL, h.srv.URL)
	default:
		http.NotFound(w, r)
	}
}

// hostileCase is one row of the matrix.
type hostileCase struct {
	name string
	// source is the YAML of the extra source (after "- name: hostile").
	source string
	// want: "article" means a failed, suspect or skipped result with a
	// reason for every URL on the hostile host; "source" means a source
	// error naming the hostile source; "bounded" means only that the pass
	// finished within bounds; "utf8" means a failed result or a committed
	// file that is valid UTF-8.
	want string
	// args are extra flags for stet run; env extra variables.
	args, env []string
}

// TestHostileServers runs `stet run` against each hostile case next to a
// good source whose one article is already archived. Every case must end
// with a clear per-URL (or per-source) error in the JSON report, the good
// article checked (the pass went on), HEAD unchanged, git fsck --strict
// clean, and the stet process's peak RSS under maxHostileRSS.
//
// A redirect to a private address cannot be served end to end: the site
// is on loopback, so the guard must be off to reach it at all. fetch's
// TestRedirectToPrivate covers it with the guard on.
func TestHostileServers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real processes")
	}
	bin := buildStet(t)
	good := newRevSite(t, 1)
	hs := newHostileServer(t)
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rss(good.url(0)))
	}))
	t.Cleanup(tlsSrv.Close)

	// The baseline archive: the good article, committed once.
	base := filepath.Join(t.TempDir(), "base")
	baseCfg := hostileConfig(t, t.TempDir(), good, "")
	if out, err := exec.Command(bin, "run", "--config", baseCfg, "--repo", base, "--log-level", "error").CombinedOutput(); err != nil {
		t.Fatalf("baseline run: %v\n%s", err, out)
	}
	head0, _ := gitCmd(base, "rev-parse", "HEAD")

	list := func(name string) string { return fmt.Sprintf("feeds: [%s/list/%s.xml]", hs.srv.URL, name) }
	cases := []hostileCase{
		{name: "slow-loris", source: list("slow-loris"), want: "article"},
		{name: "endless-body", source: list("endless-body"), want: "article", args: []string{"--max-body", "2000000"}},
		{name: "gzip-bomb", source: list("gzip-bomb"), want: "article", args: []string{"--max-body", "2000000"}},
		{name: "gzip-bomb-default-cap", source: list("gzip-bomb"), want: "article"},
		{name: "redirect-loop", source: list("redirect-loop"), want: "article"},
		{name: "wrong-charset", source: list("wrong-charset"), want: "utf8"},
		{name: "absent-charset", source: list("absent-charset"), want: "utf8"},
		{name: "binary-as-html", source: list("binary-as-html"), want: "article"},
		{name: "ok-error-page", source: list("ok-error-page"), want: "article"},
		{name: "storm-404", source: list("storm-404"), want: "article"},
		{name: "storm-500", source: list("storm-500"), want: "article"},
		{name: "storm-429", source: list("storm-429"), want: "article"},
		{name: "tls-failure", source: fmt.Sprintf("feeds: [%s/feed.xml]", tlsSrv.URL), want: "source"},
		{name: "dns-failure", source: "feeds: [http://stet-hostile.invalid/feed.xml]", want: "source"},
		{name: "billion-laughs", source: fmt.Sprintf("feeds: [%s/feed/billion-laughs.xml]", hs.srv.URL), want: "bounded"},
		{name: "feed-100k-items", source: fmt.Sprintf("feeds: [%s/feed/100k.xml]", hs.srv.URL), want: "bounded",
			// A per-host budget keeps 5,000 new candidates from crowding
			// out the tracked article.
			args: []string{"--max-fetches", "10"}, env: []string{"STET_MAX_PER_HOST=4"}},
		{name: "sitemap-index-self", source: fmt.Sprintf("sitemaps: [%s/sitemap-self.xml]", hs.srv.URL), want: "bounded"},
	}
	var peak int64
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			repo := filepath.Join(t.TempDir(), "news")
			if out, err := exec.Command("cp", "-a", base, repo).CombinedOutput(); err != nil {
				t.Fatalf("cp: %v\n%s", err, out)
			}
			cfg := hostileConfig(t, t.TempDir(), good, tc.source)
			args := append([]string{"run", "--config", cfg, "--repo", repo, "--all", "--json", "--log-level", "error",
				"--timeout", "2s"}, tc.args...)
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin, args...)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			cmd.Env = append(os.Environ(), tc.env...)
			start := time.Now()
			err, rss, timedOut := runPeak(cmd, 90*time.Second)
			elapsed := time.Since(start)
			if timedOut {
				t.Fatalf("stet run did not finish in 90s\n%s", stderr.String())
			}
			peak = max(peak, rss)
			if code := exitCode(err); code != exitOK && code != exitFailed {
				t.Fatalf("stet run exit %d, want 0 or 1\nstderr:\n%s", code, stderr.String())
			}
			var rep track.Report
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatalf("report is not JSON: %v\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
			}
			checkHostileReport(t, tc, rep, good.url(0), hs.srv.URL)
			if rss > maxHostileRSS {
				t.Errorf("peak RSS %d MiB, want under %d MiB", rss>>20, maxHostileRSS>>20)
			}
			if err := checkRepo(t, repo); err != nil {
				t.Fatal(err)
			}
			head, _ := gitCmd(repo, "rev-parse", "HEAD")
			switch {
			case tc.want == "utf8":
				files, _ := gitCmd(repo, "ls-tree", "-r", "--name-only", "HEAD")
				for _, f := range strings.Fields(files) {
					b, _ := exec.Command("git", "-C", repo, "show", "HEAD:"+f).Output()
					if !utf8.Valid(b) {
						t.Errorf("%s is not valid UTF-8", f)
					}
					if strings.Contains(f, "/a/") && !strings.Contains(string(b), "Le café du port") {
						t.Errorf("%s: Latin-1 text decoded as %q, want \"Le café du port\"", f, firstLine(b, "Le caf"))
					}
				}
			case head != head0:
				t.Errorf("HEAD moved from %s to %s: the hostile case changed the archive", strings.TrimSpace(head0), strings.TrimSpace(head))
			}
			t.Logf("%-18s %6v  peak RSS %3d MiB  exit %d  %s", tc.name, elapsed.Round(10*time.Millisecond), rss>>20, exitCode(err), hostileSummary(rep, hs.srv.URL))
		})
	}
	t.Logf("peak RSS over all hostile cases: %d MiB", peak>>20)
}

func hostileConfig(t *testing.T, dir string, good *revSite, extra string) string {
	t.Helper()
	cfg := fmt.Sprintf(`fetch:
  allow_private_addresses: true
  host_interval: 0s
sources:
  - name: good
    feeds: [%s/feed.xml]
`, good.srv.URL)
	if extra != "" {
		cfg += "  - name: hostile\n    " + extra + "\n"
	}
	path := filepath.Join(dir, "stet.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkHostileReport checks the report of one hostile case.
func checkHostileReport(t *testing.T, tc hostileCase, rep track.Report, goodURL, hostileBase string) {
	t.Helper()
	var goodSeen bool
	var hostile []track.Result
	for _, r := range rep.Results {
		switch {
		case r.URL == goodURL:
			goodSeen = true
			if r.Status != track.Unchanged {
				t.Errorf("good article: status %s (%s), want unchanged", r.Status, r.Reason)
			}
		case strings.HasPrefix(r.URL, hostileBase):
			hostile = append(hostile, r)
		}
	}
	if !goodSeen {
		t.Errorf("the good article was not checked: the pass did not go on (results %+v)", rep.Results)
	}
	switch tc.want {
	case "article", "utf8":
		if len(hostile) == 0 {
			t.Fatalf("no result for the hostile URL; report %+v", rep)
		}
		for _, r := range hostile {
			if tc.want == "utf8" && (r.Status == track.New || r.Status == track.Suspect) {
				continue
			}
			if r.Status != track.Failed && r.Status != track.Suspect && r.Status != track.Skipped || r.Reason == "" {
				t.Errorf("%s: status %s reason %q, want failed or suspect with a reason", r.URL, r.Status, r.Reason)
			}
		}
	case "source":
		found := false
		for _, e := range rep.SourceErrors {
			if strings.HasPrefix(e, "hostile:") {
				found = true
			}
		}
		if !found {
			t.Errorf("no source error for the hostile source; source errors %q", rep.SourceErrors)
		}
	}
}

func hostileSummary(rep track.Report, hostileBase string) string {
	var parts []string
	for _, r := range rep.Results {
		if strings.HasPrefix(r.URL, hostileBase) && len(parts) < 2 {
			parts = append(parts, fmt.Sprintf("%s (%s)", r.Status, r.Reason))
		}
	}
	for _, e := range rep.SourceErrors {
		if len(parts) < 3 {
			parts = append(parts, "source error: "+oneLineErr(e))
		}
	}
	s := strings.Join(parts, "; ")
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return fmt.Sprintf("discovered %d checked %d failed %d suspect %d: %s", rep.Discovered, rep.Checked, rep.Failed, rep.Suspect, s)
}

// firstLine returns the first line of b holding prefix.
func firstLine(b []byte, prefix string) string {
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, prefix) {
			return l
		}
	}
	return ""
}
