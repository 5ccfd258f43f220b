package extract_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/stet-archive/stet/extract"
)

func ExampleFromHTML() {
	page := `<html lang="en"><head>
<title>Bridge reopens | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2026-11-25T08:30:00+01:00">
<meta name="author" content="By Amelia Hart and Tom Reid, The Daily Example">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Bridge reopens</h1>
<p>The bridge reopened on Tuesday. Dr. Nair cut the ribbon at 7.30am.</p>
<div class="share-tools"><a href="https://twitter.com/share">Share on Twitter</a></div>
<p>Read the <a href="/report.pdf?utm_source=site">full report</a>.</p>
</article></body></html>`
	a, err := extract.FromHTML(strings.NewReader(page), "https://www.example.com/news/bridge?utm_medium=rss")
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(a.Markdown())
	// Output:
	// ---
	// title: Bridge reopens
	// url: https://www.example.com/news/bridge
	// site: The Daily Example
	// byline: Amelia Hart, Tom Reid
	// published: 2026-11-25T07:30:00Z
	// language: en
	// ---
	//
	// # Bridge reopens
	//
	// The bridge reopened on Tuesday.
	// Dr. Nair cut the ribbon at 7.30am.
	//
	// Read the [full report](https://www.example.com/report.pdf).
}

func ExampleSplitSentences() {
	for _, s := range extract.SplitSentences(`Mr. Smith paid $3.50 in the U.S. on Jan. 5. He said "Fine." Then he left.`) {
		fmt.Println(s)
	}
	// Output:
	// Mr. Smith paid $3.50 in the U.S. on Jan. 5.
	// He said "Fine."
	// Then he left.
}
