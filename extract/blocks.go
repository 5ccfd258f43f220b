package extract

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// walker turns a cleaned DOM subtree into blocks. It holds the settings of
// one Extract call and no state between calls of blocks.
type walker struct {
	base    *url.URL
	profile *Profile // nil when no site profile applies
	title   string
}

// inline collects the spans of the paragraph being built.
type inline struct {
	spans []Span
}

func (in *inline) add(text, link string) {
	if text == "" {
		return
	}
	if k := len(in.spans); k > 0 && in.spans[k-1].Link == link {
		in.spans[k-1].Text += text
		return
	}
	in.spans = append(in.spans, Span{Text: text, Link: link})
}

// blockTags start a new block.
var blockTags = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "main": true, "header": true,
	"footer": true, "aside": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "ul": true, "ol": true, "li": true, "blockquote": true, "figure": true,
	"figcaption": true, "table": true, "pre": true, "hr": true, "dl": true, "dt": true,
	"dd": true, "center": true, "details": true, "summary": true, "address": true,
	"body": true, "html": true, "tr": true, "td": true, "th": true, "tbody": true,
	"thead": true, "tfoot": true, "caption": true, "picture": true, "menu": true,
	"hgroup": true, "fieldset": true, "noscript": true,
}

var boilerRe = regexp.MustCompile(`(?i)^(advertisement|advertisements|ad|sponsored|sponsored content|skip advertisement|share|share this|share this (article|story|page)|continue reading( below)?|story continues below( advertisement)?|article continues below( advertisement)?|read more|related|related (articles|stories|content)|most read|most popular|(sign up|subscribe)( now| here| for free)?|comments|loading(\.\.\.|…)?|image|photo|video|listen|play|copy link|copied|print|drucken|artikel drucken|rezept drucken|drukuj|imprimir|imprimer|email|facebook|twitter|whatsapp|linkedin|reddit|pinterest|powered by \S+|load more|show more|show less|see all|view all|mehr laden|mehr anzeigen|weniger anzeigen|alle anzeigen|lade weitere inhalte|weitere inhalte laden|cargar más|ver más|voir plus|afficher plus|carica altri|pokaż więcej|vergrößern|bild vergrößern|bild anzeigen|bild schließen|bild anzeigen bild schließen|(quellen|kommentare) (ein|aus)blenden|hide caption|toggle caption|enlarge( (image|this image))?)$`)

