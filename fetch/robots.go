package fetch

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
)

// maxRobotsBody is the most of a robots.txt we read (RFC 9309 §2.5 asks
// crawlers to parse at least 500 KiB).
const maxRobotsBody = 512 << 10

// robotsEntry is one host's robots.txt, fetched once. done is closed when
// group is ready; err is set only when the fetch was cancelled, in which
// case the entry is dropped and the next caller fetches again.
type robotsEntry struct {
	done  chan struct{}
	group *robotstxt.Group
	err   error
}

// Allowed reports whether robots.txt lets our user agent fetch rawURL. It is
// always true when Options.Robots is off. robots.txt is fetched once per
// scheme+host per Client (concurrent callers share one fetch) and is
// subject to the same SSRF guard, limits and rate limit as pages.
//
// Policy: 2xx parses the file; 4xx (including 401 and 403) allows
// everything, as RFC 9309 says; 5xx, network errors, oversized or
// unparsable files also allow everything but log a Warn. That departs from
// RFC 9309's "assume disallow" on purpose: an archive run that silently
// skipped a whole site because its robots.txt hiccupped would lose history.
// The failure is cached too, so a broken host is asked once per Client.
// A Crawl-delay raises the host's request interval (capped at
// Options.MaxRetryAfter). The error is non-nil only for a malformed URL or a
// done ctx.
func (c *Client) Allowed(ctx context.Context, rawURL string) (bool, error) {
	if !c.opts.Robots {
		return true, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return false, fmt.Errorf("robots %s: %w", rawURL, err)
	}
	if err := checkScheme(u); err != nil {
		return false, fmt.Errorf("robots %s: %w", rawURL, err)
	}
	ok, err := c.allowed(ctx, u)
	if err != nil {
		return false, fmt.Errorf("robots %s: %w", rawURL, err)
	}
	return ok, nil
}

