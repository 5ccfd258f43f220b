package extract

import (
	"time"

	"github.com/PuerkitoBio/goquery"
)

// Profile is a declarative set of extraction rules for one site.
// (Placeholder: the site-profiles work fills this in.)
type Profile struct {
	Name    string
	Version int
}

// Profiles is a set of site profiles matched by host. A nil *Profiles
// matches nothing.
type Profiles struct {
	list []*Profile
}

// Match returns the profile for host, or nil when none matches or ps is nil.
func (ps *Profiles) Match(host string) *Profile {
	return nil
}

// selectBody returns the body root chosen by the profile, or an empty
// selection when the profile's selectors match nothing.
func (p *Profile) selectBody(doc *goquery.Document) *goquery.Selection {
	return doc.Find("stet-profile-none")
}

// drop removes the profile's boilerplate nodes from sel.
func (p *Profile) drop(sel *goquery.Selection) {}

// dropText reports whether a paragraph's text matches one of the profile's
// text patterns to drop.
func (p *Profile) dropText(text string) bool { return false }

// imageURL rewrites an image URL by the profile's image rules.
func (p *Profile) imageURL(u string) string { return u }

// meta returns metadata the profile's selectors find; empty when none.
func (p *Profile) meta(doc *goquery.Document) (title, byline string, published time.Time) {
	return "", "", time.Time{}
}