var (
	// mediaRe matches the placeholders and credits a media player or
	// picture leaves in the text: "Media caption, …", "(Video by …)",
	// "Image: Getty", "Photo: AP", "Foto: dpa", "Image source, Reuters".
	mediaRe = regexp.MustCompile(`(?i)^(media caption|image caption|image source|video caption|caption)\b|^\(?(video|photo|photos|image|images|illustration|graphic|pictures?) (by|courtesy of|credit)\b[^()]*\)?$|^\(?(image|images|photo|photos|photograph|picture|pictures|illustration|graphic|video|source|credit|foto|fotos|bild|bildquelle|quelle|photo credit|image credit|crédit photo|crédito|créditos|imagen|fotografía)\s*(:|©)\s*\S`)
	// creditRe matches a lone agency or photo-library credit line.
	creditRe = regexp.MustCompile(`(?i)^(©\s*)?(getty images|ap photo|afp|reuters|shutterstock|thinkstock|istock(photo)?|dpa|epa|picture alliance|alamy|pa images?|pa media)(\s*(/|via)\s*[\pL .]+)?$`)
	// captionCreditRe matches a short caption that ends in its credit
	// ("Montevideo harbour. Foto: Archivo", "… (crédito: J. Silva)").
	captionCreditRe = regexp.MustCompile(`(?i)(\.|,|\||–|-)\s*\(?(photo|foto|image|bild|crédito|credit|fotografía|zdjęcie|source|quelle)\s*:\s*[^.!?]{1,60}\)?$`)
	// copyrightTailRe matches the copyright notice a caption ends with:
	// the sign and what follows it ("… | © Jane Doe/Agency").
	copyrightTailRe = regexp.MustCompile(`(?i)(?:^|[\s.,;:|/–—-])\s*\(?\s*(?:©|\(c\)\s|copyright\b)[^©]{1,80}$`)
	// agencyTailRe matches a credit that ends with a picture library or
	// agency after a slash: the photographer's name and any other
	// agencies, slash-separated ("Jane Doe/Digital Vision/Getty Images",
	// "(jdoe / iStock.com)"), or an agency and a name in brackets
	// ("(REUTERS/Jane Doe)").
	agencyTailRe = regexp.MustCompile(`(?:^|[\s.,;:|–—-])\s*(?:` +
		`\(?(?:(?:\p{Lu}[\pL'_-]*\s+)?[\pL\pN][\pL\pN.'_-]*\s*/\s*)+(?i:shutterstock|istock(?:photo)?|getty ?images|unsplash|pixabay|pixelio|adobe ?stock|stock\.adobe\.com|imago|picture[ -]alliance|dpa|afp|reuters|epa|efe|ap)(?:\.com|\.de)?\b(?:\s*\p{Lu}[\pL]*)?(?:\s*/\s*[\pL .-]{1,40})?\)?` +
		`|\((?i:ap|afp|reuters|efe|dpa|epa|ansa)\s*/[^()]{1,60}\)` +
		`)\.?\s*$`)
	// creditLabelRe matches a labelled credit at the end of a caption
	// ("… Foto: Jane Doe", "(Quelle: Agency)", "Image by Jane Doe").
	creditLabelRe = regexp.MustCompile(`(?i)(?:^|[\s.,;:|–—-])\s*\(?\b(?:foto|fotos|photo|photos|photograph|bild|bilder|image|imagen|quelle|source|credit|crédito|créditos|fotografía|zdjęcie|picture|titelbild|beitragsbild)\s*(?::|\bby\b)\s*[^()©]{1,80}\)?\.?\s*$`)
	// postMetaRe matches the line a blog template sets under a post: where
	// it was filed, its tags, when it was posted ("This entry was posted
	// in News. Bookmark the permalink.", "Kategorien: Garten, Technik",
	// "Der Beitrag wurde am … veröffentlicht und wurde unter … abgelegt").
	postMetaRe = regexp.MustCompile(`(?i)^(?:this (?:entry|post) was posted\b|(?:posted|filed) (?:in|under)\b|bookmark the permalink|(?:tags?|tagged|categor(?:y|ies)|kategorien?|schlagwörter|schlagworte|etiquetas|categorías|catégories?|mots[- ]clés|tagi|kategorie)\s*:|(?:der|dieser) (?:beitrag|eintrag|artikel) wurde .*\b(?:veröffentlicht|abgelegt)\b|erstellt am .*\b(?:abgelegt|veröffentlicht) unter\b|abgelegt unter\b|veröffentlicht (?:in|unter)\b|publicado en\b)`)
	// noticeRe matches the notices a site sets in or under its articles
	// about rights, licences, opinions and advertising: phrases no article
	// sentence needs ("All rights reserved", "may not be reproduced
	// without permission", "Dieser Beitrag enthält Werbung"). Affiliate
	// disclosures stay: the wcxb reviewers count them as the article's.
	noticeRe = regexp.MustCompile(`(?i)\b(?:all rights reserved|alle rechte vorbehalten|wszelkie prawa zastrzeżone|todos los derechos reservados|tous droits réservés|tutti i diritti riservati|todos os direitos reservados|copyrighted property|chroniony prawem autorskim|(?:written|prior) permission|(?:reproduced|republished|reprinted|redistributed) without|enthält werbung|in (?:freundlicher |bezahlter )?(?:kooperation|zusammenarbeit) mit\b[^.]{0,120}\bentstanden|(?:this|the) (?:post|article|story|content) (?:is|was) (?:sponsored|paid for|produced in (?:partnership|collaboration)) (?:by|with)\b|(?:dieser (?:text|beitrag|artikel)|inhalte dieser (?:website|seite|webseite)|this (?:work|article|post|story) is|content on this (?:site|website))\b[^.]{0,80}\b(?:lizenz|licen[cs]e|cc[- ]by)|(?:meinung|ansicht) (?:des|der) (?:autors|autorin|verfassers|verfasserin)|views expressed (?:here |in this [a-z]+ )?are (?:those|solely)|alle angaben ohne gewähr)`)
	// commentWidgetRe matches what a comment box says about itself:
	// how many comments there are, that there are none, that one must log
	// in to write one ("Kommentare insgesamt: 0", "No comments yet", "Du
	// musst eingeloggt sein, um Kommentare zu schreiben").
	commentWidgetRe = regexp.MustCompile(`(?i)^(?:\d+\s+(?:comments?|kommentare?|comentarios?|commentaires?)|(?:comments?|kommentare|comentarios|commentaires)(?: insgesamt| total)?\s*:?\s*\(?\d+\)?|(?:no|keine|sin|aucun|brak) (?:comments?|kommentare|comentarios|commentaires?|komentarzy)\b.*|be the first to comment.*|sei der erste.*kommentar.*|.*\b(?:eingeloggt|angemeldet|logged in|registriert|connecté|registrado)\b.*\b(?:kommentar\w*|comment\w*|comentar\w*)\b.*|.*\b(?:kommentar\w*|comment\w*)\b.*\b(?:eingeloggt|angemeldet|logged in|anmelden|log in|sign in|registrier\w*)\b.*|(?:sie sind|du bist) (?:aktuell |derzeit )?nicht (?:eingeloggt|angemeldet)\.?|verraten sie (?:uns )?(?:gerne )?in den kommentaren.*|(?:leave|write|post) a comment.*|(?:schreib|hinterlass)(?:e|en sie)? (?:einen|deinen|ihren) kommentar.*)$`)
	// promptRe matches calls to sign up, follow or share, and pointers to
	// other stories placed inside the article ("Read more: …").
	promptRe = regexp.MustCompile(`(?i)^(sign up (for|to)|subscribe (to|for|now)|get (our|the) [\pL -]*newsletter|follow (us|[\pL .@]+ on (twitter|x|facebook|instagram|tiktok|threads|bluesky|linkedin|youtube))|like us on facebook|share (this|on)|join (us|our) on|download (our|the) app|melden sie sich|abonnieren sie|folgen sie uns|artikel gefallen|möchten sie (den|diesen) artikel teilen|vergiss nicht zu teilen|únete|suscríbete|abonnez-vous|inscrivez-vous)\b`)
	// seeAlsoRe starts a pointer to another story.
	seeAlsoRe = regexp.MustCompile(`(?i)^(read more|read also|also read|related|see also|more|watch|listen|recommended|lesen sie (auch|mehr)|mehr zum thema|auch interessant|siehe auch|lire aussi|à lire aussi|leer más|lee también|veja também|leia também|czytaj (też|także)|leggi anche|le puede interesar|te puede interesar|también te puede interesar|zum weiterlesen|weiterlesen|voir aussi|zobacz (też|także))\s*[:»›|-]`)
	// adRe matches advertising labels and "story continues" notes.
	adRe = regexp.MustCompile(`(?i)^(advertisement|advertising|anzeige|werbung|publicidad|publicité|pubblicità|reklama|-\s*anzeige\s*-|(the )?(story|article|text) continues (below|after)( (the )?(advertisement|ad))?|continue reading (the )?(main )?story)$`)
)