func (c *Client) allowed(ctx context.Context, u *url.URL) (bool, error) {
	g, err := c.robotsGroup(ctx, u)
	if err != nil {
		return false, err
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return g.Test(path), nil
}

// robotsGroup returns the robots.txt group for our agent on u's host.
func (c *Client) robotsGroup(ctx context.Context, u *url.URL) (*robotstxt.Group, error) {
	key := u.Scheme + "://" + strings.ToLower(u.Host)
	for {
		c.mu.Lock()
		e, ok := c.robots[key]
		if !ok {
			e = &robotsEntry{done: make(chan struct{})}
			c.robots[key] = e
			c.mu.Unlock()
			e.group, e.err = c.fetchRobots(ctx, key)
			if e.err != nil {
				c.mu.Lock()
				delete(c.robots, key)
				c.mu.Unlock()
			}
			close(e.done)
			return e.group, e.err
		}
		c.mu.Unlock()
		select {
		case <-e.done:
			if e.err == nil {
				return e.group, nil
			}
			// The fetching caller was cancelled; try again with our ctx.
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
}

// fetchRobots fetches and parses base+"/robots.txt"; see [Client.Allowed]
// for the policy. It fails only when ctx is done.
func (c *Client) fetchRobots(ctx context.Context, base string) (*robotstxt.Group, error) {
	robotsURL := base + "/robots.txt"
	allowAll := func(reason string, err error) (*robotstxt.Group, error) {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		c.logger.Warn("robots.txt unusable, allowing all", "url", robotsURL, "reason", reason, "error", err)
		data, _ := robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
		return data.FindGroup(c.userAgent), nil
	}
	u, err := url.Parse(robotsURL)
	if err != nil {
		return allowAll("bad url", err)
	}
	status, body, err := c.fetchRaw(ctx, u)
	switch {
	case err != nil:
		return allowAll("fetch", err)
	case status >= 500:
		return allowAll("status", fmt.Errorf("http status %d", status))
	case status >= 400:
		status, body = http.StatusNotFound, nil // RFC 9309: any 4xx means no rules
	case status < 200 || status > 299:
		return allowAll("status", fmt.Errorf("http status %d", status))
	}
	data, err := robotstxt.FromStatusAndBytes(status, cleanRobots(body))
	if err != nil {
		return allowAll("parse", err)
	}
	g := data.FindGroup(c.userAgent)
	if g.CrawlDelay > 0 {
		d := min(g.CrawlDelay, c.maxRetryAfter)
		c.host(u.Host).raise(d)
		c.logger.Debug("crawl delay", "host", u.Host, "duration", d)
	}
	return g, nil
}

// robotsFetch marks the context of a robots.txt request. Its redirects skip
// the robots check, which would otherwise wait for the very fetch it is
// part of when robots.txt redirects within the same host.
type robotsFetch struct{}

// fetchRaw GETs u once (no retries, no robots check) under Timeout and
// returns the status and up to maxRobotsBody bytes.
func (c *Client) fetchRaw(ctx context.Context, u *url.URL) (int, []byte, error) {
	if err := c.host(u.Host).wait(ctx); err != nil {
		return 0, nil, err
	}
	actx, cancel := context.WithTimeoutCause(context.WithValue(ctx, robotsFetch{}, true), c.timeout, ErrTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, timeoutCause(actx, err)
	}
	defer resp.Body.Close()
	body, err := readCapped(resp.Body, maxRobotsBody)
	c.logger.Debug("fetched", "url", u.String(), "status", resp.StatusCode, "bytes", len(body), "duration", time.Since(start))
	if err != nil {
		return 0, nil, timeoutCause(actx, err)
	}
	return resp.StatusCode, body, nil
}

// maxCrawlDelay is the largest Crawl-delay, in seconds, passed to the
// parser; larger values overflow time.Duration into a negative delay.
const maxCrawlDelay = 86400

// cleanRobots rewrites a robots.txt file into the lines temoto/robotstxt
// can never reject: each User-agent, Allow, Disallow and Crawl-delay line is
// re-emitted as "Key: value" with the value's first word only, and every
// other line is dropped. The parser splits on white space, not lines, so
// passing lines through as written let stray words ("0 0 CrAwldelAY 0")
// reach it as keys and fail the whole file, after which fetch would allow
// everything; RFC 9309 §2.2 asks crawlers to ignore lines they cannot
// parse, not the file. Rules before the first User-agent and Crawl-delay
// values that are not finite, non-negative numbers are dropped too, and
// Crawl-delays over maxCrawlDelay are cut to it. (All found by FuzzRobots.)
func cleanRobots(body []byte) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
	body = bytes.ReplaceAll(body, []byte("\r"), []byte("\n"))
	var out bytes.Buffer
	agent := false
	for _, line := range bytes.Split(body, []byte("\n")) {
		text, _, _ := strings.Cut(string(line), "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		key, val := text, ""
		if i := strings.IndexAny(text, ": \t"); i >= 0 {
			key, val = text[:i], strings.TrimLeft(text[i:], ": \t")
		}
		if f := strings.Fields(val); len(f) > 0 {
			val = f[0]
		} else {
			val = ""
		}
		switch strings.ToLower(key) {
		case "user-agent", "useragent":
			if val == "" {
				continue // the parser ignores an empty one
			}
			agent = true
			out.WriteString("User-agent: " + val + "\n")
		case "allow":
			if agent {
				out.WriteString("Allow: " + val + "\n")
			}
		case "disallow":
			if agent {
				out.WriteString("Disallow: " + val + "\n")
			}
		case "crawl-delay", "crawldelay":
			f, err := strconv.ParseFloat(val, 64)
			if !agent || err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
				continue
			}
			if f > maxCrawlDelay {
				val = strconv.Itoa(maxCrawlDelay)
			}
			out.WriteString("Crawl-delay: " + val + "\n")
		}
	}
	return out.Bytes()
}
