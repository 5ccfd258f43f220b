package main

import "github.com/spf13/cobra"

type showOptions struct {
	repo    string
	version string
	name    string
}

func newShowCmd(a *app) *cobra.Command {
	var opts showOptions
	cmd := &cobra.Command{
		Use:   "show [flags] URL|PATH",
		Short: "Print one version of an article as markdown",
		Long: `Print the markdown of one version of an article, exactly as committed.
The default is the latest version; --version takes a number (3), an offset
from the latest (-2) or a commit hash.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.name = args[0]
			return runShow(a, opts)
		},
	}
	cmd.Flags().StringVar(&opts.repo, "repo", ".", "archive repository `dir`")
	cmd.Flags().StringVar(&opts.version, "version", "-1", "the `version` to print: N, -K or a commit hash")
	return cmd
}

func runShow(a *app, opts showOptions) error {
	arch, err := openHistory(opts.repo)
	if err != nil {
		return err
	}
	defer arch.Close()
	art, err := findArticle(arch, opts.repo, opts.name)
	if err != nil {
		return err
	}
	v, err := findVersion(art, opts.version)
	if err != nil {
		return err
	}
	md, err := arch.Read(v.Commit, art.path)
	if err != nil {
		return err // Read names the file and commit
	}
	_, err = a.env.Stdout.Write(md)
	return err
}
