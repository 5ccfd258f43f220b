package main

import (
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
)

// maxCompletions bounds the article names offered at once, so that
// completing in an archive of 100k articles stays quick to read.
const maxCompletions = 200

// addCompletions teaches shell completion (stet completion bash|zsh|fish)
// stet's values: article names for log, show, diff and rerender, versions
// for show --version and diff's FROM and TO, site hosts for log --site,
// and the fixed values of --log-level, --log-format and diff --format.
func addCompletions(root *cobra.Command) {
	fixed := func(cmd *cobra.Command, flag string, values ...string) {
		_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	}
	fixed(root, "log-level", "debug", "info", "warn", "error")
	fixed(root, "log-format", "text", "json")
	for _, c := range root.Commands() {
		if f := c.Flags().Lookup("config"); f != nil {
			_ = c.MarkFlagFilename("config", "yaml", "yml")
		}
		if f := c.Flags().Lookup("repo"); f != nil {
			_ = c.MarkFlagDirname("repo")
		}
		switch c.Name() {
		case "log":
			c.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return completeArticles(cmd, toComplete)
			}
			_ = c.RegisterFlagCompletionFunc("site", func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				return completeHosts(cmd, toComplete)
			})
		case "show", "rerender":
			c.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 && cmd.Name() == "show" {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return completeArticles(cmd, toComplete)
			}
			if c.Name() == "show" {
				_ = c.RegisterFlagCompletionFunc("version", func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
					if len(args) == 0 {
						return nil, cobra.ShellCompDirectiveNoFileComp
					}
					return completeVersions(repoFlag(cmd), args[0], toComplete)
				})
			}
		case "diff":
			fixed(c, "format", formatSide, formatInline, formatHTML, formatJSON)
			// diff parses its own flags, so completion sees them as
			// arguments.
			c.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				repo, pos := ".", []string{}
				for i := 0; i < len(args); i++ {
					switch a := args[i]; {
					case a == "--repo" && i+1 < len(args):
						repo = args[i+1]
						i++
					case strings.HasPrefix(a, "--repo="):
						repo = strings.TrimPrefix(a, "--repo=")
					case a == "--format":
						i++
					case strings.HasPrefix(a, "--"):
					default:
						pos = append(pos, a)
					}
				}
				if n := len(args); n > 0 && args[n-1] == "--format" {
					return []string{formatSide, formatInline, formatHTML, formatJSON}, cobra.ShellCompDirectiveNoFileComp
				}
				if n := len(args); n > 0 && args[n-1] == "--repo" {
					return nil, cobra.ShellCompDirectiveFilterDirs
				}
				switch len(pos) {
				case 0:
					return articleNames(repo, toComplete)
				case 1, 2:
					return completeVersions(repo, pos[0], toComplete)
				}
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
		}
	}
}

// repoFlag returns the command's --repo, found as the command would find
// it (see locateRepo); completion runs no PreRun.
func repoFlag(cmd *cobra.Command) string {
	_ = locateRepo(cmd)
	repo, _ := cmd.Flags().GetString("repo")
	if repo == "" {
		repo = "."
	}
	return repo
}

func completeArticles(cmd *cobra.Command, toComplete string) ([]string, cobra.ShellCompDirective) {
	return articleNames(repoFlag(cmd), toComplete)
}

// articleNames offers the archive paths (without ".md") that start with
// toComplete, or, when none does, those that contain it, as findArticle
// accepts either.
func articleNames(repo, toComplete string) ([]string, cobra.ShellCompDirective) {
	arch, err := archive.Open(repo, archive.Options{ReadOnly: true})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer arch.Close()
	paths, err := arch.Paths()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var prefix, inside []string
	for _, p := range paths {
		name := strings.TrimSuffix(p, ".md")
		switch {
		case strings.HasPrefix(name, toComplete):
			prefix = append(prefix, name)
		case toComplete != "" && strings.Contains(name, toComplete):
			inside = append(inside, name)
		}
	}
	out := prefix
	if len(out) == 0 {
		out = inside
	}
	sort.Strings(out)
	return out[:min(len(out), maxCompletions)], cobra.ShellCompDirectiveNoFileComp
}

// completeHosts offers the sources (first path components) of the
// archive.
func completeHosts(cmd *cobra.Command, toComplete string) ([]string, cobra.ShellCompDirective) {
	arch, err := archive.Open(repoFlag(cmd), archive.Options{ReadOnly: true})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer arch.Close()
	paths, _ := arch.Paths()
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		h, _, _ := strings.Cut(p, "/")
		if !seen[h] && strings.HasPrefix(h, toComplete) {
			seen[h] = true
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeVersions offers an article's version numbers, newest first,
// each described by its time.
func completeVersions(repo, name, toComplete string) ([]string, cobra.ShellCompDirective) {
	arch, err := archive.Open(repo, archive.Options{ReadOnly: true})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer arch.Close()
	art, err := findArticle(arch, repo, name)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	seen := map[int]bool{}
	for i := len(art.history) - 1; i >= 0; i-- {
		v := art.history[i]
		n := strconv.Itoa(v.N)
		if !seen[v.N] && strings.HasPrefix(n, toComplete) {
			seen[v.N] = true // a re-render keeps its version's number
			out = append(out, n+"\t"+histTime(v.When))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
}
