package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	gogit "github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
)

// initFile is one file `stet init` writes into a new archive.
type initFile struct {
	path string // slash-separated, relative to the archive
	data []byte
	mode fs.FileMode
}

// initFiles lists the files `stet init` writes, in order. The GitHub
// workflow (.github/workflows/stet.yml, from the Action issue) is added
// here.
func initFiles() ([]initFile, error) {
	var out []initFile
	for _, f := range []struct{ path, src string }{
		{configName, "defaults/stet.yaml"},
		{"README.md", "defaults/README.md"},
	} {
		b, err := defaultsFS.ReadFile(f.src)
		if err != nil {
			return nil, err
		}
		out = append(out, initFile{path: f.path, data: b, mode: 0o644})
	}
	// The scheduled GitHub workflow that runs this action (docs/action.md).
	out = append(out, initFile{path: ".github/workflows/stet.yml", data: workflowYAML, mode: 0o644})
	return out, nil
}

func newInitCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create an archive: a git repository with a commented stet.yaml and a README",
		Long: `Create an archive in DIR (default .): initialise the git repository and
write a commented stet.yaml with one example source, a README.md that
explains the archive, and .github/workflows/stet.yml, a GitHub workflow that
runs stet every 30 minutes and pushes (see docs/action.md). Existing files
are never overwritten. In a new repository the files are committed, and
init prints the steps that put the archive on GitHub.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(a, dir)
		},
	}
}

func runInit(a *app, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	arch, err := archive.Open(dir, archive.Options{Logger: a.logger})
	if err != nil {
		return fmt.Errorf("initialise archive %s: %w", dir, err)
	}
	if err := arch.Close(); err != nil {
		return err
	}
	files, err := initFiles()
	if err != nil {
		return err
	}
	var written []string
	for _, f := range files {
		name := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", filepath.Dir(name), err)
		}
		fh, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.mode)
		if errors.Is(err, fs.ErrExist) {
			fmt.Fprintf(a.env.Stdout, "kept existing %s\n", f.path)
			continue
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
		_, werr := fh.Write(f.data)
		if cerr := fh.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("write %s: %w", f.path, werr)
		}
		fmt.Fprintf(a.env.Stdout, "wrote %s\n", f.path)
		written = append(written, f.path)
	}
	commit, err := commitInit(a, dir, written)
	if err != nil {
		return err
	}
	printNextSteps(a, dir, commit, written)
	return nil
}

// commitInit commits the files init wrote, when the repository has no
// commit yet, and returns the commit's hash ("" when it made none). In a
// repository with history the files are left for the user to commit, so
// that nothing else staged there is swept into the commit.
func commitInit(a *app, dir string, written []string) (string, error) {
	if len(written) == 0 {
		return "", nil
	}
	repo, err := gogit.PlainOpen(dir)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", dir, err)
	}
	if _, err := repo.Head(); err == nil {
		return "", nil
	} else if !errors.Is(err, plumbing.ErrReferenceNotFound) {
		return "", fmt.Errorf("read HEAD of %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return "", err
	}
	for _, p := range written {
		if _, err := wt.Add(p); err != nil {
			return "", fmt.Errorf("add %s: %w", p, err)
		}
	}
	sig := initAuthor(a)
	h, err := wt.Commit("Start a stet archive\n\nWritten by stet init: "+strings.Join(written, ", ")+".\n",
		&gogit.CommitOptions{Author: &sig, Committer: &sig})
	if err != nil {
		return "", fmt.Errorf("commit the new archive: %w", err)
	}
	return h.String(), nil
}

// initAuthor is the author of init's commit: STET_AUTHOR_NAME and
// STET_AUTHOR_EMAIL, else the user's git identity, else stet's default.
func initAuthor(a *app) object.Signature {
	sig := object.Signature{Name: a.env.getenv("STET_AUTHOR_NAME"), Email: a.env.getenv("STET_AUTHOR_EMAIL"), When: a.env.now()}
	if sig.Name == "" || sig.Email == "" {
		if c, err := gitconfig.LoadConfig(gitconfig.GlobalScope); err == nil && c.User.Name != "" && c.User.Email != "" {
			sig.Name, sig.Email = c.User.Name, c.User.Email
		} else {
			sig.Name, sig.Email = "stet", "stet@localhost" // archive.Signature's default
		}
	}
	return sig
}

// printNextSteps tells the user how to get from the new archive to a
// scheduled GitHub workflow.
func printNextSteps(a *app, dir, commit string, written []string) {
	w := a.env.Stdout
	cd := dir
	if abs, err := filepath.Abs(dir); err == nil {
		cd = abs
	}
	switch {
	case commit != "":
		fmt.Fprintf(w, "committed %d files to main (%s)\n", len(written), commit[:12])
	case len(written) > 0:
		fmt.Fprintf(w, "the repository already has commits; commit the new files yourself:\n  git -C %s add %s && git -C %s commit -m 'Start a stet archive'\n", shellQuote(cd), strings.Join(written, " "), shellQuote(cd))
	}
	fmt.Fprintf(w, `
Next steps:
  1. Choose the sources: edit %[2]s (feeds, sitemaps or section pages), then
     try a pass here:  stet run --repo %[1]s
     and commit the change:  git -C %[1]s commit -am 'Choose sources'
  2. Create an empty repository on GitHub (no README, licence or .gitignore):
     https://github.com/new, or: gh repo create NAME --public
  3. Push the archive to it:
       git -C %[1]s remote add origin https://github.com/OWNER/NAME.git
       git -C %[1]s push -u origin main
  4. The workflow in .github/workflows/stet.yml then runs every 30 minutes and
     pushes what changed. To run it now: Actions tab, "stet", "Run workflow".
     If the run cannot push, allow it in Settings > Actions > General >
     Workflow permissions ("Read and write permissions").
  5. Optional, Atom feeds and a diff site on the gh-pages branch: set the
     repository variable STET_PAGES to true (Settings > Secrets and
     variables > Actions > Variables), then Settings > Pages > Deploy from
     a branch: gh-pages. See "Publishing" in
     https://github.com/stet-archive/stet/blob/main/docs/action.md.
`, shellQuote(cd), configName)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '~' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
