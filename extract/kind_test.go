package extract

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// listingPage is a section page: a grid of a dozen teaser cards, each a
// headline link and a one-line summary.
func listingPage(head string) string { return cardsPage(head, 12) }

// cardsPage is a section page of n teaser cards.
func cardsPage(head string, n int) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>World news</title>` + head + `</head><body><nav><a href="/">Home</a></nav><main><h1>World</h1><div class="grid">`)
	for i := range n {
		fmt.Fprintf(&b, `<div class="card"><img src="/i/%d.jpg" alt=""><h3><a href="/world/story-%d">Ministers meet again to discuss the plan for the region, number %d</a></h3><p>A short summary of the story.</p></div>`, i, i, i)
	}
	b.WriteString(`</div></main></body></html>`)
	return b.String()
}

// categoryPage is a blog's category listing: rows of three teaser cards
// (so that no run of alike siblings is long), each a linked headline, a
// byline and an excerpt long enough to read as prose. The page's body is
// its teasers.
func categoryPage() string {
	var b strings.Builder
	b.WriteString(`<html><head><title>Streaming news</title></head><body><header><a href="/">Home</a></header><main><h1>Streaming news</h1><p>Our latest articles about streaming and television.</p>`)
	for row := range 3 {
		b.WriteString(`<div class="row">`)
		for col := range 3 {
			i := row*3 + col
			fmt.Fprintf(&b, `<div class="col col-4"><div class="post-block"><a href="/news/story-%d"><img src="/i/%d.jpg" alt=""></a>`+
				`<h4><a href="/news/story-%d">What the new streaming deal number %d means for viewers this season</a></h4>`+
				`<div class="author">By <a href="/author/%d">Writer %d</a></div><div class="date">Dec %d, 2025</div>`+
				`<p class="excerpt">The league has signed a new deal with three services, number %d, and we broke down what changes for fans who watch at home and what stays the same for the rest.</p></div></div>`,
				i, i, i, i, i, i, i+1, i)
		}
		b.WriteString(`</div>`)
	}
	b.WriteString(`</main><footer><a href="/about">About</a></footer></body></html>`)
	return b.String()
}

// collectionPage is a shop's collection: product tiles with a linked
// name, a price and a one-line description, and a paragraph about the
// collection.
func collectionPage(head string) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>Trail running shoes</title>` + head + `</head><body><main><h1>Trail running shoes</h1><p>Grip, cushioning and protection for every kind of trail, from the first rocky climb to the last muddy descent of the day.</p><ul class="products">`)
	for i := range 10 {
		fmt.Fprintf(&b, `<li class="product-tile"><a href="/p/shoe-%d"><img src="/p/%d.jpg" alt=""><span class="name">Ridge Runner %d trail shoe</span></a><span class="price">$%d.00</span><p class="desc">A light shoe with a grippy sole for rough ground.</p></li>`, i, i, i, 100+i)
	}
	b.WriteString(`</ul></main></body></html>`)
	return b.String()
}

// shopCategoryPage is a shop's category page: a few paragraphs about
// the category (which the extractor takes for the body) above a grid of
// product tiles, each a linked name, a price and a button, and paging.
func shopCategoryPage(head string) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>Espresso machines | Kitchen Shop</title>` + head + `</head><body><header><a href="/">Kitchen Shop</a><form action="/search"><input name="q"></form></header><main><h1>Espresso machines</h1>` +
		`<div class="category-intro"><p>Whether you pull a shot before work or host a brunch for twelve, a good espresso machine turns beans into a café drink in under a minute, and our range covers every budget and counter.</p>` +
		`<p>Manual lever machines reward practice with full control of the pressure; semi-automatic models keep the ritual of grinding and tamping while they hold the temperature steady for you.</p>` +
		`<p>Super-automatic machines grind, dose, tamp and froth at the press of a button, and most of them clean themselves, which makes them the choice of busy offices and large households.</p></div><ul class="product-grid">`)
	for i := range 16 {
		fmt.Fprintf(&b, `<li class="product-card"><a href="/p/machine-%d"><img src="/img/m%d.jpg" alt=""></a><a class="product-name" href="/p/machine-%d">Barista Pro %d espresso machine</a><div class="rating">4.%d (%d reviews)</div><span class="price">$%d.99</span><button>Add to cart</button></li>`, i, i, i, i, i%10, 10+i, 199+20*i)
	}
	b.WriteString(`</ul><div class="pager"><a href="?page=2">Next</a></div></main><footer><a href="/help">Help</a></footer></body></html>`)
	return b.String()
}

// relatedArticle is an article marked as one whose page ends in a long
// block of related stories, each a headline link and a teaser, more
// text than the article itself.
func relatedArticle(prose string) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>Council approves the new bridge</title><meta property="og:type" content="article"></head><body><main><article><h1>Council approves the new bridge</h1>` + prose + `</article><aside class="more"><h2>Read next</h2>`)
	for i := range 20 {
		fmt.Fprintf(&b, `<div class="teaser"><h3><a href="/local/story-%d">Residents of the old town ask for a second crossing, number %d</a></h3><p>The neighbourhood association wrote to the council again this week about traffic on the only bridge, in letter number %d.</p></div>`, i, i, i)
	}
	b.WriteString(`</aside></main></body></html>`)
	return b.String()
}