// junkLead are the first words (lower case) of the patterns junkParagraph
// tries; a paragraph led by any other word is checked against none but
// captionCreditRe, which keeps the per-paragraph cost low.
var junkLead = func() map[string]bool {
	m := map[string]bool{"": true}
	for _, w := range strings.Fields(`media image images video caption photo photos illustration graphic
		picture pictures photograph source credit foto fotos bild bildquelle quelle crédit crédito créditos imagen fotografía
		getty ap afp reuters shutterstock thinkstock istock istockphoto dpa epa picture alamy pa
		advertisement advertising anzeige werbung publicidad publicité pubblicità reklama the story
		article text continue sign subscribe get follow like share join download melden abonnieren
		folgen artikel möchten vergiss únete suscríbete abonnez inscrivez read also related see more
		watch listen recommended lesen mehr auch siehe lire à leer lee veja leia czytaj leggi le te
		también zum weiterlesen voir zobacz`) {
		m[w] = true
	}
	return m
}()

// maxNoticeLen is the length from which a paragraph that matches
// noticeRe is taken for article text that quotes the notice.
const maxNoticeLen = 400

// maxCommentWidgetLen is the length from which a paragraph is taken for
// a sentence about comments rather than a comment box's label.
const maxCommentWidgetLen = 120

// noticeWords and commentWidgetWords are words (lower case) of which
// every match of noticeRe, respectively commentWidgetRe, holds one.
var (
	noticeWords = []string{"reserv", "réserv", "riserv", "vorbehalten", "zastrzeżone", "copyrighted", "chroniony", "permission",
		" without", "werbung", "lizenz", "licen", "cc-by", "cc by", "meinung", "ansicht", "expressed", "gewähr",
		"kooperation", "zusammenarbeit", "sponsored", "paid for", "partnership", "collaboration"}
	commentWidgetWords = []string{"omment", "omentar", "eingeloggt", "angemeldet"}
)

// containsAny reports whether s holds any of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// postMetaLead are the first words (lower case) postMetaRe can match.
var postMetaLead = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`this posted filed bookmark tag tags tagged category categories
		kategorie kategorien schlagwörter schlagworte etiquetas categorías catégorie catégories mots tagi
		der dieser erstellt abgelegt veröffentlicht publicado`) {
		m[w] = true
	}
	return m
}()

// leadWord is the first run of letters of s, lower-cased: "" when s starts
// with anything else ("(Video by …)", "© AFP", "- Anzeige -").
func leadWord(s string) string {
	end := 0
	for i, r := range s {
		if !unicode.IsLetter(r) {
			break
		}
		end = i + utf8.RuneLen(r)
	}
	return strings.ToLower(s[:end])
}

// junkParagraph reports whether a paragraph is boilerplate by its text: a
// media placeholder or credit, an advertising label, a call to sign up or
// follow, a blog post's filing line, a rights, licence or opinion notice,
// a comment box's label, or a pointer to another story whose text is mostly its link.
func junkParagraph(text string, spans []Span) bool {
	t := strings.TrimSpace(text)
	if len(t) < 500 && postMetaLead[leadWord(t)] && postMetaRe.MatchString(t) {
		return true
	}
	if len(t) < maxNoticeLen {
		// The patterns below are long alternations that a cheap test of
		// their words spares most paragraphs.
		lower := strings.ToLower(t)
		if containsAny(lower, noticeWords) && noticeRe.MatchString(t) {
			return true
		}
		if len(t) < maxCommentWidgetLen && containsAny(lower, commentWidgetWords) && commentWidgetRe.MatchString(t) {
			return true
		}
	}
	if len(text) > 300 {
		return false
	}
	if !junkLead[leadWord(t)] {
		// Only the caption-credit pattern can match a paragraph that
		// starts with another word; it needs a colon.
		return len(t) < 160 && strings.Contains(t, ":") && captionCreditRe.MatchString(t)
	}
	if mediaRe.MatchString(t) || creditRe.MatchString(t) || adRe.MatchString(strings.Trim(t, " .:…")) {
		return true
	}
	if len(t) < 200 && promptRe.MatchString(t) {
		return true
	}
	if len(t) < 160 && captionCreditRe.MatchString(t) {
		return true
	}
	if seeAlsoRe.MatchString(t) {
		if len(t) < 150 {
			return true // a headline after "Read more:"
		}
		linked := 0
		for _, sp := range spans {
			if sp.Link != "" {
				linked += len(sp.Text)
			}
		}
		return linked*2 >= len(t)
	}
	return false
}

// trimCredit cuts the credit a caption ends with and drops a caption
// that is nothing but a credit or a media placeholder: who took a picture
// is not what it shows. A figure's caption (figure set) loses a credit of
// any kind (copyrightTailRe, agencyTailRe, creditLabelRe); a paragraph,
// which may be prose that cites its source, only a copyright notice.
func trimCredit(spans []Span, figure bool) []Span {
	t := spansText(spans)
	if t == "" {
		return spans
	}
	if figure && creditRe.MatchString(strings.Trim(t, " .()")) {
		return nil
	}
	cut := len(t)
	res := []*regexp.Regexp{copyrightTailRe, agencyTailRe, creditLabelRe}
	if !figure {
		res = res[:1]
	}
	for _, re := range res {
		if loc := re.FindStringIndex(t); loc != nil {
			cut = min(cut, loc[0])
		}
	}
	if cut == len(t) {
		return spans
	}
	if t[cut] == '.' {
		cut++ // the full stop ends the caption's last sentence
	}
	var out []Span
	for _, sp := range spans {
		if cut <= 0 {
			break
		}
		if len(sp.Text) > cut {
			sp.Text = sp.Text[:cut]
		}
		cut -= len(sp.Text)
		out = append(out, sp)
	}
	out = tidySpans(out)
	if k := len(out); k > 0 {
		out[k-1].Text = strings.TrimRight(out[k-1].Text, " |/–—-:;,(")
		if out[k-1].Text == "" {
			out = out[:k-1]
		}
	}
	return out
}

