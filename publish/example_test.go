package publish_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/publish"
)

// Example publishes an archive with one article saved twice into a
// folder, then publishes again after nothing changed.
func Example() {
	dir, err := os.MkdirTemp("", "stet-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	arch, err := archive.Open(filepath.Join(dir, "repo"), archive.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer arch.Close()
	url := "https://news.example.com/story"
	path, _ := archive.PathFor(url)
	when := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	for i, text := range []string{"The vote is on Tuesday.", "The vote was delayed to Friday."} {
		md := fmt.Sprintf("---\ntitle: Vote\nurl: %s\n---\n\n# Vote\n\n%s\n", url, text)
		msg := fmt.Sprintf("Example: Vote\n\nchanged\n\nStet-Url: %s\nStet-Version: %d\n", url, i+1)
		if _, _, err := arch.Save(archive.Change{Path: path, Content: []byte(md), Message: msg, When: when.Add(time.Duration(i) * 3 * time.Hour)}); err != nil {
			log.Fatal(err)
		}
	}

	out := publish.Dir(filepath.Join(dir, "site"))
	res, err := publish.Publish(arch, out, publish.Options{Title: "Example archive"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("articles:", res.Total, "full:", res.Full)
	page, _ := out.ReadFile("a/news.example.com/story.md/v2.html")
	fmt.Println("diff page bytes > 0:", len(page) > 0)

	res, _ = publish.Publish(arch, out, publish.Options{Title: "Example archive"})
	fmt.Println("second run unchanged:", res.Unchanged)
	// Output:
	// articles: 1 full: true
	// diff page bytes > 0: true
	// second run unchanged: true
}
