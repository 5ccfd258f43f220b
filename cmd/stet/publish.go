package main

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/publish"
)

type publishOptions struct {
	repo    string
	out     string
	ghPages bool
	branch  string
	title   string
	baseURL string
	full    bool
	author  archive.Signature
}

func newPublishCmd(a *app) *cobra.Command {
	var opts publishOptions
	cmd := &cobra.Command{
		Use:   "publish [flags]",
		Short: "Write Atom feeds and a static site of the archive's changes",
		Long: `Write Atom feeds and a static web site from the archive's git history:
an index of articles sorted by last change, a page and a feed per source,
a page and a feed per article, and a side-by-side word diff for every pair
of consecutive versions. The site-wide feed.xml lists the newest changes.

The output goes to a folder (--out) or is committed to a branch of the
archive repository (--gh-pages, branch gh-pages by default), so the archive
branch stays articles-only. Runs are incremental: .stet-publish.json
records the commit published, and only the pages of articles changed since
are rewritten (--full rewrites everything), and articles at the tip that
the manifest lacks are written whatever the manifest's commit.

The pages need every version of the articles they show, so publishing
from a shallow clone is refused (git fetch --unshallow first). A partial
clone (--filter=blob:none) is fine: the blobs of the versions rewritten
are fetched from the remote as they are read, with the token from
$GITHUB_TOKEN or $STET_TOKEN. The --gh-pages commit is authored by
$STET_AUTHOR_NAME <$STET_AUTHOR_EMAIL> (the Action's committer inputs),
else stet <stet@localhost>.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPublish(a, opts, cmd.Flags().Changed("out"))
		},
	}
	cmd.Flags().StringVar(&opts.repo, "repo", ".", "archive repository `dir`")
	cmd.Flags().StringVar(&opts.out, "out", "site", "write the site into this `dir`")
	cmd.Flags().BoolVar(&opts.ghPages, "gh-pages", false, "commit the site to a branch of the archive repository instead of a folder")
	cmd.Flags().StringVar(&opts.branch, "branch", "gh-pages", "the `branch` --gh-pages commits to")
	cmd.Flags().StringVar(&opts.title, "title", "", "site `title` (default \"stet archive\")")
	cmd.Flags().StringVar(&opts.baseURL, "base-url", "", "absolute `URL` of the published site, for links in feeds (default relative links)")
	cmd.Flags().BoolVar(&opts.full, "full", false, "rewrite every page, ignoring the manifest")
	cmd.Flags().StringVar(&opts.author.Name, "author-name", "", "author `name` of the --gh-pages commit (default $STET_AUTHOR_NAME, else stet)")
	cmd.Flags().StringVar(&opts.author.Email, "author-email", "", "author `email` of the --gh-pages commit (default $STET_AUTHOR_EMAIL)")
	return cmd
}

func runPublish(a *app, opts publishOptions, outSet bool) error {
	if opts.ghPages && outSet {
		return usagef("--out and --gh-pages cannot be used together")
	}
	arch, err := archive.Open(opts.repo, archive.Options{ReadOnly: true, Remote: fetchRemote(a, pushOptions{})})
	if errors.Is(err, archive.ErrNoRepository) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	defer arch.Close()
	if arch.Shallow() {
		return fmt.Errorf("publish needs every version of the archive, and %s is a shallow clone: fetch the history first (git -C %s fetch --unshallow origin; in a --filter=blob:none clone this brings commits and trees only)", opts.repo, shellQuote(opts.repo))
	}
	po := publish.Options{Title: opts.title, BaseURL: opts.baseURL, Full: opts.full, Logger: a.logger}
	if po.Tracking, err = publishTracking(a, arch, opts.repo); err != nil {
		return err
	}
	var out publish.Output = publish.Dir(opts.out)
	var branch *publish.GitBranch
	if opts.ghPages {
		branch, err = publish.OpenBranch(opts.repo, opts.branch)
		if err != nil {
			return err
		}
		if opts.author.Name == "" {
			opts.author.Name = a.env.getenv("STET_AUTHOR_NAME")
		}
		if opts.author.Email == "" {
			opts.author.Email = a.env.getenv("STET_AUTHOR_EMAIL")
		}
		branch.Author = object.Signature{Name: opts.author.Name, Email: opts.author.Email}
		out = branch
	}
	res, err := publish.Publish(arch, out, po)
	if err != nil {
		return err
	}
	where := opts.out
	if branch != nil {
		commit, err := branch.Commit(publishMessage(res), a.env.now())
		if errors.Is(err, publish.ErrNothingToCommit) {
			commit = ""
		} else if err != nil {
			return err
		}
		where = "branch " + opts.branch
		if commit != "" {
			where += " at " + commit[:12]
		}
	}
	switch {
	case res.Unchanged:
		fmt.Fprintf(a.env.Stdout, "%s is up to date (%d articles)\n", where, res.Total)
	default:
		fmt.Fprintf(a.env.Stdout, "published %d articles (%d rewritten, %d files) to %s\n", res.Total, res.Articles, res.Files, where)
	}
	return nil
}

func publishMessage(res publish.Result) string {
	head := res.Head
	if len(head) > 12 {
		head = head[:12]
	}
	return fmt.Sprintf("stet publish: %s\n\n%d articles, %d rewritten\n", head, res.Total, res.Articles)
}