// creditedCaption reports whether a short paragraph may be a caption
// that lost its picture and ends with its copyright notice.
func creditedCaption(t string) bool {
	return len(t) < 250 && strings.Contains(t, "©")
}

// storyPointer reports whether a paragraph is a labelled link to another
// story, the "Read also: <headline>" pointers sites set between an
// article's paragraphs, told by shape rather than wording so that it holds
// in any language: a label of at most three words and a colon, then a
// link of at least three words that makes up the rest of the paragraph.
// Only a pointer standing alone between other blocks is one: a run of them
// is a list of references the article gives (see [dropPointers]).
func storyPointer(t string, spans []Span) bool {
	if len(t) > 200 {
		return false
	}
	label, rest, ok := strings.Cut(t, ":")
	if !ok || label == "" || len(strings.Fields(label)) > 3 || strings.ContainsAny(label, ".!?,;") {
		return false
	}
	rest = strings.TrimSpace(rest)
	linked, words := 0, 0
	for _, sp := range spans {
		if sp.Link != "" && !strings.HasPrefix(sp.Link, "#") {
			linked += len(strings.TrimSpace(sp.Text))
			words += len(strings.Fields(sp.Text))
		}
	}
	return words >= 3 && rest != "" && linked*10 >= len(rest)*9
}

// dropPointers removes the paragraphs that are a [storyPointer] with no
// pointer-shaped paragraph beside them.
func dropPointers(blocks []Block) []Block {
	ptr := make([]bool, len(blocks))
	any := false
	for i, b := range blocks {
		if b.Kind == Paragraph {
			ptr[i] = storyPointer(strings.TrimSpace(spansText(b.Spans)), b.Spans)
			any = any || ptr[i]
		}
	}
	if !any {
		return blocks
	}
	out := blocks[:0:0]
	for i, b := range blocks {
		if ptr[i] && (i == 0 || !ptr[i-1]) && (i == len(blocks)-1 || !ptr[i+1]) {
			continue
		}
		out = append(out, b)
	}
	return out
}

// blocks returns the blocks under n.
func (w *walker) blocks(n *html.Node) []Block {
	var out []Block
	var in inline
	w.walk(n, &out, &in, "")
	w.flush(&out, &in)
	return out
}

// lineBreak stands for a <br> in collected text: U+2028 LINE SEPARATOR,
// which flush splits paragraphs at and tidySpans otherwise turns into a
// space.
const lineBreak = "\u2028"

// flush ends the current paragraph, one paragraph for each line of it.
func (w *walker) flush(out *[]Block, in *inline) {
	raw := in.spans
	in.spans = nil
	start := 0
	for i := 0; i < len(raw); i++ {
		before, after, ok := strings.Cut(raw[i].Text, lineBreak)
		if !ok {
			continue
		}
		line := append(raw[start:i:i], Span{Text: before, Link: raw[i].Link})
		w.flushLine(out, line)
		raw[i].Text = after
		start = i
		i-- // the rest of this span may hold more breaks
	}
	w.flushLine(out, raw[start:])
}

// flushLine adds one paragraph unless it is empty or boilerplate.
func (w *walker) flushLine(out *[]Block, line []Span) {
	spans := tidySpans(line)
	if len(spans) == 0 {
		return
	}
	text := spansText(spans)
	if creditedCaption(text) {
		if spans = trimCredit(spans, false); len(spans) == 0 {
			return
		}
		text = spansText(spans)
	}
	if volatileText(text) || boilerRe.MatchString(strings.Trim(text, " .:…>›»")) || junkParagraph(text, spans) {
		return
	}
	if w.profile != nil && w.profile.dropText(text) {
		return
	}
	*out = append(*out, Block{Kind: Paragraph, Spans: spans})
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// walk adds n's content to out, collecting inline content in in. link is
// the target of the enclosing <a>, if any.
func (w *walker) walk(n *html.Node, out *[]Block, in *inline, link string) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			in.add(c.Data, link)
		case html.ElementNode:
			w.element(c, out, in, link)
		}
	}
}

func (w *walker) element(c *html.Node, out *[]Block, in *inline, link string) {
	tag := c.Data
	if dropTags[tag] || tag == "svg" || tag == "math" || tag == "head" || tag == "title" || tag == "noscript" {
		return
	}
	switch tag {
	case "br":
		// A line break inside a paragraph ends a line: lists and verse
		// set with <br> stay one item a line ("follows:" / "1. Norway").
		// Headings, captions and list items fold it into a space.
		in.add(lineBreak, link)
		return
	case "img":
		if b, ok := w.image(c); ok {
			w.flush(out, in)
			*out = append(*out, b)
		}
		return
	case "a":
		href := absURL(w.base, attr(c, "href"))
		if href != "" && w.base != nil && href == CleanURL(w.base).String() && strings.HasPrefix(strings.TrimSpace(attr(c, "href")), "#") {
			href = ""
		}
		if link != "" {
			href = link
		}
		w.walk(c, out, in, href)
		return
	case "time", "span", "small":
		if volatileText(cleanText(textOf(c))) {
			return
		}
	}
	if !blockTags[tag] {
		w.walk(c, out, in, link)
		return
	}
	w.flush(out, in)
	switch tag {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		var hin inline
		var ignored []Block
		w.walk(c, &ignored, &hin, "")
		spans := tidySpans(hin.spans)
		if len(spans) > 0 {
			level := max(int(tag[1]-'0'), 2)
			if tag == "h1" && sameText(spansText(spans), w.title) {
				break
			}
			for i := range spans {
				spans[i].Link = ""
			}
			*out = append(*out, Block{Kind: Heading, Level: level, Spans: tidySpans(spans)})
		}
		*out = append(*out, ignored...)
	case "ul", "ol", "menu":
		if galleryList(c) {
			w.gallery(c, out)
			break
		}
		if b, ok := w.list(c); ok {
			*out = append(*out, b)
		}
	case "blockquote":
		children := w.blocks(c)
		if len(children) > 0 {
			*out = append(*out, Block{Kind: Quote, Children: children})
		}
	case "figure", "picture":
		w.figure(c, out)
	case "table":
		w.table(c, out)
	case "pre":
		if code := preText(c); code != "" {
			*out = append(*out, Block{Kind: Pre, Code: code})
		}
	case "hr":
	default:
		w.walk(c, out, in, link)
		w.flush(out, in)
	}
}

