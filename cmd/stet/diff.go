package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/diff"
	"github.com/stet-archive/stet/publish"
)

// sideMinWidth is the terminal width from which `stet diff` defaults to
// the side-by-side layout.
const sideMinWidth = 120

// Diff formats.
const (
	formatSide   = "side"
	formatInline = "inline"
	formatHTML   = "html"
	formatJSON   = "json"
)

type diffOptions struct {
	repo     string
	format   string
	name     string
	from, to string
}

func newDiffCmd(a *app) *cobra.Command {
	var opts diffOptions
	cmd := &cobra.Command{
		Use:   "diff [flags] URL|PATH [FROM [TO]]",
		Short: "Show what changed between two versions of an article",
		Long: `Show a word-level diff of two versions of an article: headline, byline and
published-date changes first, then the body, aligned by paragraph.

Versions are named by number (3), relative to the latest (-1 is the
latest, -2 the one before) or by commit hash (at least 4 hex digits).
The default is the last two versions; with only FROM, TO is the latest.

Formats: side (two columns; the default on a terminal at least 120 columns
wide), inline (the default otherwise), html (one self-contained page) and
json (the diff as operations). On a terminal, removed words are red and
struck through and added words green and underlined; otherwise, or when
NO_COLOR is set, they are marked [-removed-] and {+added+}.`,
		// Flag parsing is ours: pflag would read the version "-2" as an
		// unknown shorthand flag.
		DisableFlagParsing: true,
		Args:               cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			args, err := parseDiffArgs(cmd, args)
			if err != nil || args == nil {
				return err
			}
			opts.name = args[0]
			if len(args) > 1 {
				opts.from = args[1]
			}
			if len(args) > 2 {
				opts.to = args[2]
			}
			return runDiff(a, opts)
		},
	}
	cmd.Flags().StringVar(&opts.repo, "repo", ".", "archive repository `dir`")
	cmd.Flags().StringVar(&opts.format, "format", "", "output `format`: side, inline, html or json (default side on a wide terminal, else inline)")
	return cmd
}

// parseDiffArgs parses the flags in args and returns the positional
// arguments, taking "-N" for a version rather than a flag. It returns nil
// args after printing help for --help.
func parseDiffArgs(cmd *cobra.Command, args []string) ([]string, error) {
	const mark = "\x00"
	marked := make([]string, len(args))
	for i, arg := range args {
		marked[i] = arg
		if len(arg) > 1 && arg[0] == '-' && strings.Trim(arg[1:], "0123456789") == "" {
			marked[i] = mark + arg
		}
	}
	// ParseFlags does nothing while DisableFlagParsing is set.
	cmd.DisableFlagParsing = false
	err := cmd.ParseFlags(marked)
	cmd.DisableFlagParsing = true
	if err != nil {
		return nil, usageError{err}
	}
	if help, _ := cmd.Flags().GetBool("help"); help {
		return nil, cmd.Help()
	}
	pos := cmd.Flags().Args()
	for i := range pos {
		pos[i] = strings.TrimPrefix(pos[i], mark)
	}
	if len(pos) < 1 || len(pos) > 3 {
		return nil, usagef("diff takes an article and up to two versions, got %d %s", len(pos), histPlural(len(pos), "argument", "arguments"))
	}
	return pos, nil
}

func runDiff(a *app, opts diffOptions) error {
	format := opts.format
	color := a.env.isTerminal(a.env.Stdout) && a.env.getenv("NO_COLOR") == ""
	switch format {
	case "":
		format = formatInline
		if a.env.isTerminal(a.env.Stdout) && a.env.width() >= sideMinWidth {
			format = formatSide
		}
	case formatSide, formatInline, formatHTML, formatJSON:
	default:
		return usagef("unknown --format %q (want side, inline, html or json)", opts.format)
	}
	arch, err := openHistory(opts.repo)
	if err != nil {
		return err
	}
	defer arch.Close()
	art, err := findArticle(arch, opts.repo, opts.name)
	if err != nil {
		return err
	}
	from, to, err := pickVersions(art, opts.from, opts.to)
	if err != nil {
		return err
	}
	var old []byte
	if from != nil {
		if old, err = arch.Read(from.Commit, art.path); err != nil {
			return err // Read names the file and commit
		}
	}
	cur, err := arch.Read(to.Commit, art.path)
	if err != nil {
		return err // Read names the file and commit
	}
	d := diff.Compare(old, cur)
	ro := diff.RenderOptions{
		Color:    color,
		Width:    a.env.width(),
		OldLabel: versionLabel(from),
		NewLabel: versionLabel(&to),
	}
	w := a.env.Stdout
	switch format {
	case formatSide:
		return diff.WriteSide(w, d, ro)
	case formatHTML:
		// The site's renderer: markdown shown as it reads, marks and all.
		return publish.WriteDiffPage(w, d, ro.OldLabel, ro.NewLabel)
	case formatJSON:
		return writeHistJSON(w, diffJSON{Path: art.path, URL: to.Trailer("Stet-Url"), From: versionRefOf(from), To: versionRefOf(&to), Diff: d})
	}
	return diff.WriteInline(w, d, ro)
}

// pickVersions resolves FROM and TO. With neither, they are the last two
// versions; with one version only, FROM is nil (the diff shows the whole
// article as added).
func pickVersions(art histArticle, fromName, toName string) (*archive.Version, archive.Version, error) {
	h := art.history
	to := h[len(h)-1]
	if toName != "" {
		v, err := findVersion(art, toName)
		if err != nil {
			return nil, archive.Version{}, err
		}
		to = v
	}
	if fromName == "" {
		if len(h) < 2 {
			return nil, to, nil
		}
		from := h[len(h)-2]
		return &from, to, nil
	}
	from, err := findVersion(art, fromName)
	if err != nil {
		return nil, archive.Version{}, err
	}
	return &from, to, nil
}

func versionLabel(v *archive.Version) string {
	if v == nil {
		return "(nothing)"
	}
	return fmt.Sprintf("v%d %s (%s)", v.N, histTime(v.When), shortHash(v.Commit))
}

// diffJSON is `stet diff --format json`: which versions, and the diff
// as operations (see diff.WriteJSON).
type diffJSON struct {
	Path string      `json:"path"`
	URL  string      `json:"url,omitempty"`
	From *versionRef `json:"from"` // null when diffing from nothing
	To   *versionRef `json:"to"`
	Diff *diff.Diff  `json:"diff"`
}

type versionRef struct {
	Version int       `json:"version"`
	Commit  string    `json:"commit"`
	Time    time.Time `json:"time"`
}

func versionRefOf(v *archive.Version) *versionRef {
	if v == nil {
		return nil
	}
	return &versionRef{Version: v.N, Commit: v.Commit, Time: v.When.UTC()}
}
