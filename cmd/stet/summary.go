package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/track"
)

// maxStepSummary is the most stet writes to GITHUB_STEP_SUMMARY in one
// step. GitHub rejects a step summary over 1 MiB
// (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions#step-isolation-and-limits);
// the margin leaves room for what other steps of the job append.
const maxStepSummary = 1000 * 1024

// actionReport is what the Action's outputs, job summary and warnings
// need from a run. The run command fills it from its track.Report.
type actionReport struct {
	Checked, New, Changed, Unchanged, Suspect, Failed int
	Commit                                            string // the branch tip after the run, or the pushed tip; "" when empty or the push failed
	Pushed                                            bool
	PushError                                         string          // why the push failed, one line; "" when it did not
	Articles                                          []actionArticle // new and changed articles, in run order
	Failures                                          []actionFailure
}

// actionArticle is one new or changed article.
type actionArticle struct {
	New     bool
	Title   string
	Site    string
	URL     string
	Version int
	Summary []string // change-summary lines, as in the commit body
}

// actionFailure is one article that failed.
type actionFailure struct {
	URL    string
	Reason string
}

// writeActionOutputs writes what GitHub Actions reads, when the variables
// are set: step outputs to $GITHUB_OUTPUT, a job summary to
// $GITHUB_STEP_SUMMARY, and a ::warning:: line on stdout per failed
// article (only under GITHUB_ACTIONS=true, so a terminal stays clean).
// Both files are appended to, as GitHub expects.
func writeActionOutputs(a *app, r actionReport) error {
	if name := a.env.getenv("GITHUB_OUTPUT"); name != "" {
		if err := appendFile(name, func(w io.Writer) error { return writeOutputs(w, r) }); err != nil {
			return fmt.Errorf("write GITHUB_OUTPUT: %w", err)
		}
	}
	if name := a.env.getenv("GITHUB_STEP_SUMMARY"); name != "" {
		if err := appendFile(name, func(w io.Writer) error { return writeSummary(w, r, maxStepSummary) }); err != nil {
			return fmt.Errorf("write GITHUB_STEP_SUMMARY: %w", err)
		}
	}
	if a.env.getenv("GITHUB_ACTIONS") == "true" {
		return writeWarnings(a.env.Stdout, r)
	}
	return nil
}

