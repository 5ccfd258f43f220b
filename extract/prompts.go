package extract

import (
	"strings"
	"unicode"
)

// promptCues are the words of the calls a site puts into its articles'
// bodies to make the reader act on the site rather than read on:
// subscribe, sign up for the newsletter, download the app, follow us,
// join our channel, donate, write a letter to the editor. One alone is a
// word an article may use; two in one short paragraph are a prompt. The
// names of social networks count once however many are named (see
// socialNetworks), so that a sentence naming several is one cue.
var promptCues = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		subscribe subscribed subscriber subscribers subscription subscriptions newsletter newsletters
		download app apps ios android donate donation donations signup sign-up log-in
		follow unsubscribe submit channel membership
		abonnieren abonniere abonnement abonnent abonnenten abo spende spenden spendet unterstützen
		unterstütze unterstützt registrieren registriere herunterladen klicken kanal
		suscríbete suscribirse suscríbase suscripción suscriptor únete síguenos canal donar dona apoya
		boletín descarga descargar inscríbete
		abonnez abonner abonnement inscrivez inscrire soutenez soutenir télécharger chaîne
		assine inscreva siga baixe
		subskrypcji subskrypcja subskrypcję zapraszamy obserwuj pobierz
		iscriviti abbonati seguici scarica`) {
		m[w] = true
	}
	return m
}()

// socialNetworks are the networks a "follow us" prompt names.
var socialNetworks = map[string]bool{
	"facebook": true, "twitter": true, "instagram": true, "youtube": true, "telegram": true,
	"whatsapp": true, "tiktok": true, "linkedin": true, "pinterest": true, "bluesky": true,
	"mastodon": true, "snapchat": true,
}

// promptPhrases are cues of more than one word.
var promptPhrases = []string{
	"sign up", "signing up", "click here", "log in", "letter to the editor", "support our",
	"support us", "supporting our", "hier klicken", "clic aquí", "haz clic", "cliquez ici",
}

// maxPromptLen is the length above which a paragraph is taken for
// article text whatever words it holds.
const maxPromptLen = 250

// promptCount is the number of distinct prompt cues in t (see
// [promptCues]); 0 for a paragraph longer than maxPromptLen.
func promptCount(t string) int {
	if len(t) > maxPromptLen {
		return 0
	}
	lower := strings.ToLower(t)
	seen := map[string]bool{}
	social := false
	for w := range strings.FieldsFuncSeq(lower, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	}) {
		w = strings.Trim(w, "-")
		switch {
		case socialNetworks[w]:
			social = true
		case promptCues[w]:
			seen[w] = true
		}
	}
	n := len(seen)
	if social {
		n++
	}
	for _, p := range promptPhrases {
		if strings.Contains(lower, p) {
			n++
		}
	}
	return n
}

// selfWords are the words with which a site speaks of itself to the
// reader: "our newsletter", "unser Kanal", "nuestro canal", "follow us".
var selfWords = map[string]bool{
	"our": true, "us": true, "unser": true, "unsere": true, "unseren": true, "unserem": true,
	"unserer": true, "uns": true, "nuestro": true, "nuestra": true, "nuestros": true,
	"nuestras": true, "notre": true, "nos": true, "nosso": true, "nossa": true, "nossos": true,
	"nasz": true, "nasza": true, "naszego": true, "naszej": true, "nostro": true, "nostra": true,
}

// Limits of [dropPrompts]: a prompt holds at least promptEdgeCues cues
// and stands in the body's first promptHeadBlocks blocks or its second
// half, where sites put them.
const (
	promptEdgeCues   = 2
	promptHeadBlocks = 3
)

// dropPrompts removes the paragraphs that are the site's calls to
// subscribe, follow, download, donate or write in: at least
// promptEdgeCues cues (see [promptCount]) in a paragraph that speaks of
// the site, by its name, its host's name (the site names; see
// [selfNamed]) or a first-person plural ("our", "unser", "nuestro"), at
// the head or in the second half of the body. An article about an app
// names the app, not the site that publishes the article.
func dropPrompts(blocks []Block, names []string) []Block {
	total := textLen(blocks)
	seen := 0
	out := blocks[:0:0]
	for i, b := range blocks {
		t := blockText(b)
		edge := i < promptHeadBlocks || seen*2 >= total
		seen += len(t)
		if edge && b.Kind == Paragraph && promptCount(t) >= promptEdgeCues && selfNamed(t, names) {
			continue
		}
		out = append(out, b)
	}
	return out
}

// selfNamed reports whether t speaks of the site: a word of selfWords,
// or one of names (compared without case, spaces and punctuation; names
// of fewer than four letters are ignored).
func selfNamed(t string, names []string) bool {
	for w := range strings.FieldsFuncSeq(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if selfWords[w] {
			return true
		}
	}
	f := foldText(t)
	for _, n := range names {
		if n = foldText(n); len(n) >= 4 && strings.Contains(f, n) {
			return true
		}
	}
	return false
}

// siteNames are the names a page's site goes by: its publisher's name
// and the main label of each host ("nationnews" for www.nationnews.com).
func siteNames(site string, hosts []string) []string {
	names := []string{site}
	for _, h := range hosts {
		labels := strings.Split(strings.TrimPrefix(strings.ToLower(h), "www."), ".")
		if len(labels) >= 2 {
			names = append(names, labels[len(labels)-2])
		}
	}
	return names
}