// image returns the image block for <img> c, or false when it is a data:
// URI, a tracking pixel or has no usable source.
func (w *walker) image(c *html.Node) (Block, bool) {
	src := ImageSource(func(k string) string { return attr(c, k) })
	if src == "" {
		src = lazySource(c)
	}
	if src == "" {
		return Block{}, false
	}
	wd, ht := attr(c, "width"), attr(c, "height")
	if isTiny(wd) || isTiny(ht) {
		return Block{}, false
	}
	u := ImageURL(w.base, src)
	if u == "" {
		return Block{}, false
	}
	if w.profile != nil {
		u = w.profile.imageURL(u)
	}
	lu := strings.ToLower(u)
	if strings.Contains(lu, "pixel") || strings.Contains(lu, "beacon") || strings.Contains(lu, "/1x1") || strings.Contains(lu, "spacer.gif") || strings.Contains(lu, "blank.gif") {
		return Block{}, false
	}
	return Block{Kind: Image, Src: u, Alt: cleanText(attr(c, "alt"))}, true
}

// lazyNameWords mark a data- attribute that names an image source.
var lazyNameWords = []string{"src", "img", "image", "original", "full", "large", "url"}

// lazySource returns the real source of an <img> c whose src is a
// stand-in, for lazy loaders [ImageSource] does not know: a data-
// attribute named for a source (src, img, image, original, full, large,
// url) that holds one URL, by attribute name so that their order on the
// page does not matter, else the <img> of a <noscript> right after c,
// which loaders leave for readers without scripts. It returns "" when
// there is none.
func lazySource(c *html.Node) string {
	best, bestKey := "", ""
	for _, a := range c.Attr {
		k := strings.ToLower(a.Key)
		v := strings.TrimSpace(a.Val)
		if !strings.HasPrefix(k, "data-") || v == "" || IsPlaceholderImage(v) {
			continue
		}
		if !containsAny(k[len("data-"):], lazyNameWords) {
			continue
		}
		if strings.Contains(k, "srcset") {
			v = BestSrcset(v)
		}
		if v == "" || strings.ContainsAny(v, " \t\n{<") || !(strings.HasPrefix(v, "/") || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")) {
			continue
		}
		if best == "" || k < bestKey {
			best, bestKey = v, k
		}
	}
	if best != "" {
		return best
	}
	n := c.NextSibling
	for n != nil && n.Type == html.TextNode && strings.TrimSpace(n.Data) == "" {
		n = n.NextSibling
	}
	if n == nil || n.Type != html.ElementNode || n.Data != "noscript" {
		return ""
	}
	var raw strings.Builder
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		if k.Type == html.TextNode {
			raw.WriteString(k.Data)
		} else if k.Type == html.ElementNode && k.Data == "img" {
			return ImageSource(func(key string) string { return attr(k, key) })
		}
	}
	frag, err := html.ParseFragment(strings.NewReader(raw.String()), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return ""
	}
	for _, f := range frag {
		if img := findImg(f); img != nil {
			return ImageSource(func(key string) string { return attr(img, key) })
		}
	}
	return ""
}

// findImg returns the first <img> in n's subtree, nil when none.
func findImg(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.Data == "img" {
		return n
	}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		if img := findImg(k); img != nil {
			return img
		}
	}
	return nil
}

func isTiny(s string) bool {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	n, err := strconv.Atoi(s)
	return err == nil && n <= 2
}

// figure adds a figure: its image with the caption, or its content as
// blocks when it holds no image.
func (w *walker) figure(c *html.Node, out *[]Block) {
	var imgs []Block
	var caption []Span
	var others []Block
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			if k.Type != html.ElementNode {
				continue
			}
			switch k.Data {
			case "img":
				if b, ok := w.image(k); ok {
					imgs = append(imgs, b)
				}
			case "figcaption":
				var in inline
				var ignored []Block
				w.walk(k, &ignored, &in, "")
				caption = append(caption, Span{Text: " "})
				caption = append(caption, in.spans...)
				for _, b := range ignored {
					if b.Kind == Paragraph {
						caption = append(caption, Span{Text: " "})
						caption = append(caption, b.Spans...)
					}
				}
			case "blockquote", "table", "pre", "p", "ul", "ol":
				var in inline
				w.element(k, &others, &in, "")
				w.flush(&others, &in)
			default:
				if !dropTags[k.Data] {
					visit(k)
				}
			}
		}
	}
	visit(c)
	caption = trimCredit(tidySpans(caption), true)
	if len(imgs) == 0 {
		*out = append(*out, others...)
		if len(caption) > 0 {
			*out = append(*out, Block{Kind: Paragraph, Spans: caption})
		}
		return
	}
	*out = append(*out, others...)
	imgs[len(imgs)-1].Caption = caption
	*out = append(*out, imgs...)
}