func appendFile(name string, f func(io.Writer) error) error {
	fh, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if err := f(fh); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// writeOutputs writes the Action's outputs as name=value lines; every
// value is a number, a hash or a boolean, so none needs the multi-line
// form.
func writeOutputs(w io.Writer, r actionReport) error {
	_, err := fmt.Fprintf(w, "changed=%d\nadded=%d\nsuspect=%d\nfailed=%d\ncommit-sha=%s\nchanges-detected=%t\n",
		r.Changed, r.New, r.Suspect, r.Failed, r.Commit, r.New+r.Changed > 0)
	return err
}

// writeWarnings writes one workflow command per failed article, and an
// error annotation when the push failed.
func writeWarnings(w io.Writer, r actionReport) error {
	if r.PushError != "" {
		if _, err := fmt.Fprintf(w, "::error title=stet push failed::%s\n", escapeCommand(r.PushError)); err != nil {
			return err
		}
	}
	for _, f := range r.Failures {
		if _, err := fmt.Fprintf(w, "::warning title=stet article failed::%s\n", escapeCommand(f.URL+": "+f.Reason)); err != nil {
			return err
		}
	}
	return nil
}

// escapeCommand escapes a workflow command's message as the runner
// expects (%, CR and LF), so article text cannot start a command of its own.
func escapeCommand(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// writeSummary writes the job summary in GitHub-flavoured markdown, at
// most limit bytes: totals, a table of new and changed articles with
// links, then each change's summary. When the articles do not fit, the
// table ends with a note saying how many were left out.
func writeSummary(w io.Writer, r actionReport, limit int) error {
	var b strings.Builder
	b.WriteString("## stet run\n\n")
	fmt.Fprintf(&b, "| checked | new | changed | unchanged | suspect | failed |\n|---:|---:|---:|---:|---:|---:|\n| %d | %d | %d | %d | %d | %d |\n\n",
		r.Checked, r.New, r.Changed, r.Unchanged, r.Suspect, r.Failed)
	if r.Commit != "" {
		state := "not pushed"
		if r.Pushed {
			state = "pushed"
		}
		fmt.Fprintf(&b, "Archive at `%s` (%s).\n\n", r.Commit[:min(12, len(r.Commit))], state)
	}
	var tail strings.Builder
	if len(r.Failures) > 0 {
		fmt.Fprintf(&tail, "%d articles failed; see the warnings in the log.\n", len(r.Failures))
	}
	if len(r.Articles) > 0 {
		b.WriteString("| | article | source | version | what changed |\n|---|---|---|---:|---|\n")
	}
	head := b.String()
	budget := limit - len(head) - tail.Len() - 200 // room for the note
	var rows strings.Builder
	written := 0
	for _, art := range r.Articles {
		row := summaryRow(art)
		if rows.Len()+len(row) > budget {
			break
		}
		rows.WriteString(row)
		written++
	}
	out := head + rows.String()
	if left := len(r.Articles) - written; left > 0 {
		out += fmt.Sprintf("\n_Summary truncated: %d more articles are not listed (GitHub limits a job summary to 1 MiB)._\n", left)
	}
	if len(r.Articles) > 0 {
		out += "\n"
	}
	out += tail.String()
	if len(out) > limit {
		out = out[:limit] // only when the totals alone exceed a tiny limit
	}
	_, err := io.WriteString(w, out)
	return err
}

func summaryRow(art actionArticle) string {
	kind := "changed"
	if art.New {
		kind = "new"
	}
	title := mdCell(art.Title)
	if title == "" {
		title = mdCell(art.URL)
	}
	if u, err := url.Parse(art.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		title = "[" + title + "](" + mdURL(art.URL) + ")"
	}
	what := "New article"
	if !art.New {
		parts := make([]string, len(art.Summary))
		for i, s := range art.Summary {
			parts[i] = mdCell(s)
		}
		what = strings.Join(parts, "<br>")
		if what == "" {
			what = "no visible change"
		}
	}
	return "| " + kind + " | " + title + " | " + mdCell(art.Site) + " | " + strconv.Itoa(art.Version) + " | " + what + " |\n"
}

// mdCell makes text safe inside a markdown table cell: one line, with
// markdown and HTML syntax escaped, so article text cannot add rows,
// links, images or tags.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\\', '`', '*', '_', '[', ']', '(', ')', '#', '|', '!', '~', '@':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdURL escapes the characters that would end a markdown link target.
func mdURL(s string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "|", "%7C", "\n", "", "\r", "").Replace(s)
}

// pushOutcome is what the run's push did: its result, or why it failed.
type pushOutcome struct {
	res pushResult
	err error
}

// actionReportFrom converts a pass's report for writeActionOutputs.
// commit is the local branch tip after the run; push is nil when the run
// did not push. After a push, the report says what landed: commit is the
// pushed tip ("" when the push failed, since nothing of this run reached
// the remote), each replayed article carries its version number and
// summary as landed, and a version dropped as already on the remote is
// counted unchanged.
func actionReportFrom(rep track.Report, commit string, push *pushOutcome) actionReport {
	r := actionReport{
		Checked: rep.Checked, New: rep.New, Changed: rep.Changed, Unchanged: rep.Unchanged,
		Suspect: rep.Suspect, Failed: rep.Failed, Commit: commit,
	}
	var landed map[string]archive.Landed
	if push != nil {
		r.Pushed = push.err == nil
		if push.err != nil {
			r.Commit, r.PushError = "", oneLineErr(push.err.Error())
		} else {
			r.Commit, landed = push.res.Head, push.res.Landed
		}
	}
	for _, res := range rep.Results {
		switch res.Status {
		case track.New, track.Changed:
			u := res.Canonical
			if u == "" {
				u = res.URL
			}
			art := actionArticle{
				New: res.Status == track.New, Title: res.Title, Site: res.Site,
				URL: u, Version: res.Version, Summary: res.Summary,
			}
			if l, ok := landed[res.Commit]; ok {
				if l.Commit == "" {
					// The remote already had these bytes.
					r.count(art.New, -1)
					r.Unchanged++
					continue
				}
				art.Version = l.Version
				if l.Summary != nil {
					art.Summary = l.Summary
				}
				if art.New && l.Version > 1 {
					// Another run added the article first.
					r.count(true, -1)
					r.count(false, 1)
					art.New = false
				}
			}
			r.Articles = append(r.Articles, art)
		case track.Failed:
			reason := res.Reason
			if reason == "" && res.Err != nil {
				reason = res.Err.Error()
			}
			r.Failures = append(r.Failures, actionFailure{URL: res.URL, Reason: reason})
		}
	}
	return r
}

// count adds d to the new or the changed count.
func (r *actionReport) count(isNew bool, d int) {
	if isNew {
		r.New += d
	} else {
		r.Changed += d
	}
}
