package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/discover"
	"github.com/stet-archive/stet/extract"
)

// maxCandidates is how many matches an ambiguity error lists.
const maxCandidates = 20

// errNoArticle is wrapped when a name matches no archived article.
var errNoArticle = errors.New("no such article")

// noArchiveError says that a history command found no archive, and what
// to do; it wraps archive.ErrNoRepository.
type noArchiveError struct {
	dir      string
	searched bool // the folders above dir were searched too (no --repo)
	err      error
}

func (e noArchiveError) Error() string {
	where := e.dir
	if e.searched {
		where += " or any folder above it"
	}
	return "no repository in " + where + ", so no stet archive to work on; name one with --repo, or create one with stet init or stet fetch"
}

func (e noArchiveError) Unwrap() error { return e.err }

// ambiguousError reports a name that matches several articles or
// versions; the message lists them so the user can pick one.
type ambiguousError struct {
	What       string   // "article" or "version"
	Query      string   // what the user typed
	Candidates []string // the matches, sorted
}

func (e *ambiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q matches %d %ss; name one of them:", e.Query, len(e.Candidates), e.What)
	for i, c := range e.Candidates {
		if i == maxCandidates {
			fmt.Fprintf(&b, "\n  ... and %d more", len(e.Candidates)-maxCandidates)
			break
		}
		b.WriteString("\n  " + c)
	}
	return b.String()
}

// openHistory opens an existing archive read-only for the history
// commands. A directory without a repository is the user's mistake.
func openHistory(dir string) (*archive.Archive, error) {
	arch, err := archive.Open(dir, archive.Options{ReadOnly: true})
	if errors.Is(err, archive.ErrNoRepository) {
		return nil, usageError{noArchiveError{dir: displayDir(dir), searched: dir == ".", err: err}}
	}
	return arch, err // Open names the directory
}

// histArticle is a resolved article: its path and history, oldest first.
type histArticle struct {
	path    string
	history []archive.Version
}

// findArticle resolves what the user typed to one archived article:
//
//   - a URL, in any form that canonicalises to an archived one (tracking
//     parameters, fragment, case of the host, AMP and mobile hosts);
//   - the article's path in the archive ("www.example.com/news/story.md",
//     ".md" optional), also as a file-system path into the repository;
//   - a URL without its scheme ("www.example.com/news/story");
//   - a substring of the path that only one article's path contains.
//
// It returns a usage error wrapping errNoArticle when nothing matches, and
// one holding an *ambiguousError when a substring matches several.
func findArticle(arch *archive.Archive, repo, name string) (histArticle, error) {
	if name == "" {
		return histArticle{}, usagef("empty article name")
	}
	if strings.Contains(name, "://") {
		return findByURL(arch, name)
	}
	p := filepath.ToSlash(name)
	if abs, err := filepath.Abs(name); err == nil {
		if root, err := filepath.Abs(repo); err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
				p = filepath.ToSlash(rel)
			}
		}
	}
	p = strings.TrimPrefix(p, "./")
	for _, cand := range []string{p, p + ".md"} {
		if !strings.HasSuffix(cand, ".md") {
			continue
		}
		if a, ok, err := historyOf(arch, cand); err != nil || ok {
			return a, err
		}
	}
	if host, _, _ := strings.Cut(name, "/"); strings.Contains(host, ".") && !strings.HasSuffix(name, ".md") {
		// "www.example.com/news/story": a URL without its scheme.
		if a, err := findByURL(arch, name); err == nil {
			return a, nil
		}
	}
	paths, err := arch.Paths()
	if err != nil {
		return histArticle{}, err // Paths says what failed
	}
	var matches []string
	for _, cand := range paths {
		if strings.Contains(cand, p) {
			matches = append(matches, cand)
		}
	}
	switch len(matches) {
	case 0:
		return histArticle{}, usageError{fmt.Errorf("%w: nothing in the archive matches %q (stet log lists the latest versions; shell completion offers the names)", errNoArticle, name)}
	case 1:
		a, ok, err := historyOf(arch, matches[0])
		if err == nil && !ok {
			err = fmt.Errorf("%w: %s has no history", errNoArticle, matches[0])
		}
		return a, err
	}
	sort.Strings(matches)
	return histArticle{}, usageError{&ambiguousError{What: "article", Query: name, Candidates: matches}}
}

