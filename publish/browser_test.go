package publish

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSiteInChromium opens the index, an article page and diff pages
// in headless Chromium at phone and desktop widths and checks what a
// reader sees: the pages render, no page scrolls sideways on a phone, no
// markdown syntax shows, links are links, the image is a figure with its
// caption, changed words are marked (struck through and underlined, not
// by colour alone, and announced to screen readers), prev/next links
// sit at the top and bottom, and the "changes only" view hides the
// unchanged paragraphs. Screenshots are saved under $STET_SCREENSHOTS,
// else a temporary directory, and logged.
func TestSiteInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped under -short")
	}
	exe, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not found on PATH (Debian package chromium; .ci/run installs it): browser test skipped")
	}
	arch, s, _ := newArchive(t)
	newsFixture(t, s)
	rich := richFixture(t, s)
	out := t.TempDir()
	if _, err := Publish(arch, Dir(out), Options{Title: "Browser test"}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	t.Cleanup(srv.Close)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.WindowSize(390, 844),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	shots := os.Getenv("STET_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	// What a page shows, read in the browser after rendering.
	type seen struct {
		Main, Lang       string
		Overflow         bool
		Links, Figures   int
		FigCaption       string
		Del, Ins         []string
		DelDeco, InsDeco string
		DelSpoken        string
		TopNext, BotNext string
		TopPrev, BotPrev string
		VisibleEqualRows int
		AllRows          int
		// LowContrast lists text whose contrast with its background is
		// under WCAG AA's 4.5:1.
		LowContrast []string
	}
	const probe = `(() => {
		const q = s => document.querySelector(s), qa = s => [...document.querySelectorAll(s)];
		const navs = qa('nav.prevnext');
		const rel = (n, r) => { const a = n && n.querySelector('a[rel=' + r + ']'); return a ? a.getAttribute('href') : ''; };
		const d = q('.sbs del'), i = q('.sbs ins'), fig = q('figure figcaption');
		return {
			Main: q('main').innerText, Lang: document.documentElement.lang,
			Overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
			Links: qa('main a[href^="http"]').length, Figures: qa('main figure').length,
			FigCaption: fig ? fig.innerText : '',
			Del: qa('.sbs del').map(e => e.textContent), Ins: qa('.sbs ins').map(e => e.textContent),
			DelDeco: d ? getComputedStyle(d).textDecorationLine : '', InsDeco: i ? getComputedStyle(i).textDecorationLine : '',
			DelSpoken: d ? getComputedStyle(d, '::before').content : '',
			TopNext: rel(navs[0], 'next'), BotNext: rel(navs[navs.length - 1], 'next'),
			TopPrev: rel(navs[0], 'prev'), BotPrev: rel(navs[navs.length - 1], 'prev'),
			VisibleEqualRows: qa('.sbs .row.equal:not(.headline)').filter(e => e.offsetParent !== null).length,
			AllRows: qa('.sbs .row').length,
			LowContrast: (() => {
				const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
				const lum = c => { const v = rgb(c).slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
					return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
				const bg = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor, a = rgb(c)[3];
					if (a === undefined || a > 0) return c; } return 'rgb(255, 255, 255)'; };
				const low = [];
				for (const e of qa('main *, header *')) {
					if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
					const a = lum(getComputedStyle(e).color), b = lum(bg(e));
					const r = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
					if (r < 4.5) low.push(e.tagName + '.' + e.className + ' ' + r.toFixed(2));
				}
				return low;
			})(),
		};
	})()`
	look := func(name, path string, width int) seen {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), 844), chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatalf("%s: chromedp navigate: %v", name, err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[seen](probe))
		if err != nil {
			t.Fatalf("%s: chromedp evaluate: %v", name, err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: chromedp screenshot: %v", name, err)
		}
		file := filepath.Join(shots, name+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", file)
		for _, syntax := range []string{"](", "![", "**", "*Monday"} {
			if strings.Contains(got.Main, syntax) {
				t.Errorf("%s: page shows markdown syntax %q:\n%s", name, syntax, got.Main)
			}
		}
		if got.Lang != "en" {
			t.Errorf("%s: <html lang=%q>, want en (the article's)", name, got.Lang)
		}
		if len(got.LowContrast) > 0 {
			t.Errorf("%s: text under 4.5:1 contrast: %q", name, got.LowContrast)
		}
		if width < 500 && got.Overflow {
			t.Errorf("%s: page scrolls sideways at phone width", name)
		}
		return got
	}

	idx := look("index-phone", "/index.html", 390)
	if !strings.Contains(idx.Main, "Minister resigns after vote") || !strings.Contains(idx.Main, "Council approves plan") {
		t.Errorf("index lacks the articles:\n%s", idx.Main)
	}

	art := look("article-phone", "/"+rich+"index.html", 390)
	for _, w := range []string{"Example News", "Current article", "First seen", "has changed 2 times", "Timeline", "about 3 hours later", "the revised plan"} {
		if !strings.Contains(art.Main, w) {
			t.Errorf("article page lacks %q:\n%s", w, art.Main)
		}
	}
	if art.Figures != 1 || art.FigCaption != "Hundreds of protesters gathered outside." {
		t.Errorf("article page: %d figures, caption %q; want 1 with the caption", art.Figures, art.FigCaption)
	}

	for _, width := range []int{390, 1200} {
		name := "diff-" + map[int]string{390: "phone", 1200: "desktop"}[width]
		d := look(name, "/"+rich+"v2.html", width)
		if !strings.Contains(d.Main, "about 3 hours later") {
			t.Errorf("%s: no gap in words:\n%s", name, d.Main)
		}
		if d.Links < 2 || d.Figures != 2 {
			t.Errorf("%s: %d links, %d figures; want the plan's links and the image on both sides", name, d.Links, d.Figures)
		}
		if !slices.Contains(d.Ins, "revised") || !slices.Contains(d.Ins, "parks") || !slices.Contains(d.Ins, "evening") || !slices.Contains(d.Del, "Protesters") {
			t.Errorf("%s: marked words del=%q ins=%q", name, d.Del, d.Ins)
		}
		if !strings.Contains(d.DelDeco, "line-through") || !strings.Contains(d.InsDeco, "underline") {
			t.Errorf("%s: text-decoration del=%q ins=%q, want line-through and underline", name, d.DelDeco, d.InsDeco)
		}
		if !strings.Contains(d.DelSpoken, "removed") {
			t.Errorf("%s: del::before content %q, want the hidden words a screen reader speaks", name, d.DelSpoken)
		}
		if d.TopNext != "v3.html" || d.BotNext != "v3.html" || d.TopPrev != "" {
			t.Errorf("%s: prev/next top %q/%q bottom %q; want next v3.html at top and bottom, no prev", name, d.TopPrev, d.TopNext, d.BotNext)
		}
		if d.VisibleEqualRows == 0 {
			t.Errorf("%s: the whole-text view shows no unchanged paragraph", name)
		}
	}
	v3 := look("diff-v3-phone", "/"+rich+"v3.html", 390)
	if v3.TopPrev != "v2.html" || v3.BotPrev != "v2.html" || v3.TopNext != "" {
		t.Errorf("v3: prev top %q bottom %q, next %q; want prev v2.html twice and no next", v3.TopPrev, v3.BotPrev, v3.TopNext)
	}
	only := look("diff-changes-only", "/"+rich+"v3.html#changes", 1200)
	if only.VisibleEqualRows != 0 || only.AllRows < 4 {
		t.Errorf("changes-only view shows %d unchanged rows of %d, want none", only.VisibleEqualRows, only.AllRows)
	}
	// The older fixture's diff keeps working, marks and all.
	old := look("diff-minister", "/a/news.example.com/politics/minister.html.md/v3.html", 390)
	if !slices.Contains(old.Del, "gave no reason") || !slices.Contains(old.Ins, "cited health reasons") {
		t.Errorf("minister diff marks del=%q ins=%q", old.Del, old.Ins)
	}
}