// inlineRailArticle is an article marked as one whose container holds
// a rail of eleven teasers after its six paragraphs, so that the body takes
// the rail in and is mostly teasers, though the article's own text is
// more than half the rail's.
func inlineRailArticle(para string) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>Ministers fail to agree</title><meta property="og:type" content="article"></head><body><main><article><h1>Ministers fail to agree</h1>` + strings.Repeat(para, 6) + `<div class="stories">`)
	for i := range 11 {
		fmt.Fprintf(&b, `<div class="item"><h3><a href="/world/story-%d">Ministers meet again to discuss the plan for the region, number %d</a></h3><p>A short summary of story %d, in a sentence or two about the talks and what comes next.</p></div>`, i, i, i)
	}
	b.WriteString(`</div></article></main></body></html>`)
	return b.String()
}

// railArticle is an article followed by a rail of a dozen related
// stories built from the same teaser cards as a listing.
func railArticle(prose string) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>Ministers fail to agree</title></head><body><main><article><h1>Ministers fail to agree</h1>` + prose + `</article><section class="related"><h2>More stories</h2>`)
	for i := range 12 {
		fmt.Fprintf(&b, `<div class="card"><h3><a href="/world/story-%d">Ministers meet again to discuss the plan for the region, number %d</a></h3><p>A short summary of the story, number %d, in a sentence or two.</p></div>`, i, i, i)
	}
	b.WriteString(`</section></main></body></html>`)
	return b.String()
}