// galleryList reports whether list c is a gallery: every item holds an
// image, so the items are pictures with captions, not points of a list.
func galleryList(c *html.Node) bool {
	items := 0
	for li := c.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode {
			continue
		}
		if li.Data != "li" || !hasImage(li) {
			return false
		}
		items++
	}
	return items > 0
}

func hasImage(n *html.Node) bool {
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		if k.Type == html.ElementNode && (k.Data == "img" || hasImage(k)) {
			return true
		}
	}
	return false
}

// gallery adds each item of gallery list c as its image, captioned with
// the item's text, as a figure is.
func (w *walker) gallery(c *html.Node, out *[]Block) {
	for li := c.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode {
			continue
		}
		var imgs []Block
		var caption []Span
		for _, b := range w.blocks(li) {
			switch b.Kind {
			case Image:
				caption = append(caption, b.Caption...)
				b.Caption = nil
				imgs = append(imgs, b)
			case Paragraph, Heading:
				caption = append(caption, Span{Text: " "})
				caption = append(caption, b.Spans...)
			default:
				*out = append(*out, b)
			}
		}
		if len(imgs) > 0 {
			imgs[len(imgs)-1].Caption = tidySpans(caption)
			*out = append(*out, imgs...)
		}
	}
}

// list returns the List block for <ul>/<ol> c.
func (w *walker) list(c *html.Node) (Block, bool) {
	b := Block{Kind: List, Ordered: c.Data == "ol", Start: 1}
	if s, err := strconv.Atoi(strings.TrimSpace(attr(c, "start"))); err == nil && s >= 0 && s < 1e6 {
		b.Start = s
	}
	if !b.Ordered {
		b.Start = 0
	}
	for li := c.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode {
			continue
		}
		if li.Data == "ul" || li.Data == "ol" {
			if sub, ok := w.list(li); ok {
				if len(b.Items) > 0 {
					b.Items[len(b.Items)-1].Lists = append(b.Items[len(b.Items)-1].Lists, sub)
				} else {
					b.Items = append(b.Items, Item{Lists: []Block{sub}})
				}
			}
			continue
		}
		var item Item
		var in inline
		var blocks []Block
		w.walk(li, &blocks, &in, "")
		w.flush(&blocks, &in)
		for _, bl := range blocks {
			switch bl.Kind {
			case Paragraph, Heading:
				if len(item.Spans) > 0 {
					item.Spans = append(item.Spans, Span{Text: " "})
				}
				item.Spans = append(item.Spans, bl.Spans...)
			case List:
				item.Lists = append(item.Lists, bl)
			case Quote:
				for _, q := range bl.Children {
					if q.Kind == Paragraph {
						item.Spans = append(item.Spans, Span{Text: " "})
						item.Spans = append(item.Spans, q.Spans...)
					}
				}
			}
		}
		item.Spans = tidySpans(item.Spans)
		if len(item.Spans) > 0 || len(item.Lists) > 0 {
			b.Items = append(b.Items, item)
		}
	}
	return b, len(b.Items) > 0
}

// table adds a data table as a Table block, or walks a layout table's
// cells as blocks.
func (w *walker) table(c *html.Node, out *[]Block) {
	var rows [][]string
	header := false
	layout := false
	var trs []*html.Node
	var collect func(n *html.Node)
	collect = func(n *html.Node) {
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			if k.Type != html.ElementNode {
				continue
			}
			switch k.Data {
			case "tr":
				trs = append(trs, k)
			case "thead", "tbody", "tfoot":
				collect(k)
			}
		}
	}
	collect(c)
	for i, tr := range trs {
		var row []string
		allTH := true
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.Type != html.ElementNode || (td.Data != "td" && td.Data != "th") {
				continue
			}
			if td.Data != "th" {
				allTH = false
			}
			if hasBlockChild(td) {
				layout = true
			}
			row = append(row, cleanText(textOf(td)))
		}
		if i == 0 && allTH && len(row) > 0 || i == 0 && tr.Parent != nil && tr.Parent.Data == "thead" {
			header = true
		}
		// A row with no text (a spacer, an emptied ad slot, a hidden row
		// a script fills) says nothing, and it comes and goes with the
		// page's furniture.
		if slices.ContainsFunc(row, func(c string) bool { return c != "" }) {
			rows = append(rows, row)
		}
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if layout || cols <= 1 || len(rows) == 0 {
		var in inline
		for _, tr := range trs {
			for td := tr.FirstChild; td != nil; td = td.NextSibling {
				if td.Type == html.ElementNode {
					w.walk(td, out, &in, "")
					w.flush(out, &in)
				}
			}
		}
		return
	}
	for i := range rows {
		for len(rows[i]) < cols {
			rows[i] = append(rows[i], "")
		}
	}
	*out = append(*out, Block{Kind: Table, Rows: rows, Header: header})
}

// hasBlockChild reports whether a table cell holds block content.
func hasBlockChild(n *html.Node) bool {
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		if k.Type != html.ElementNode {
			continue
		}
		switch k.Data {
		case "p", "ul", "ol", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "figure":
			return true
		case "div", "section":
			if hasBlockChild(k) {
				return true
			}
		}
	}
	return false
}

// textOf returns n's text content.
func textOf(n *html.Node) string { return nodeText(n, false) }

// nodeText returns n's text content, with a space for each <br> and
// dropped element and after each block element; before each block
// element too when around is set, so that lines a heading's <div>s or
// <p>s set apart do not run together at their start.
func nodeText(n *html.Node, around bool) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return
		}
		if n.Type == html.ElementNode && (dropTags[n.Data] || n.Data == "br" || n.Data == "noscript") {
			b.WriteByte(' ')
			return
		}
		block := n.Type == html.ElementNode && blockTags[n.Data]
		if block && around {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
		if block {
			b.WriteByte(' ')
		}
	}
	visit(n)
	return b.String()
}

