package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

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
are never overwritten.`,
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
	}
	fmt.Fprintf(a.env.Stdout, "archive ready in %s: edit %s, then run: stet run --repo %s\n", dir, configName, dir)
	return nil
}
