package extract_test

import (
	"fmt"

	"github.com/stet-archive/stet/extract"
)

func ExampleParseProfiles() {
	user, err := extract.ParseProfiles([]byte(`
name: localpaper
version: 1
hosts: [localpaper.example]
body: ["div.story-text"]
drop: [".newsletter-box"]
drop_text: ["(?i)^read more:"]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	ps := extract.BuiltinProfiles().With(user...)
	for _, host := range []string{"www.localpaper.example", "www.bbc.co.uk", "example.org"} {
		if p := ps.Match(host); p != nil {
			fmt.Printf("%s: %s/%d\n", host, p.Name, p.Version)
		} else {
			fmt.Printf("%s: generic\n", host)
		}
	}
	// Output:
	// www.localpaper.example: localpaper/1
	// www.bbc.co.uk: bbc/1
	// example.org: generic
}

func ExampleParseProfiles_error() {
	_, err := extract.ParseProfiles([]byte("name: broken\nversion: 1\nhosts: [broken.example]\nbody:\n  - \"div[class=\"\n"))
	fmt.Println(err)
	// Output:
	// invalid site profile: line 5: profile broken: body selector "div[class=": unexpected EOF in attribute selector
}
