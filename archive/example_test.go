package archive_test

import (
	"fmt"

	"github.com/stet-archive/stet/archive"
)

func ExamplePathFor() {
	for _, u := range []string{
		"https://www.example.com/news/story",
		"https://www.example.com/news/",
		"https://www.example.com/story?id=123",
		"https://www.example.com/News/Story",
		"https://www.example.com/%2e%2e/.git/config",
	} {
		p, _ := archive.PathFor(u)
		fmt.Println(p)
	}
	// Output:
	// www.example.com/news/story.md
	// www.example.com/news/index.md
	// www.example.com/story@id=123.md
	// www.example.com/news~69752f23/story~e9e509dc.md
	// www.example.com/_git~4d0a4dff/config.md
}

func ExampleParseMessage() {
	subject, body, trailers := archive.ParseMessage("Example: Minister resigns\n\nNew article\n\nStet-Url: https://www.example.com/news/story\nStet-Version: 1\n")
	fmt.Println(subject)
	fmt.Println(body)
	for _, t := range trailers {
		fmt.Printf("%s=%s\n", t.Key, t.Value)
	}
	// Output:
	// Example: Minister resigns
	// New article
	// Stet-Url=https://www.example.com/news/story
	// Stet-Version=1
}