// pageText returns the text of the page's <body> (of the whole document
// when it has none): every text node outside scripts, styles, templates
// and <noscript>, with a space at each element that starts a block, a
// <br> and a dropped element, normalised ([normalizeText]).
func pageText(root *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			// Line breaks are the blocks' own: the source's go.
			b.WriteString(strings.Map(func(r rune) rune {
				if r == '\n' || r == '\r' {
					return ' '
				}
				return r
			}, n.Data))
			return
		case n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "template" || n.Data == "noscript" || n.Data == "head"):
			b.WriteByte(' ')
			return
		}
		block := n.Type == html.ElementNode && (blockTags[n.Data] || n.Data == "br" || dropTags[n.Data])
		if block {
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
		if block {
			b.WriteByte('\n')
		}
	}
	visit(root)
	return normalizeText(b.String())
}

// preText returns the verbatim text of a <pre>, normalised: NFC, no
// zero-width characters, no trailing spaces, no leading or trailing blank
// lines.
func preText(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.Data == "br":
			b.WriteByte('\n')
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
	}
	visit(n)
	s := strings.ReplaceAll(b.String(), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		var lb strings.Builder
		for _, r := range l {
			if r == '\t' {
				lb.WriteRune(r)
				continue
			}
			lb.WriteString(normalizeText(string(r)))
		}
		lines[i] = strings.TrimRight(lb.String(), " \t")
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// tidySpans normalises text, collapses whitespace across span boundaries,
// trims the ends and merges neighbours with the same link.
func tidySpans(spans []Span) []Span {
	if alreadyTidy(spans) {
		return slices.Clone(spans)
	}
	var out []Span
	space := true // at start: drop leading space
	for _, s := range spans {
		t := normalizeText(s.Text)
		var b strings.Builder
		for _, r := range t {
			if r == ' ' || r == '\n' {
				if !space {
					b.WriteByte(' ')
					space = true
				}
				continue
			}
			b.WriteRune(r)
			space = false
		}
		if b.Len() == 0 {
			continue
		}
		text := b.String()
		if k := len(out); k > 0 && out[k-1].Link == s.Link {
			out[k-1].Text += text
			continue
		}
		if s.Link != "" && strings.HasPrefix(text, " ") && len(out) > 0 {
			// keep the space outside the link
			out[len(out)-1].Text += " "
			text = text[1:]
			if text == "" {
				continue
			}
		}
		out = append(out, Span{Text: text, Link: s.Link})
	}
	// trim the end
	for len(out) > 0 {
		k := len(out) - 1
		out[k].Text = strings.TrimRight(out[k].Text, " ")
		if out[k].Text != "" {
			break
		}
		out = out[:k]
	}
	// a link's trailing space goes outside it
	for i := 0; i+1 < len(out); i++ {
		if out[i].Link != "" && strings.HasSuffix(out[i].Text, " ") {
			out[i].Text = strings.TrimRight(out[i].Text, " ")
			out[i+1].Text = " " + out[i+1].Text
		}
	}
	// drop links with no text
	res := out[:0]
	for _, s := range out {
		if s.Text != "" {
			if k := len(res); k > 0 && res[k-1].Link == s.Link {
				res[k-1].Text += s.Text
				continue
			}
			res = append(res, s)
		}
	}
	return res
}

// spansText returns the plain text of spans.
func spansText(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.Text)
	}
	return b.String()
}

// linkShare is the share of a block's text (paragraph, heading or list)
// that is the text of links into the site (see [inSite]), from 0 to 1; 0
// for other kinds and empty blocks.
func linkShare(b Block, hosts []string) float64 {
	all, linked := 0, 0
	count := func(spans []Span) {
		for _, sp := range spans {
			n := len(strings.TrimSpace(sp.Text))
			all += n
			if sp.Link != "" && inSite(sp.Link, hosts) {
				linked += n
			}
		}
	}
	var items func(l Block)
	items = func(l Block) {
		for _, it := range l.Items {
			count(it.Spans)
			for _, sub := range it.Lists {
				items(sub)
			}
		}
	}
	switch b.Kind {
	case Paragraph, Heading:
		count(b.Spans)
	case List:
		items(b)
	}
	if all == 0 {
		return 0
	}
	return float64(linked) / float64(all)
}

// tailChromeWords is the length under which an unlinked paragraph after
// an article's last prose is taken for page furniture (a prompt, a label,
// a rating widget's text) rather than the article's closing sentence.
// tailChromeRunes bounds it in characters too, for the scripts that do
// not put spaces between words.
const (
	tailChromeWords = 8
	tailChromeRunes = 50
)

// inSite reports whether link points into the article's site, named by
// hosts (the host it was fetched from and its canonical one): one of them
// but for a "www." prefix, or a subdomain of one, or a link that is not
// http(s) at all (a page read from a file resolves its relative links to
// file: URLs). Links out of the site are the article's sources; links into
// it are the site's own teasers.
func inSite(link string, hosts []string) bool {
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return true
	}
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	for _, host := range hosts {
		host = strings.TrimPrefix(strings.ToLower(host), "www.")
		if host != "" && (h == host || strings.HasSuffix(h, "."+host) || strings.HasSuffix(host, "."+h)) {
			return true
		}
	}
	return false
}