func TestGateNotArticle(t *testing.T) {
	para := "<p>The minister said on Tuesday that the plan would be discussed again next week, after a long meeting in the capital that ended without an agreement between the parties.</p>"
	var prose strings.Builder
	for range 6 {
		prose.WriteString(para)
	}
	// A section page whose body opens with a paragraph about the section.
	introListing := strings.Replace(listingPage(""), `<h1>World</h1>`, `<h1>World</h1><p>News from around the world, from the capitals of Europe to the islands of the Pacific, reported by our correspondents and the agencies we work with every day.</p>`, 1)
	// A school's landing page: three paragraphs about its courses above a
	// grid of them, and no author or date; the same page dated is left
	// to be an article.
	landingPage := strings.Replace(listingPage(""), `<h1>World</h1>`, `<h1>World</h1>`+para+para+para, 1)
	datedLanding := strings.Replace(landingPage, `</title>`, `</title><meta property="article:published_time" content="2025-12-02T09:00:00Z">`, 1)
	// The landing page at a story's URL, paged through.
	pager := `<div class="pager"><a href="/reviews?page=2">2</a><a href="/reviews?page=3">3</a><a href="/reviews?page=2">Next</a></div>`
	pagedLanding := strings.Replace(landingPage, `</main>`, pager+`</main>`, 1)
	datedPaged := strings.Replace(pagedLanding, `</title>`, `</title><meta property="article:published_time" content="2025-12-02T09:00:00Z">`, 1)
	// A section page marked as an article with a few teasers only: too
	// little evidence to set the mark aside.
	shortListing := cardsPage(`<meta property="og:type" content="article">`, 6)
	// A shop's collection with an introduction of two paragraphs and
	// eight tiles, which declares itself a collection.
	introCollection := `<html><head><title>Trail running shoes</title><script type="application/ld+json">{"@context":"https://schema.org","@type":"CollectionPage","name":"Trail running shoes"}</script></head><body><main><h1>Trail running shoes</h1>` +
		`<p>Grip, cushioning and protection for every kind of trail, from the first rocky climb of the morning to the last muddy descent of the day, in sizes for every foot.</p>` +
		`<p>Every pair is tested by our staff on the hills behind the shop before it goes on sale, and you can return any pair within sixty days, worn outside or not.</p><ul class="products">` +
		strings.Repeat(`<li class="product-tile"><a href="/p/ridge"><img src="/p/r.jpg" alt=""><span class="name">Ridge Runner trail shoe</span></a><span class="price">$120.00</span></li>`, 8) + `</ul></main></body></html>`
	// A category archive its CMS declares a CollectionPage whose body is
	// the category's prose.
	proseArchive := `<html><head><title>Bridges</title><script type="application/ld+json">{"@type":"CollectionPage","name":"Bridges"}</script></head><body><main><h1>Bridges</h1>` + prose.String() + `<ul class="posts">` + strings.Repeat(`<li class="post"><a href="/b">A bridge story headline for the archive</a></li>`, 8) + `</ul></main></body></html>`
	// A WordPress category archive whose theme prints whole posts and marks
	// every page as an article: the body class says which view it is.
	archiveBody := func(class string) string {
		return `<html><head><title>Bridges</title><meta property="og:type" content="article"></head><body class="` + class + `"><main><h1>Bridges</h1>` + prose.String() + `</main></body></html>`
	}
	// A category archive marked as an article whose body is two
	// paragraphs about the category.
	shortArchive := `<html><head><title>Bridges</title><meta property="og:type" content="article"></head><body><main><h1>Bridges</h1>` + para + para + `</main></body></html>`
	// A shop's category page whose grid of products a script builds: the
	// HTML holds the category's introduction and the grid's controls.
	scriptedGrid := func(controls string) string {
		return `<html><head><title>Espresso machines</title></head><body><main><h1>Espresso machines</h1>` + prose.String() + `<div class="toolbar">` + controls + `</div><div id="grid"></div></main></body></html>`
	}
	// A roundup of recipes its template marks as an article and whose
	// JSON-LD lists the recipes: six teaser cards, too few on their own.
	itemList := `<script type="application/ld+json">{"@context":"https://schema.org","@type":"ItemList","itemListElement":[` +
		`{"@type":"ListItem","position":1,"url":"https://news.example.com/world/story-0"},{"@type":"ListItem","position":2,"url":"https://news.example.com/world/story-1"}]}</script>`
	listedListing := cardsPage(`<meta property="og:type" content="article">`+itemList, 6)
	// An article whose JSON-LD lists its related stories, with the rail
	// on the page.
	listedRelated := strings.Replace(railArticle(prose.String()), `</title>`, `</title><meta property="og:type" content="article">`+itemList, 1)
	article := `<html><head><title>Ministers fail to agree</title></head><body><article><h1>Ministers fail to agree</h1>` + prose.String() + `</article></body></html>`
	// A blog's post of short lines (a poem), no paragraph of prose, beside
	// a sidebar of a dozen archive links; the same page undated.
	var archive strings.Builder
	for i := range 12 {
		fmt.Fprintf(&archive, `<li class="archive-item"><a href="/2011/%02d/">Month %d of the old archive</a></li>`, i+1, i+1)
	}
	poemBody := `<body><div id="content"><article><h1>Autumn by the lake</h1><div class="entry">` +
		strings.Repeat(`<p>The leaves come down along the shore,<br>the boats are pulled up on the sand,<br>the wind is cold, the light is thin.</p>`, 4) +
		`</div></article></div><aside class="sidebar"><h3>Archive</h3><ul>` + archive.String() + `</ul></aside></body></html>`
	undatedPoem := `<html><head><title>Autumn by the lake</title></head>` + poemBody
	datedPoem := `<html><head><title>Autumn by the lake</title><meta property="article:published_time" content="2011-07-28T09:00:00Z"></head>` + poemBody
	// A dated page whose body is a list of episodes, each a long line,
	// beside the same archive: a listing, not a post of short lines.
	episodes := `<html><head><title>Gaming news weekly</title><meta property="article:published_time" content="2025-12-15T09:00:00Z"></head><body><div id="content"><h1>Gaming news weekly</h1><ul class="episodes">` +
		strings.Repeat(`<li>The best things from the awards show: we look at the new games, the trailers and the winners, and what they mean for the year ahead in gaming.</li>`, 8) +
		`</ul></div><aside class="sidebar"><h3>Archive</h3><ul>` + archive.String() + `</ul></aside></body></html>`
	// An undated section page whose body is a long grid of teaser cards
	// under five paragraphs of introduction.
	// Each card's summary is prose, so the body takes the grid in.
	var grid strings.Builder
	grid.WriteString(`<html><head><title>World news</title></head><body><nav><a href="/">Home</a></nav><main><h1>World</h1>` + strings.Repeat(para, 5) + `<div class="grid">`)
	for i := range 24 {
		fmt.Fprintf(&grid, `<div class="card"><h3><a href="/world/story-%d">Ministers meet again to discuss the plan for the region, number %d</a></h3><p>The talks, number %d, went on late into the night in the capital, and the parties said that they would meet again next week to settle the last points of the plan.</p></div>`, i, i, i)
	}
	grid.WriteString(`</div></main></body></html>`)
	introGrid := grid.String()
	datedListing := strings.Replace(listingPage(""), `</title>`, `</title><meta property="article:published_time" content="2025-12-02T09:00:00Z">`, 1)
	// A shop's category whose grid a script builds: a line of
	// introduction, no mark, no author, no date. The same line dated, or
	// a paragraph of prose undated, is left to be an article.
	stub := func(head, body string) string {
		return `<html><head><title>Fitness trackers</title>` + head + `</head><body><main><h1>Fitness trackers</h1>` + body + `<div id="grid"></div></main></body></html>`
	}
	const stubLine = `<p>Track your steps, sleep and heart rate every day.</p>`
	tests := []struct {
		name, page, url, want string
	}{
		{"undated unmarked page of a line", stub("", stubLine), "https://shop.example.com/c/fitness-trackers/", GateNotArticle},
		{"dated page of a line", stub(`<meta property="article:published_time" content="2025-12-02T09:00:00Z">`, stubLine), "https://shop.example.com/c/fitness-trackers/", ""},
		{"undated unmarked page of a paragraph of prose", stub("", para), "https://news.example.com/c/fitness-trackers/", ""},
		{"section page of teaser cards", listingPage(""), "https://news.example.com/world/", GateNotArticle},
		{"home page", `<html><head><title>News</title></head><body><main><h2><a href="/a">One story headline here today</a></h2><p>Short teaser.</p></main></body></html>`, "https://news.example.com/", GateNotArticle},
		{"article", article, "https://news.example.com/world/ministers-fail-to-agree", ""},
		{"listing its template marks as an article", listingPage(`<meta property="og:type" content="article">`), "https://news.example.com/world/", GateNotArticle},
		{"short listing marked as an article", shortListing, "https://news.example.com/world/", ""},
		{"short listing marked as an article whose JSON-LD is an ItemList", listedListing, "https://news.example.com/world/", GateNotArticle},
		{"article whose JSON-LD lists its related stories", listedRelated, "https://news.example.com/world/ministers-fail-to-agree", ""},
		{"page whose JSON-LD names an article type beside its ItemList", strings.Replace(listedListing, `</title>`, `</title><script type="application/ld+json">{"@type":"NewsArticle"}</script>`, 1), "https://news.example.com/world/", ""},
		{"category listing of teaser cards with excerpts", categoryPage(), "https://news.example.com/category/streaming/", GateNotArticle},
		{"shop collection", collectionPage(""), "https://shop.example.com/collections/trail-shoes", GateNotArticle},
		{"article with a rail of related stories", railArticle(prose.String()), "https://news.example.com/world/ministers-fail-to-agree", ""},
		{"short article with a rail of related stories", railArticle("<p>The minister said on Tuesday that the plan would be discussed again next week, after a long meeting in the capital that ended without an agreement between the parties, who left separately.</p>"), "https://news.example.com/world/ministers-fail-to-agree", ""},
		{"Chinese news article", `<html><head><title>部长们未能达成协议</title></head><body><article><h1>部长们未能达成协议</h1><p>部长周二表示，该计划将于下周再次讨论。此前在首都举行的长时间会议结束时，各方未能达成协议，会议持续了整整一天，与会者随后分别离开了会场，没有发表任何联合声明。</p><p>据悉，各方将在下周继续就该地区的计划进行磋商，并希望尽快取得进展，以回应公众的关切和期待。有关官员表示，下一轮会谈的具体日期和地点仍在商定之中。</p></article><ul>` + strings.Repeat(`<li><a href="/n">相关新闻标题在这里显示出来</a></li>`, 10) + `</ul></body></html>`, "https://news.example.cn/a/123.html", ""},
		{"section page with an introduction", introListing, "https://news.example.com/world/", GateNotArticle},
		{"undated section page with a few paragraphs of introduction", landingPage, "https://news.example.com/world/", GateNotArticle},
		{"dated section page with a few paragraphs of introduction", datedLanding, "https://news.example.com/world/", ""},
		{"undated listing with a pager", pagedLanding, "https://news.example.com/world/ministers-meet-again-on-the-plan", GateNotArticle},
		{"the same listing without its pager", landingPage, "https://news.example.com/world/ministers-meet-again-on-the-plan", ""},
		{"dated listing with a pager", datedPaged, "https://news.example.com/world/ministers-meet-again-on-the-plan", ""},
		{"the same page at a story's URL", introListing, "https://news.example.com/world/ministers-meet-again-on-the-plan", ""},
		{"listing with JSON-LD NewsArticle", listingPage(`<script type="application/ld+json">{"@type":"NewsArticle","headline":"World"}</script>`), "https://news.example.com/world/", GateNotArticle},
		{"shop category page", shopCategoryPage(""), "https://shop.example.com/espresso-machines", GateNotArticle},
		{"shop category page marked as an article", shopCategoryPage(`<meta property="og:type" content="article">`), "https://shop.example.com/espresso-machines", ""},
		{"collection page that says so", introCollection, "https://shop.example.com/collections/trail-shoes", GateNotArticle},
		{"category archive of prose", proseArchive, "https://news.example.com/category/bridges/", ""},
		{"article with a long block of related stories", relatedArticle(prose.String()), "https://news.example.com/local/council-approves-the-new-bridge", ""},
		{"article whose body took in a rail of teasers", inlineRailArticle(para), "https://news.example.com/world/ministers-fail-to-agree", ""},
		{"article of short paragraphs whose JSON-LD calls it a collection", `<html><head><title>Ministers fail to agree</title><meta property="og:type" content="article"><script type="application/ld+json">{"@type":"CollectionPage"}</script></head><body><article><h1>Ministers fail to agree</h1>` + strings.Repeat("<p>The minister said on Tuesday that the plan would be discussed again next week.</p>", 12) + `</article></body></html>`, "https://news.example.com/", ""},
		{"article of short paragraphs whose JSON-LD calls it a collection of a list", `<html><head><title>Ministers fail to agree</title><meta property="og:type" content="article"><script type="application/ld+json">{"@type":"CollectionPage","mainEntity":{"@type":"ItemList","itemListElement":[{"@type":"ListItem","position":1,"url":"https://news.example.com/a"}]}}</script></head><body><article><h1>Ministers fail to agree</h1>` + strings.Repeat("<p>The minister said on Tuesday that the plan would be discussed again next week.</p>", 12) + `</article></body></html>`, "https://news.example.com/", ""},
		{"shop category whose grid a script builds", scriptedGrid(`<span class="count">24 products</span><label>Sort by</label><select><option>Featured</option></select><button>Filter</button>`), "https://shop.example.com/espresso-machines", GateNotArticle},
		{"article with sorted comments", scriptedGrid(`<h2>42 comments</h2><label>Sort by</label><select><option>Newest</option></select>`), "https://news.example.com/world/ministers-fail-to-agree", ""},
		{"category archive its CMS names in the body class", archiveBody("archive category category-bridges wp-theme-news"), "https://news.example.com/category/bridges/", GateNotArticle},
		{"shop category its CMS names in the body class", archiveBody("archive tax-product_cat term-boots woocommerce"), "https://shop.example.com/product-category/boots/", GateNotArticle},
		{"page of a custom taxonomy", archiveBody("archive tax-language term-spanish"), "https://news.example.com/language/spanish/", ""},
		{"category archive its URL names", shortArchive, "https://news.example.com/magazine/category/bridges/", GateNotArticle},
		{"story of the same prose", shortArchive, "https://news.example.com/bridges/council-approves-the-new-bridge/", ""},
		{"category archive its URL names whose body is prose", archiveBody("wp-theme-news"), "https://news.example.com/magazine/category/bridges/", ""},
		{"single post", archiveBody("post-template-default single single-post postid-12 category-bridges"), "https://news.example.com/council-approves-the-new-bridge/", ""},
		{"short article with a long block of related stories", relatedArticle(para + para), "https://news.example.com/local/council-approves-the-new-bridge", ""},
		{"dated post of short lines beside an archive", datedPoem, "https://blog.example.com/2011/07/autumn-by-the-lake.html", ""},
		{"undated page of short lines beside an archive", undatedPoem, "https://blog.example.com/2011/07/autumn-by-the-lake.html", GateNotArticle},
		{"dated home page of teaser cards", datedListing, "https://news.example.com/", GateNotArticle},
		{"dated list of episodes beside an archive", episodes, "https://podcasts.example.com/2025/12/gaming-news-weekly.html", GateNotArticle},
		{"undated section page of teaser cards under an introduction", introGrid, "https://news.example.com/world/", GateNotArticle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromHTML(strings.NewReader(tt.page), tt.url)
			if err != nil {
				t.Fatalf("FromHTML: %v", err)
			}
			if a.Gate != tt.want {
				t.Errorf("FromHTML(%s).Gate = %q, want %q", tt.name, a.Gate, tt.want)
			}
		})
	}
}

