package extract

import (
	"fmt"
	"strings"
	"testing"
)

// storyParas returns n distinct paragraphs of article text, about 45 words each.
func storyParas(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<p>Council officials said on Tuesday that the repairs to bridge number %d would take "+
			"several more months, because the steel delivered in the spring had failed two separate inspections. "+
			"Residents who cross the river every day said the detour had added almost half an hour to each journey "+
			"and asked for a firm date.</p>\n", i+1)
	}
	return b.String()
}

func gatePage(title, head, body string) string {
	return "<!doctype html><html lang=en><head><title>" + title + "</title>" + head +
		"</head><body><nav><a href=/>Home</a> <a href=/news>News</a></nav>" + body +
		"<footer><p>© 2026 Example News</p></footer></body></html>"
}

func TestPageGate(t *testing.T) {
	article := "<article><h1>Bridge repairs delayed again</h1>" + storyParas(8) + "</article>"
	teaser := "<article><h1>Bridge repairs delayed again</h1>" + storyParas(2) + "</article>"
	tests := []struct {
		name, page, want string
	}{
		// Positive cases.
		{"paywall: JSON-LD not free with a teaser",
			gatePage("Bridge repairs delayed again", `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Bridge repairs delayed again","isAccessibleForFree":"False","hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".paywalled"}}</script>`, teaser),
			"paywall"},
		{"paywall: subscribe to continue reading",
			gatePage("Bridge repairs delayed again", "", teaser+`<div class="wall"><h2>Subscribe to continue reading</h2><p>Get unlimited access for £1 a week.</p><a href=/subscribe>Subscribe</a></div>`),
			"paywall"},
		{"paywall: piano container over a short teaser",
			gatePage("Bridge repairs delayed again", "", "<article><h1>Bridge repairs delayed again</h1>"+storyParas(1)+`</article><div class="tp-modal"><div class="tp-container-inner"><p>Unlock this story</p></div></div>`),
			"paywall"},
		{"paywall: article limit reached",
			gatePage("Bridge repairs delayed again", "", teaser+`<div><p>You have reached your free article limit for this month.</p></div>`),
			"paywall"},
		{"consent: we value your privacy",
			gatePage("Example News", "", `<div class="modal"><h2>We value your privacy</h2><p>We and our partners store and access information on your device.</p><button>Accept all</button><button>Manage options</button></div>`),
			"consent"},
		{"consent: consent-manager markup",
			gatePage("Example News", "", `<div id="sp_message_container_1234"><iframe title="SP Consent Message"></iframe></div><h1>Bridge repairs delayed again</h1>`),
			"consent"},
		{"consent: OneTrust banner on a page with no article",
			gatePage("Example News", "", `<div id="onetrust-banner-sdk"><p>Cookies help us deliver our services.</p><button id="onetrust-accept-btn-handler">I Accept</button></div><h1>Example News</h1><p>Loading…</p>`),
			"consent"},
		{"login: password form",
			gatePage("Sign in | Example News", "", `<main><h1>Sign in to your account</h1><form action=/login method=post><label>Email <input type=email name=email></label><label>Password <input type=password name=password></label><button>Log in</button></form><p>Forgot your password?</p></main>`),
			"login"},
		{"login: wall in the page over a short teaser",
			gatePage("Bridge repairs delayed again", "", "<main><h1>Bridge repairs delayed again</h1>"+storyParas(1)+`<div class="wall"><p>Log in to read the rest of this story.</p><form action=/login method=post><input type=email name=email><input type=password name=password><button>Log in</button></form></div></main>`),
			"login"},
		{"login: only a menu's sign-in form and next to no text",
			gatePage("Example News", "", `<header><div class="dropdown-menu"><form><input type=password name=pw><button>Log in</button></form></div></header><main><h1>Bridge repairs</h1><p>Loading the story…</p></main>`),
			"login"},
		{"error: title Not Found",
			gatePage("Not Found - Example News", "", `<main><h1>Oops</h1><p>Try the home page instead.</p></main>`),
			"error page"},
		{"error: 404 heading",
			gatePage("Example News", "", `<main><h1>404</h1><p>Sorry, this page does not exist.</p></main>`),
			"error page"},
		{"error: page not found served 200",
			gatePage("Example News", "", `<main><h1>Page not found</h1><p>The page you were looking for may have been moved or deleted.</p><ul><li><a href=/a>Top story</a></li></ul></main>`),
			"error page"},
		{"error: something went wrong",
			gatePage("Example News", "", `<main><div class="err"><h2>Something went wrong</h2><p>Please try again later.</p></div></main>`),
			"error page"},
		{"error: title segment Error",
			gatePage("Example News | Error", "", `<main><h1>Bridge repairs</h1><p>Please try again.</p></main>`),
			"error page"},
		{"error: story not found",
			gatePage("Story Not Found - Example News", "", `<main><h1>Bridge repairs</h1><p>Try searching the archive.</p></main>`),
			"error page"},
		{"error: title Error 500",
			gatePage("Error 500", "", `<main><h1>Bridge repairs</h1><p>We are having trouble.</p></main>`),
			"error page"},

		// Negative cases: real articles must not be gated.
		{"article", gatePage("Bridge repairs delayed again | Example News", "", article), ""},
		{"article mentioning paywalls and 404 pages",
			gatePage("Bridge repairs delayed again", "", "<article><h1>Bridge repairs delayed again</h1>"+storyParas(6)+
				`<p>The council's website showed "Page not found" for most of the day, and readers were asked to subscribe to continue reading the local paper's coverage.</p><p>"We value your privacy," the council's cookie notice says.</p></article>`),
			""},
		{"article with a small newsletter box",
			gatePage("Bridge repairs delayed again", "", "<article><h1>Bridge repairs delayed again</h1>"+storyParas(6)+
				`<div class="newsletter"><p>Sign up for our morning briefing</p><form><input type=email name=email><button>Sign up</button></form></div></article>`),
			""},
		{"article with a cookie banner",
			gatePage("Bridge repairs delayed again", "", `<div id="onetrust-banner-sdk"><p>We use cookies to improve your experience.</p><button>Accept all cookies</button></div>`+article),
			""},
		{"subscriber article with full text and isAccessibleForFree false",
			gatePage("Bridge repairs delayed again", `<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false}</script>`, article),
			""},
		{"short free-to-read article marked not free in JSON-LD",
			gatePage("Bridge repairs delayed again", `<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":"False"}</script>`, "<article><h1>Bridge repairs delayed again</h1>"+storyParas(4)+"</article>"),
			""},
		{"article page with paywall markup left in but full text",
			gatePage("Bridge repairs delayed again", "", `<div class="paywall-placeholder"></div>`+article),
			""},
		{"article with a sign-in link in the header",
			gatePage("Bridge repairs delayed again", "", `<header><a href=/login>Sign in</a></header>`+article),
			""},
		{"short brief with a sign-in form in a header drop-down",
			gatePage("Bridge repairs delayed again", "", `<header><ul><li class="dropdown"><div class="dropdown-menu"><form><p>Log in</p><input type=text name=user><input type=password name=pw><button>Log in</button></form></div></li></ul></header>`+teaser),
			""},
		{"short brief with a sign-in widget in the sidebar and a hidden pop-up",
			gatePage("Bridge repairs delayed again", "", teaser+`<div class="sidebar"><div class="widget_login"><form><label>Login</label><input type=password name=pw></form></div></div><div id="login-form" class="white-popup-block mfp-hide"><form><input type=password name=pw2><button>Sign in</button></form></div>`),
			""},
		{"short brief with an empty paywall placeholder",
			gatePage("Bridge repairs delayed again", "", "<article><h1>Bridge repairs delayed again</h1>"+storyParas(1)+`</article><div id="inline-paywall-container"></div><div class="piano-flyout" hidden><p>Subscribe for full access</p></div>`),
			""},
		{"short article with a sign-in form in the sidebar",
			gatePage("Bridge repairs delayed again", "", `<aside><form action=/login method=post><input type=text name=user><input type=password name=pass><button>Log in</button></form></aside>`+teaser),
			""},
		{"headline with the number 404",
			gatePage("Route 404 reopens after floods", "", "<article><h1>Route 404 reopens after floods</h1>"+storyParas(2)+"</article>"),
			""},
		{"headline with the word error",
			gatePage("Error-strewn United lose at home", "", "<article><h1>Error-strewn United lose at home</h1>"+storyParas(2)+"</article>"),
			""},
		{"short brief whose headline ends with error",
			gatePage("Judge admits sentencing error", "", "<article><h1>Judge admits sentencing error</h1>"+storyParas(2)+"</article>"),
			""},
		{"short brief without any wall", gatePage("Road closed", "", "<article><h1>Road closed</h1><p>The A1 is closed northbound after a crash near Stamford, police said.</p></article>"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Extractor
			a, err := e.Extract([]byte(tt.page), "https://www.example.com/news/story")
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if a.Gate != tt.want {
				t.Errorf("Extract(%s).Gate = %q, want %q (%d words of text)", tt.name, a.Gate, tt.want, len(strings.Fields(a.Text())))
			}
		})
	}
}

