// Package htmldate stands in for github.com/markusmobius/go-htmldate in
// stet's build (see the replace directive in stet's go.mod). stet runs
// go-trafilatura with its date search disabled (trafilatura.Disabled) and
// finds dates itself (extract/date.go), so go-trafilatura never calls
// FromDocument. The real package links go-dateparser, whose locale tables
// take about 270 ms and 78 MB to build when any stet command starts.
//
// This package declares only what go-trafilatura v1.12 names. If an
// upgrade of go-trafilatura names more, the build fails here, and the
// upgrade decides again whether stet needs a date search from it.
package htmldate

import (
	"errors"
	"time"

	"golang.org/x/net/html"
)

// Options is the subset of go-htmldate's options go-trafilatura sets.
type Options struct {
	URL                 string
	UseOriginalDate     bool
	SkipExtensiveSearch bool
}

// Result is a found date; FromDocument never finds one.
type Result struct {
	DateTime    time.Time
	HasTime     bool
	HasTimezone bool
	SrcString   string
}

// IsZero reports whether r holds no date.
func (r Result) IsZero() bool { return r.DateTime.IsZero() }

// ErrNoDateSearch is FromDocument's error: this build has no date search.
var ErrNoDateSearch = errors.New("htmldate: stet's build has no date search (see stet's go.mod)")

// FromDocument returns ErrNoDateSearch.
func FromDocument(doc *html.Node, opts Options) (Result, error) {
	return Result{}, ErrNoDateSearch
}
