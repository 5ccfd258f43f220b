package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/extract"
	"github.com/stet-archive/stet/fetch"
)

type extractOptions struct {
	json   bool
	url    string
	inputs []string
	http   fetchFlags
}

func newExtractCmd(a *app) *cobra.Command {
	var opts extractOptions
	cmd := &cobra.Command{
		Use:   "extract [flags] FILE|URL|-...",
		Short: "Print the normalised markdown of pages without archiving them",
		Long: `Extract the article from each input (a file, an http(s) URL, or - for standard
input) and print its markdown. With --json, print one JSON object per input
and line, in input order, with the fields source, url, title, byline,
published, language, site, text and markdown, and gate when the page is not
an article stet would archive ("not an article" for a home page, section page
or listing; "paywall", "consent", "login" or "error page").`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.inputs = args
			if opts.url != "" && len(args) > 1 {
				return usagef("--url names the address of a single input; got %d inputs", len(args))
			}
			return runExtract(cmd.Context(), a, cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print one JSON object per input and line")
	cmd.Flags().StringVar(&opts.url, "url", "", "the page's address, for a single input (default: its canonical or og:url)")
	opts.http.register(cmd)
	return cmd
}

// extracted is the JSON form of one extraction.
type extracted struct {
	Source    string `json:"source"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Byline    string `json:"byline"`
	Published string `json:"published"`
	Language  string `json:"language"`
	Site      string `json:"site"`
	Text      string `json:"text"`
	Markdown  string `json:"markdown"`
	// Gate says why the page is not an article stet would archive
	// ("not an article", "paywall", ...); omitted when it is one.
	Gate string `json:"gate,omitempty"`
}

func runExtract(ctx context.Context, a *app, cmd *cobra.Command, opts extractOptions) error {
	var client *fetch.Client
	ex := newExtractor(a)
	enc := json.NewEncoder(a.env.Stdout)
	enc.SetEscapeHTML(false)
	failures := 0
	for _, in := range opts.inputs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		page, pageURL, err := func() ([]byte, string, error) {
			if isHTTP(in) {
				if client == nil {
					client = fetch.New(opts.http.options(a, cmd))
				}
				p, err := client.Get(ctx, fetch.Request{URL: in, Kind: fetch.HTML})
				if err != nil {
					return nil, "", err
				}
				return p.Body, p.FinalURL, nil
			}
			body, err := readInput(a, in)
			return body, "", err
		}()
		if err == nil {
			if opts.url != "" {
				pageURL = opts.url
			}
			var art *extract.Article
			art, err = ex.Extract(page, pageURL)
			if err == nil {
				md := art.Markdown()
				if opts.json {
					err = enc.Encode(extracted{
						Source: in, URL: art.URL, Title: art.Title, Byline: art.Byline,
						Published: rfc3339(art.Published), Language: art.Language, Site: art.Site,
						Text: art.Text(), Markdown: string(md), Gate: art.Gate,
					})
				} else {
					_, err = a.env.Stdout.Write(md)
				}
			}
		}
		if err != nil {
			failures++
			a.logger.Error("extract failed", "source", in, "err", err)
			fmt.Fprintf(a.env.Stderr, "stet: extract %s: %v\n", in, err)
		}
	}
	if failures > 0 {
		return errFailed
	}
	return nil
}

func isHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// readInput reads a file (or stdin for "-") and decodes it to UTF-8 from
// its BOM, meta charset or content.
func readInput(a *app, name string) ([]byte, error) {
	var raw []byte
	var err error
	if name == "-" {
		if a.env.Stdin == nil {
			return nil, fmt.Errorf("no standard input")
		}
		raw, err = io.ReadAll(io.LimitReader(a.env.Stdin, 64<<20))
	} else {
		raw, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, err
	}
	body, _ := fetch.Decode(raw, "")
	return body, nil
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