// pruneTail drops the page furniture a body container holds after the
// article's last paragraph of prose: headings, lists and paragraphs made
// mostly of links into the site (see [inSite]: teaser boxes, "more on
// this") and short lines that are not sentences (comment counters, author
// boxes' headings). It keeps the images there, and it cuts nothing when
// the run is more than a third of the text, since that is not a tail but
// a page the body is made of. hosts name the article's site.
func pruneTail(blocks []Block, hosts []string) []Block {
	total := textLen(blocks)
	cut, cutLen := len(blocks), 0
	for i := len(blocks) - 1; i > 0; i-- {
		b := blocks[i]
		if b.Kind == Image {
			continue
		}
		if !tailChrome(b, hosts) {
			break
		}
		cut = i
		cutLen += len(blockText(b))
	}
	if cut == len(blocks) || cutLen*3 > total {
		return blocks
	}
	out := blocks[:cut:cut]
	for _, b := range blocks[cut:] {
		if b.Kind == Image {
			out = append(out, b)
		}
	}
	return out
}

// tailChrome reports whether a block after an article's prose is page
// furniture; see [pruneTail].
func tailChrome(b Block, hosts []string) bool {
	switch b.Kind {
	case Heading:
		return true
	case List:
		return linkShare(b, hosts) >= 0.5
	case Paragraph:
		// A sentence ("Read the full report.") is the article's, unless
		// it is all link.
		share, t := linkShare(b, hosts), blockText(b)
		if share >= 0.9 {
			return true
		}
		words := len(strings.Fields(t))
		if words < 2*tailChromeWords && (strings.HasPrefix(t, "©") || strings.HasPrefix(strings.ToLower(t), "(c)")) {
			return true // a copyright line, not a sentence that starts with one
		}
		short := words < tailChromeWords && utf8.RuneCountInString(t) < tailChromeRunes
		switch last := lastRune(t); {
		case strings.ContainsAny(last, "?!？！"):
			// A short question or exclamation there is a prompt ("Schon
			// gelesen?", "You may also like!").
			return short
		case strings.ContainsAny(last, ".\"“”»…。」"):
			return false
		}
		return share >= 0.5 || short
	case Quote:
		for _, c := range b.Children {
			if !tailChrome(c, hosts) {
				return false
			}
		}
		return len(b.Children) > 0
	}
	return false
}

// lastRune is the last character of s, "" when s is empty.
func lastRune(s string) string {
	s = strings.TrimSpace(s)
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}

// Limits of an author box at the end of a body: at most bioBlocks blocks
// and bioWords words, and at most a quarter of the body's text.
const (
	bioBlocks = 5
	bioWords  = 160
)

// pruneBio drops the author box a body container ends with: a paragraph
// that opens with one of the article's authors' names ("Jane Doe is a
// senior reporter who …") or a line that signs the article with one ("By
// Jane Doe") above the bio, the heading over it, and what follows it to
// the end, when all of that is short; with two authors, from the first of
// their bios. The names come from the page's own
// metadata, so the test holds in any language.
func pruneBio(blocks []Block, authors []string) []Block {
	if len(authors) == 0 || len(blocks) < 3 {
		return blocks
	}
	total := textLen(blocks)
	words, size := 0, 0
	cut := len(blocks)
	// Go on past a bio that is found: with two authors the box holds two,
	// and it starts at the first.
	for i := len(blocks) - 1; i > 0 && i >= len(blocks)-bioBlocks; i-- {
		b := blocks[i]
		t := blockText(b)
		words += len(strings.Fields(t))
		size += len(t)
		if words > bioWords || size*4 > total {
			break
		}
		if !(b.Kind == Paragraph && startsWithName(t, authors) || (b.Kind == Paragraph || b.Kind == Heading) && signedBy(t, authors)) {
			continue
		}
		cut = i
		if blocks[i-1].Kind == Heading && cut > 1 {
			cut--
		}
	}
	return blocks[:cut:cut]
}

// signedBy reports whether text is a short line that signs the article
// with one of names: "By" or its like, then the name and nothing more.
func signedBy(text string, names []string) bool {
	if utf8.RuneCountInString(text) > 60 {
		return false
	}
	loc := byRe.FindStringIndex(text)
	if loc == nil {
		return false
	}
	rest := foldText(text[loc[1]:])
	for _, n := range names {
		if f := foldText(n); f != "" && rest == f {
			return true
		}
	}
	return false
}

// startsWithName reports whether text opens with one of names, compared
// without case and punctuation.
func startsWithName(text string, names []string) bool {
	head := foldText(firstRunes(text, 80))
	for _, n := range names {
		if f := foldText(n); len(strings.Fields(n)) >= 2 && f != "" && strings.HasPrefix(head, f) {
			return true
		}
	}
	return false
}

// firstRunes is s cut to at most n characters.
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// pruneHead drops the page furniture a body container holds before the
// article's first paragraph of prose: breadcrumbs, kicker and category
// labels, datelines and link rows, by the test [pruneTail] uses on
// paragraphs and lists. Headings and images stay (a kicker heading or the
// lead picture belongs to the article), and nothing is cut when the run
// is more than a quarter of the text.
func pruneHead(blocks []Block, hosts []string) []Block {
	total := textLen(blocks)
	cut, cutLen := 0, 0
	var drop []int
	for i, b := range blocks {
		if b.Kind == Image || b.Kind == Heading {
			continue
		}
		if b.Kind != Paragraph && b.Kind != List || !tailChrome(b, hosts) {
			break
		}
		drop = append(drop, i)
		cut = i + 1
		cutLen += len(blockText(b))
	}
	if len(drop) == 0 || cut == len(blocks) || cutLen*4 > total {
		return blocks
	}
	out := make([]Block, 0, len(blocks)-len(drop))
	for i, b := range blocks {
		if len(drop) > 0 && drop[0] == i {
			drop = drop[1:]
			continue
		}
		out = append(out, b)
	}
	return out
}
