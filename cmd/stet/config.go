package main

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/discover"
	"github.com/stet-archive/stet/extract"
	"github.com/stet-archive/stet/fetch"
	"github.com/stet-archive/stet/track"
	"go.yaml.in/yaml/v3"
)

// defaultsFS holds the built-in configuration used by `stet run` when no
// config file exists, and the files `stet init` writes.
//
//go:embed defaults/default.yaml defaults/stet.yaml defaults/README.md
var defaultsFS embed.FS

// Config defaults that are not the core packages' own.
const (
	configName          = "stet.yaml"
	defaultHostInterval = time.Second
	defaultRunRepo      = "./archive" // the embedded default's repository
)

// config is stet.yaml. Every field's zero value means its default.
type config struct {
	Archive  archiveConfig  `yaml:"archive"`
	Fetch    fetchConfig    `yaml:"fetch"`
	Schedule scheduleConfig `yaml:"schedule"`
	Sources  []sourceConfig `yaml:"sources"`
	// Sites are site profiles (see extract.ParseProfiles) that override
	// or add to the built-in ones.
	Sites []yaml.Node `yaml:"sites"`

	dir string // directory of the file; relative paths are resolved from it
}

type archiveConfig struct {
	Repo   string `yaml:"repo"`
	Branch string `yaml:"branch"`
	Author struct {
		Name  string `yaml:"name"`
		Email string `yaml:"email"`
	} `yaml:"author"`
	KeepRaw bool `yaml:"keep_raw"` // keep each version's fetched HTML on refs/stet/raw, for stet rerender
}

type fetchConfig struct {
	UserAgent    string    `yaml:"user_agent"`
	HostInterval *duration `yaml:"host_interval"` // nil means defaultHostInterval; 0 turns it off
	Timeout      duration  `yaml:"timeout"`
	MaxBody      int64     `yaml:"max_body"`
	AllowPrivate bool      `yaml:"allow_private_addresses"`
	Workers      int       `yaml:"workers"`
}

type scheduleConfig struct {
	FirstInterval duration `yaml:"first_interval"`
	Backoff       float64  `yaml:"backoff"`
	MaxInterval   duration `yaml:"max_interval"`
	RetireAfter   duration `yaml:"retire_after"`
	MaxFetches    int      `yaml:"max_fetches_per_run"`
	MaxPerHost    int      `yaml:"max_per_host_per_run"`
}

type sourceConfig struct {
	Name     string   `yaml:"name"`
	Feeds    []string `yaml:"feeds"`
	Sitemaps []string `yaml:"sitemaps"`
	Pages    []string `yaml:"pages"`
	Include  []string `yaml:"include"`
	Exclude  []string `yaml:"exclude"`

	line int
}

// duration is a time.Duration written as Go writes it ("90s", "15m",
// "1h30m") or in days ("7d", "1d12h").
type duration time.Duration

var daysRe = regexp.MustCompile(`^(\d+)d(.*)$`)

func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var days time.Duration
	if m := daysRe.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 100000 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		days, s = time.Duration(n)*24*time.Hour, m[2]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (want e.g. 90s, 15m, 2h, 7d)", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	return days + d, nil
}

func (d *duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	v, err := parseDuration(s)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = duration(v)
	return nil
}

// errConfig marks an invalid configuration; it is a usage error.
var errConfig = errors.New("invalid configuration")

// parseConfig decodes stet.yaml strictly: an unknown key is an error
// naming its line. name is used in errors.
func parseConfig(name string, data []byte) (*config, error) {
	var c config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w: %w", name, errConfig, explainYAML(data, err))
	}
	// Line numbers for source errors.
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err == nil && len(doc.Content) == 1 {
		root := doc.Content[0]
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "sources" {
				for j, s := range root.Content[i+1].Content {
					if j < len(c.Sources) {
						c.Sources[j].line = s.Line
					}
				}
			}
		}
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, errConfig, err)
	}
	return &c, nil
}