// TestPageGateProfiles gates site pages as the profiles extract them: a
// fixture cut down to its first paragraphs behind a wall is a paywall,
// the whole fixture is not.
func TestPageGateProfiles(t *testing.T) {
	ps := BuiltinProfiles()
	page := string(readPage(t, "testdata/profiles/nytimes/page.html"))
	start := strings.Index(page, `<div id="story-ad-1-wrapper">`)
	end := strings.Index(page, `</section>`)
	if start < 0 || end < start {
		t.Fatal("nytimes fixture changed; update the cut points")
	}
	walled := page[:start] + `<div id="gateway-content"><h2>Subscribe to continue reading</h2><p>You have a preview view of this article while we are checking your access.</p></div>` + page[end:]
	tests := []struct{ name, page, want string }{
		{"full article", page, ""},
		{"teaser behind a wall", walled, "paywall"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Extractor{Profiles: ps}
			a, err := e.Extract([]byte(tt.page), "https://www.nytimes.com/2026/11/23/us/wildfire-containment.html")
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if a.Gate != tt.want {
				t.Errorf("Gate = %q, want %q (%d words)", a.Gate, tt.want, len(strings.Fields(a.Text())))
			}
		})
	}
}

// TestTextSignalWords: every wording a gate pattern matches also holds one
// of the words that guard it, so the guard never hides a match. One
// example per alternative of each pattern.
func TestTextSignalWords(t *testing.T) {
	examples := map[string]struct {
		s    textSignal
		text []string
	}{
		"error": {errorText, []string{"Page Not Found", "Something went wrong.", "We can’t find that page", "The page you requested",
			"This page does not exist", "The page doesn't exist", "This page no longer exists", "Sorry, this page", "We cannot find the page",
			"Error: page not found"}},
		"paywall": {paywallText, []string{"Subscribe now to continue reading", "Subscribe to keep reading", "this article is reserved for subscribers", "To continue reading, please log in",
			"This story is exclusive to members", "This content is only available for subscribers", "For subscribers only",
			"Subscriber-only article", "You have reached your free article limit", "You've reached your free articles",
			"Youve used all your stories"}},
		"login": {loginText, []string{"Sign in", "Log in", "Login", "sign-in", "LOG-IN"}},
		"consent": {consentText, []string{"We value your privacy", "We care about your privacy", "Your privacy choices",
			"Manage cookie preferences", "Manage your privacy settings", "Accept all cookies", "Reject all cookies", "This site uses cookies", "We use cookies",
			"consent to the use of cookies", "Before you continue to Google"}},
	}
	for name, ex := range examples {
		for _, text := range ex.text {
			page := "Around the text, " + text + " and more."
			if !ex.s.re.MatchString(page) {
				t.Errorf("%s: example %q does not match the pattern", name, text)
			}
			if !ex.s.match(strings.ToLower(page)) {
				t.Errorf("%s: %q matches the pattern but none of the guard words %q", name, text, ex.s.words)
			}
		}
	}
}
