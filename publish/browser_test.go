package publish

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSiteInChromium opens the index, an article page and a diff page in
// headless Chromium at phone width, checks they render, that the diff
// marks changed words with <del>/<ins> struck and underlined, and that no
// page scrolls sideways; it saves screenshots under a temp dir.
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
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	shots := t.TempDir()
	pages := []struct {
		name, path, wantText string
	}{
		{"index", "/index.html", "Minister resigns after vote"},
		{"article", "/a/news.example.com/politics/minister.html.md/index.html", "She cited health reasons."},
		{"diff", "/a/news.example.com/politics/minister.html.md/v3.html", "Version 2 / Version 3, a day later"},
	}
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatalf("%s: chromedp navigate: %v", p.name, err)
		}
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		if err != nil {
			t.Fatalf("%s: chromedp text: %v", p.name, err)
		}
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
		if err != nil {
			t.Fatalf("%s: chromedp evaluate: %v", p.name, err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: chromedp screenshot: %v", p.name, err)
		}
		if !strings.Contains(text, p.wantText) {
			t.Errorf("%s: page text lacks %q:\n%s", p.name, p.wantText, text)
		}
		if overflow {
			t.Errorf("%s: page scrolls sideways at phone width", p.name)
		}
		name := filepath.Join(shots, p.name+".png")
		if err := os.WriteFile(name, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", name)
	}

	// On the diff page the changed words are marked, and not by colour
	// alone.
	type markInfo struct {
		Del, Ins         string
		DelDeco, InsDeco string
	}
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[markInfo](`(() => {
		const d = document.querySelector('.sbs del'), i = document.querySelector('.sbs ins');
		return {Del: d ? d.textContent : '', Ins: i ? i.textContent : '',
			DelDeco: d ? getComputedStyle(d).textDecorationLine : '',
			InsDeco: i ? getComputedStyle(i).textDecorationLine : ''};
	})()`))
	if err != nil {
		t.Fatalf("evaluate marks: %v", err)
	}
	if marks.Del != "gave no reason" || marks.Ins != "cited health reasons" {
		t.Errorf("diff marks del=%q ins=%q, want %q and %q", marks.Del, marks.Ins, "gave no reason", "cited health reasons")
	}
	if !strings.Contains(marks.DelDeco, "line-through") || !strings.Contains(marks.InsDeco, "underline") {
		t.Errorf("text-decoration del=%q ins=%q, want line-through and underline", marks.DelDeco, marks.InsDeco)
	}
}