// validate checks values that decode but make no sense.
func (c *config) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Fetch.Workers < 0 {
		bad("fetch.workers must be at least 1, not %d", c.Fetch.Workers)
	}
	if c.Fetch.MaxBody < 0 {
		bad("fetch.max_body must be positive, not %d", c.Fetch.MaxBody)
	}
	if b := c.Schedule.Backoff; b != 0 && b < 1 {
		bad("schedule.backoff must be at least 1, not %v", b)
	}
	if c.Schedule.MaxFetches < 0 {
		bad("schedule.max_fetches_per_run must be at least 1 (0 means %d), not %d", track.DefaultMaxFetches, c.Schedule.MaxFetches)
	}
	if c.Schedule.MaxPerHost < 0 {
		bad("schedule.max_per_host_per_run must not be negative (0 means no limit)")
	}
	if f, m := c.Schedule.FirstInterval, c.Schedule.MaxInterval; f != 0 && m != 0 && m < f {
		bad("schedule.max_interval (%v) is shorter than first_interval (%v)", time.Duration(m), time.Duration(f))
	}
	seen := map[string]bool{}
	for i, s := range c.Sources {
		where := fmt.Sprintf("source %d (line %d)", i+1, s.line)
		if s.Name == "" {
			bad("%s: name is required", where)
		} else {
			where = fmt.Sprintf("source %q (line %d)", s.Name, s.line)
			if seen[s.Name] {
				bad("%s: name used twice", where)
			}
			seen[s.Name] = true
		}
		if len(s.Feeds)+len(s.Sitemaps)+len(s.Pages) == 0 {
			bad("%s: needs at least one of feeds, sitemaps or pages", where)
		}
		for _, list := range [][]string{s.Feeds, s.Sitemaps, s.Pages} {
			for _, u := range list {
				if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
					bad("%s: %q is not an http(s) URL", where, u)
				}
			}
		}
		for _, p := range append(append([]string{}, s.Include...), s.Exclude...) {
			if _, err := regexp.Compile(p); err != nil {
				bad("%s: bad pattern: %w", where, err)
			}
		}
	}
	for i := range c.Sites {
		if _, err := siteProfile(&c.Sites[i]); err != nil {
			bad("sites entry %d (line %d): %w", i+1, c.Sites[i].Line, err)
		}
	}
	return errors.Join(errs...)
}

func siteProfile(n *yaml.Node) ([]*extract.Profile, error) {
	b, err := yaml.Marshal(n)
	if err != nil {
		return nil, err
	}
	return extract.ParseProfiles(b)
}

// sources returns the configured sources with their patterns compiled.
// schedule returns the schedule settings as track takes them.
func (c *config) schedule() track.Schedule {
	return track.Schedule{
		FirstInterval: time.Duration(c.Schedule.FirstInterval),
		Backoff:       c.Schedule.Backoff,
		MaxInterval:   time.Duration(c.Schedule.MaxInterval),
		RetireAfter:   time.Duration(c.Schedule.RetireAfter),
		MaxFetches:    c.Schedule.MaxFetches,
		MaxPerHost:    c.Schedule.MaxPerHost,
	}
}

func (c *config) sources() []discover.Source {
	out := make([]discover.Source, 0, len(c.Sources))
	for _, s := range c.Sources {
		d := discover.Source{Name: s.Name, Feeds: s.Feeds, Sitemaps: s.Sitemaps, Pages: s.Pages}
		for _, p := range s.Include {
			d.Include = append(d.Include, regexp.MustCompile(p)) // checked in validate
		}
		for _, p := range s.Exclude {
			d.Exclude = append(d.Exclude, regexp.MustCompile(p))
		}
		out = append(out, d)
	}
	return out
}

// profiles returns the built-in site profiles with the config's sites
// on top.
func (c *config) profiles() *extract.Profiles {
	ps := extract.BuiltinProfiles()
	for i := range c.Sites {
		list, _ := siteProfile(&c.Sites[i]) // checked in validate
		ps = ps.With(list...)
	}
	return ps
}

// runSettings is everything `stet run` needs, after flags, STET_*
// variables, the config file and defaults have been applied, in that
// order of precedence.
type runSettings struct {
	configFile string // "" for the embedded default
	repo       string
	branch     string
	author     archive.Signature
	fetch      fetch.Options
	workers    int
	schedule   track.Schedule
	sources    []discover.Source
	profiles   *extract.Profiles
	keepRaw    bool
	dryRun     bool
	all        bool
}

