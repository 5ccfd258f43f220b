package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
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

// extractGCPercent is the collector's GOGC while stet extract runs, unless
// the GOGC environment variable sets it.
const extractGCPercent = 400

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

// extractResult is the output of one input: what to print, or the error.
type extractResult struct {
	out []byte
	err error
}

// runExtract extracts the inputs on a pool of GOMAXPROCS workers and
// prints each result in input order as soon as it and those before it are
// done. Reading inputs is sequential (standard input is read once, by the
// first "-").
func runExtract(ctx context.Context, a *app, cmd *cobra.Command, opts extractOptions) error {
	if a.env.getenv("GOGC") == "" {
		// Each page allocates its DOM several times over and keeps little:
		// at the default GOGC=100 the collector took 14% of the CPU of a
		// batch of 200 pages. The heap peaks at a few hundred MB instead.
		defer debug.SetGCPercent(debug.SetGCPercent(extractGCPercent))
	}
	ex := newExtractor(a)
	ex.NoPageText = true // nothing here compares readings with their pages
	var (
		clientOnce sync.Once
		client     *fetch.Client
		clientErr  error
		stdin      sync.Mutex
	)
	getClient := func() (*fetch.Client, error) {
		clientOnce.Do(func() {
			var fo fetch.Options
			fo, clientErr = opts.http.options(a, cmd, "")
			if clientErr == nil {
				client = fetch.New(fo)
			}
		})
		return client, clientErr
	}
	results := make([]chan extractResult, len(opts.inputs))
	for i := range results {
		results[i] = make(chan extractResult, 1)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(opts.inputs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out, err := extractOne(ctx, a, ex, getClient, &stdin, opts, opts.inputs[i])
				results[i] <- extractResult{out, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range opts.inputs {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()
	failures := 0
	for i, in := range opts.inputs {
		var r extractResult
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err == nil {
			_, r.err = a.env.Stdout.Write(r.out)
		}
		if r.err != nil {
			failures++
			fmt.Fprintf(a.env.Stderr, "stet: extract %s: %v\n", in, r.err)
		}
	}
	if failures > 0 {
		return errFailed
	}
	return nil
}

// extractOne reads or fetches one input and returns its markdown, or its
// JSON line with --json.
// stdin serialises reads of standard input between workers.
func extractOne(ctx context.Context, a *app, ex *extract.Extractor, client func() (*fetch.Client, error), stdin *sync.Mutex, opts extractOptions, in string) ([]byte, error) {
	var page []byte
	pageURL := ""
	if isHTTP(in) {
		c, err := client()
		if err != nil {
			return nil, err
		}
		p, err := c.Get(ctx, fetch.Request{URL: in, Kind: fetch.HTML})
		if err != nil {
			return nil, err
		}
		page, pageURL = p.Body, p.FinalURL
	} else {
		if in == "-" {
			stdin.Lock()
			defer stdin.Unlock()
		}
		body, err := readInput(a, in)
		if err != nil {
			return nil, err
		}
		page = body
	}
	if opts.url != "" {
		pageURL = opts.url
	}
	art, err := ex.Extract(page, pageURL)
	if err != nil {
		return nil, err
	}
	md := art.Markdown()
	if !opts.json {
		return md, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err = enc.Encode(extracted{
		Source: in, URL: art.URL, Title: art.Title, Byline: art.Byline,
		Published: rfc3339(art.Published), Language: art.Language, Site: art.Site,
		Text: art.Text(), Markdown: string(md), Gate: art.Gate,
	})
	return buf.Bytes(), err
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
	return t.Format(time.RFC3339) // in the page's own zone: its date is the local one
}