func TestSectionPath(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://news.example.com/", true},
		{"https://news.example.com/world/", true},
		{"https://news.example.com/category/science/", true},
		{"https://shop.example.com/c/hiking-boots", true},
		{"https://news.example.com/world/ministers-meet-again-on-the-plan", false},
		{"https://news.example.com/2025/12/02/ministers/", false},
		{"https://news.example.com/news/20251202", false},
		{"https://news.example.com/world/story.html", false},
		{"https://news.example.com/?p=5031", false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := sectionPath(u); got != tt.want {
			t.Errorf("sectionPath(%s) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestArchiveTemplate(t *testing.T) {
	tests := []struct {
		class string
		want  bool
	}{
		{"archive category category-news category-4 wp-theme-x", true},
		{"archive tag tag-bridges", true},
		{"archive author author-jane author-3", true},
		{"archive date", true},
		{"archive post-type-archive post-type-archive-work", true},
		{"archive tax-product_cat term-boots woocommerce woocommerce-page", true},
		{"search search-results", true},
		{"page-template-default page woocommerce-shop woocommerce", true},
		{"home blog wp-embed-responsive", true},
		{"page-products catalog-category-view page-layout-2columns-left", true},
		{"catalogsearch-result-index page-products", true},
		{"lang-en page-category category-id-11", true},
		{"template-collection", true},
		{"archive tax-language term-spanish", false},
		{"post-template-default single single-post postid-12 category-news", false},
		{"home page-template-default page page-id-2", false},
		{"blog", false},
		{"template-article", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := archiveTemplate(tt.class); got != tt.want {
			t.Errorf("archiveTemplate(%q) = %v, want %v", tt.class, got, tt.want)
		}
	}
}

func TestPageNumberRe(t *testing.T) {
	tests := []struct {
		href string
		want bool
	}{
		{"/reviews?page=2", true},
		{"?Page=3", true},
		{"/news/?cat=4&paged=2", true},
		{"https://news.example.com/category/science/page/2/", true},
		{"/?p=5031", false},
		{"/page/785/free-forms", false},
		{"/world/ministers-meet-again", false},
	}
	for _, tt := range tests {
		if got := pageNumberRe.MatchString(tt.href); got != tt.want {
			t.Errorf("pageNumberRe.MatchString(%q) = %v, want %v", tt.href, got, tt.want)
		}
	}
}

func TestTaxonomyPath(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://news.example.com/category/science/", true},
		{"https://news.example.com/blog/tag/bridges/page/2/", true},
		{"https://news.example.com/magazine/category/parent/child", true},
		{"https://news.example.com/tags/rust", true},
		{"https://shop.example.com/collections/boots", true},
		{"https://shop.example.com/product-category/boots/", true},
		{"https://news.example.com/en/shop/", true},
		{"https://news.example.com/shop/gift-cards", false},
		{"https://shop.example.com/collections/womens-trail-running-shoes", true},
		{"https://shop.example.com/collections/boots/products/ridge-runner-trail-shoe", false},
		{"https://news.example.com/category/", false},
		{"https://news.example.com/category/science/council-approves-the-new-bridge/", false},
		{"https://news.example.com/category/science/story-20251202", false},
		{"https://news.example.com/category/a/b/c", false},
		{"https://news.example.com/world/categories-of-risk", false},
		{"https://news.example.com/world/", false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := taxonomyPath(u); got != tt.want {
			t.Errorf("taxonomyPath(%s) = %v, want %v", tt.url, got, tt.want)
		}
	}
}