// findConfig picks the config file: --config, else $STET_CONFIG, else
// stet.yaml in the repository given by --repo or $STET_REPO, else
// ./stet.yaml. It returns "" when none of the implicit places has one
// (the embedded default applies); a named file must exist.
func findConfig(a *app, flagConfig, repo string) (string, error) {
	named := flagConfig
	if named == "" {
		named = a.env.getenv("STET_CONFIG")
	}
	if named != "" {
		if _, err := os.Stat(named); errors.Is(err, os.ErrNotExist) {
			return "", usagef("config file %s does not exist (it was named by --config or $STET_CONFIG)", named)
		} else if err != nil {
			return "", usagef("config file: %w", err)
		}
		return named, nil
	}
	for _, dir := range []string{repo, "."} {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, configName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", nil
}

// loadConfig reads the config file, or the embedded default when path is "".
func loadConfig(path string) (*config, error) {
	if path == "" {
		data, err := defaultsFS.ReadFile("defaults/default.yaml")
		if err != nil {
			return nil, err
		}
		c, err := parseConfig("built-in default config", data)
		if err != nil {
			return nil, err
		}
		c.dir = "."
		return c, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("config file: %w", err)
	}
	c, err := parseConfig(path, data)
	if err != nil {
		return nil, usageError{err}
	}
	c.dir = filepath.Dir(path)
	return c, nil
}

// envError names the variable whose value is bad.
func envError(name, val string, err error) error {
	return usagef("$%s=%q: %w", name, val, err)
}

// configError is a readable stet.yaml decoding error: one line per
// problem, naming the line and the setting in stet.yaml's terms, never
// Go's.
type configError struct{ lines []string }

func (e *configError) Error() string {
	if len(e.lines) == 1 {
		return e.lines[0]
	}
	return "\n  " + strings.Join(e.lines, "\n  ")
}

var (
	unknownFieldRe = regexp.MustCompile(`^line (\d+): field (\S+) not found in type (.+)$`)
	wrongTypeRe    = regexp.MustCompile("^line (\\d+): cannot unmarshal !!(\\w+) `(.*)` into (.+)$")
)

// explainYAML rewrites the errors of decoding stet.yaml: an unknown key
// says where it is and suggests the nearest known one; a value of the
// wrong kind names its setting and the kind wanted. Other errors pass
// through.
func explainYAML(data []byte, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	var doc yaml.Node
	_ = yaml.Unmarshal(data, &doc)
	sections := configSections()
	var lines []string
	for _, m := range te.Errors {
		if g := unknownFieldRe.FindStringSubmatch(m); g != nil {
			sec := sections[g[3]]
			msg := fmt.Sprintf("line %s: unknown setting %q%s", g[1], g[2], sec.where)
			if best := nearest(g[2], sec.keys); best != "" {
				msg += fmt.Sprintf("; did you mean %q?", best)
			} else if len(sec.keys) > 0 {
				msg += "; the settings here are " + strings.Join(sec.keys, ", ")
			}
			lines = append(lines, msg)
			continue
		}
		if g := wrongTypeRe.FindStringSubmatch(m); g != nil {
			line, _ := strconv.Atoi(g[1])
			key := keyAtLine(&doc, line)
			if key == "" {
				key = "the value"
			}
			got := g[3]
			if g[2] != "str" && g[2] != "int" && g[2] != "float" && g[2] != "bool" {
				got = map[string]string{"map": "a mapping", "seq": "a list"}[g[2]]
				if got == "" {
					got = "that"
				}
				lines = append(lines, fmt.Sprintf("line %d: %s wants %s, not %s", line, key, kindWords(g[4]), got))
				continue
			}
			lines = append(lines, fmt.Sprintf("line %d: %s wants %s, not %q", line, key, kindWords(g[4]), got))
			continue
		}
		lines = append(lines, m)
	}
	return &configError{lines: lines}
}

// kindWords names a Go type as a stet.yaml value.
func kindWords(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "text"
	case goType == "main.duration":
		return "a duration such as 90s, 15m or 7d"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	}
	return "a mapping of settings"
}

// section is one mapping of stet.yaml: where it is, in words, and its
// keys.
type section struct {
	where string
	keys  []string
}

// configSections maps the Go type names that yaml errors use to the
// stet.yaml section they decode, with its keys in file order.
func configSections() map[string]section {
	out := map[string]section{}
	var walk func(t reflect.Type, where string)
	walk = func(t reflect.Type, where string) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.String() == "yaml.Node" {
			return
		}
		var keys []string
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			keys = append(keys, tag)
			sub := " under " + strings.TrimPrefix(strings.TrimPrefix(where, " under "), " in a source") + "." + tag
			switch {
			case where == "":
				sub = " under " + tag
			case where == " in a source":
				sub = " in a source, under " + tag
			}
			if tag == "sources" {
				sub = " in a source"
			}
			walk(f.Type, sub)
		}
		out[t.String()] = section{where: where, keys: keys}
	}
	walk(reflect.TypeOf(config{}), "")
	return out
}

// nearest returns the key closest to s by edit distance, when it is
// close enough to be a typo, else "".
func nearest(s string, keys []string) string {
	best, bestD := "", 1<<30
	for _, k := range keys {
		if d := editDistance(strings.ToLower(s), k); d < bestD {
			best, bestD = k, d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// keyAtLine returns the dotted path ("fetch.workers", "sources[2].feeds")
// of the key whose value starts on line, or "".
func keyAtLine(doc *yaml.Node, line int) string {
	var find func(n *yaml.Node, path string) string
	find = func(n *yaml.Node, path string) string {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				if p := find(c, path); p != "" {
					return p
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				if v.Kind == yaml.ScalarNode || v.Kind == yaml.AliasNode {
					if v.Line == line {
						return p
					}
					continue
				}
				if r := find(v, p); r != "" {
					return r
				}
				if v.Line == line {
					return p // a list or mapping where a plain value was wanted
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				if r := find(c, fmt.Sprintf("%s[%d]", path, i+1)); r != "" {
					return r
				}
			}
		}
		return ""
	}
	return find(doc, "")
}