// findByURL canonicalises raw the way track does when it saves, and falls
// back to the plainer cleaning of extract.CleanURLString.
func findByURL(arch *archive.Archive, raw string) (histArticle, error) {
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	var tried []string
	for _, canon := range urlForms(raw) {
		p, err := archive.PathFor(canon)
		if err != nil || slices.Contains(tried, p) {
			continue
		}
		tried = append(tried, p)
		a, ok, err := historyOf(arch, p)
		if err != nil || ok {
			return a, err
		}
	}
	if len(tried) == 0 {
		return histArticle{}, usagef("%q is not an article URL", raw)
	}
	return histArticle{}, usageError{fmt.Errorf("%w: %s is not in the archive (looked for %s)", errNoArticle, raw, strings.Join(tried, ", "))}
}

// urlForms lists the canonical forms to look up, best first: track's
// identity, the cleaned URL, and each with the other scheme, since http
// and https name the same article.
func urlForms(raw string) []string {
	var forms []string
	if c, err := discover.Canonical(raw); err == nil {
		forms = append(forms, c)
	}
	if c := extract.CleanURLString(raw); c != "" {
		forms = append(forms, c)
	}
	for _, f := range forms[:len(forms):len(forms)] {
		switch {
		case strings.HasPrefix(f, "https://"):
			forms = append(forms, "http://"+strings.TrimPrefix(f, "https://"))
		case strings.HasPrefix(f, "http://"):
			forms = append(forms, "https://"+strings.TrimPrefix(f, "http://"))
		}
	}
	return forms
}

// historyOf returns the article at path p, and false when it has no
// versions.
func historyOf(arch *archive.Archive, p string) (histArticle, bool, error) {
	h, err := arch.History(p)
	if err != nil {
		return histArticle{}, false, err // History names the path
	}
	if len(h) == 0 {
		return histArticle{}, false, nil
	}
	return histArticle{path: p, history: h}, true, nil
}

// findVersion resolves a version name against an article's history:
//
//   - "3" or "v3": the version numbered 3;
//   - "-1", "-2": the latest, the one before it, and so on;
//   - four or more hex digits: the version whose commit hash starts so.
//
// A number is read as a version when the article has that many versions,
// and as a hash prefix otherwise (hashes can be all digits). Errors are
// usage errors: out of range, no such commit, ambiguous prefix, junk.
func findVersion(a histArticle, name string) (archive.Version, error) {
	h := a.history
	s := strings.TrimSpace(name)
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		k, err := strconv.Atoi(rest)
		if err != nil || k < 1 {
			return archive.Version{}, usagef("bad version %q: want N, -K or a commit hash", name)
		}
		if k > len(h) {
			return archive.Version{}, usagef("version %s is out of range: %s has %d %s", name, a.path, len(h), histPlural(len(h), "version", "versions"))
		}
		return h[len(h)-k], nil
	}
	num := strings.TrimPrefix(strings.TrimPrefix(s, "v"), "V")
	if n, err := strconv.Atoi(num); err == nil && n >= 0 && (len(num) < 4 || s != num || n <= len(h)) {
		for _, v := range h {
			if v.N == n {
				return v, nil
			}
		}
		if len(num) < 4 || s != num {
			return archive.Version{}, usagef("version %s is out of range: %s has versions 1 to %d", name, a.path, h[len(h)-1].N)
		}
	}
	if len(s) < 4 || !isHexString(s) {
		return archive.Version{}, usagef("bad version %q: want N, -K or a commit hash of at least 4 hex digits", name)
	}
	prefix := strings.ToLower(s)
	var found []archive.Version
	for _, v := range h {
		if strings.HasPrefix(v.Commit, prefix) {
			found = append(found, v)
		}
	}
	switch len(found) {
	case 0:
		return archive.Version{}, usagef("no version of %s has commit %s", a.path, s)
	case 1:
		return found[0], nil
	}
	var names []string
	for _, v := range found {
		names = append(names, fmt.Sprintf("v%d %s", v.N, v.Commit))
	}
	return archive.Version{}, usageError{&ambiguousError{What: "version", Query: name, Candidates: names}}
}

func isHexString(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return s != ""
}

func histPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
