package main

// The end-to-end test of the GitHub Action: it does what a runner does
// with the workflow `stet init` writes, step by step. The git commands of
// actions/checkout v6 (including the credentials file it reaches through
// includeIf), the workflow's own shell steps under `bash -e {0}`, and the
// composite action's steps under `bash --noprofile --norc -eo pipefail {0}`
// (and, in some cases, `bash -e {0}`), with ${{ }} expressions, `if:`
// conditions, step outputs and actions/cache emulated, against a git
// http-backend remote with Basic auth on loopback. The stet binary is the
// one the action's build step builds from this checkout.

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// ghStep is one step of a workflow job or a composite action.
type ghStep struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Shell            string            `yaml:"shell"`
	Run              string            `yaml:"run"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	With             map[string]string `yaml:"with"`
}

// runnerShells are the command lines the runner uses for a bash step:
// `shell: bash` in an action, and a run step without a shell on Linux.
var runnerShells = map[string][]string{
	"bash":    {"--noprofile", "--norc", "-eo", "pipefail"},
	"default": {"-e"},
}

// ghRunner runs the stet workflow's job the way a GitHub runner does.
type ghRunner struct {
	t          testing.TB
	actionPath string // the stet checkout: action.yml and the sources
	store      string // the emulated actions/cache store, a directory per key
	remoteURL  string // the archive repository over HTTP
	remote     string // the bare repository behind it
	token      string // what the http-backend accepts
	workflow   []ghStep
	action     []ghStep
	inputs     map[string]string // action.yml input defaults
	outputs    map[string]string // action.yml outputs: name → value expression
	jobs       int
}

// ghJob is one run of the job.
type ghJob struct {
	sha         string            // GITHUB_SHA; "" means the remote's tip when the job starts
	actionToken string            // the action's github-token; "" means the right one
	actionShell string            // "bash" (the runner's) or "default" (bash -e) for the action's steps
	env         map[string]string // job-level env
	vars        map[string]string // repository variables (the vars context)
	beforeStet  func()            // runs after checkout and state fetch, before the action
}

// ghResult is what a job did.
type ghResult struct {
	failedStep string // the step that failed, "" when the job succeeded
	code       int    // its exit status
	log        string // every step's output
	ran        []string
	outputs    map[string]map[string]string // step id → outputs
	summary    string                       // what the steps wrote to GITHUB_STEP_SUMMARY
}

func (res ghResult) output(step, name string) string { return res.outputs[step][name] }

func newGHRunner(t testing.TB, remote, remoteURL, token string) *ghRunner {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	r := &ghRunner{t: t, actionPath: root, store: t.TempDir(), remote: remote, remoteURL: remoteURL, token: token, inputs: map[string]string{}}
	var wf struct {
		Jobs map[string]struct {
			Steps []ghStep `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(workflowYAML, &wf); err != nil {
		t.Fatal(err)
	}
	r.workflow = wf.Jobs["archive"].Steps
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var act struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
		Outputs map[string]struct {
			Value string `yaml:"value"`
		} `yaml:"outputs"`
		Runs struct {
			Steps []ghStep `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(b, &act); err != nil {
		t.Fatal(err)
	}
	r.outputs = map[string]string{}
	for k, v := range act.Outputs {
		r.outputs[k] = v.Value
	}
	r.action = act.Runs.Steps
	for k, v := range act.Inputs {
		r.inputs[k] = v.Default
	}
	if len(r.workflow) == 0 || len(r.action) == 0 {
		t.Fatal("no steps in workflow.yml or action.yml")
	}
	return r
}

// ghContext is the state of one job: expression values and outputs.
type ghContext struct {
	r        *ghRunner
	job      ghJob
	ws, temp string
	env      []string
	inputs   map[string]string
	res      *ghResult
}

var exprRE = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// value resolves a context path such as steps.key.outputs.dir.
func (c *ghContext) value(path string) string {
	c.r.t.Helper()
	switch path {
	case "github.action_path":
		return c.r.actionPath
	case "github.token":
		return c.r.token
	case "github.workspace":
		return c.ws
	case "github.event_name":
		return "workflow_dispatch"
	case "github.repository":
		return "owner/news"
	case "github.workflow_ref":
		return "owner/news/.github/workflows/stet.yml@refs/heads/main"
	case "runner.temp":
		return c.temp
	case "runner.os":
		return "Linux"
	}
	if name, ok := strings.CutPrefix(path, "vars."); ok {
		return c.job.vars[name]
	}
	if name, ok := strings.CutPrefix(path, "inputs."); ok {
		v, ok := c.inputs[name]
		if !ok {
			c.r.t.Fatalf("unknown input %q", name)
		}
		return v
	}
	if rest, ok := strings.CutPrefix(path, "steps."); ok {
		id, name, ok := strings.Cut(rest, ".outputs.")
		if !ok {
			c.r.t.Fatalf("unsupported expression %q", path)
		}
		return c.res.outputs[id][name]
	}
	c.r.t.Fatalf("unsupported expression %q", path)
	return ""
}

func (c *ghContext) expand(s string) string {
	return exprRE.ReplaceAllStringFunc(s, func(m string) string {
		return c.value(exprRE.FindStringSubmatch(m)[1])
	})
}

var condRE = regexp.MustCompile(`^([A-Za-z0-9_.-]+)\s*(==|!=)\s*'([^']*)'$`)

// cond evaluates an if: made of comparisons joined by &&.
func (c *ghContext) cond(s string) bool {
	c.r.t.Helper()
	if s == "" {
		return true
	}
	s = strings.TrimSpace(exprRE.ReplaceAllString(s, "$1"))
	for _, term := range strings.Split(s, "&&") {
		m := condRE.FindStringSubmatch(strings.TrimSpace(term))
		if m == nil {
			c.r.t.Fatalf("unsupported if: %q", s)
		}
		if (c.value(m[1]) == m[3]) != (m[2] == "==") {
			return false
		}
	}
	return true
}

// run runs the job and returns what it did.
func (r *ghRunner) run(job ghJob) ghResult {
	r.t.Helper()
	r.jobs++
	base := r.t.TempDir()
	c := &ghContext{r: r, job: job, ws: filepath.Join(base, "work", "news", "news"), temp: filepath.Join(base, "_temp"),
		res: &ghResult{outputs: map[string]map[string]string{}}}
	home := filepath.Join(base, "home")
	for _, d := range []string{c.ws, c.temp, home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			r.t.Fatal(err)
		}
	}
	if job.sha == "" {
		job.sha = strings.TrimSpace(git(r.t.(*testing.T), r.remote, "rev-parse", "main"))
	}
	c.job = job
	c.env = append(goEnv(r.t), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
		"RUNNER_TEMP="+c.temp, "RUNNER_OS=Linux", "RUNNER_ARCH=X64", "CI=true", "GITHUB_ACTIONS=true",
		"GITHUB_WORKSPACE="+c.ws, "GITHUB_SHA="+job.sha, "GITHUB_REF=refs/heads/main", "GITHUB_EVENT_NAME=workflow_dispatch",
		"GITHUB_STEP_SUMMARY="+filepath.Join(c.temp, "summary.md"))
	for k, v := range job.env {
		c.env = append(c.env, k+"="+v)
	}
	for _, st := range r.workflow {
		if c.res.failedStep != "" {
			break
		}
		if !c.cond(st.If) {
			continue
		}
		switch {
		case strings.HasPrefix(st.Uses, "actions/checkout@"):
			c.checkout(st)
		case st.Uses == "stet-archive/stet@main":
			if job.beforeStet != nil {
				job.beforeStet()
			}
			c.composite(st)
			// The action's outputs, as the workflow's steps see them.
			outs := map[string]string{}
			for k, v := range r.outputs {
				outs[k] = c.expand(v)
			}
			c.setOutputs(st.ID, outs)
		case st.Uses != "":
			r.t.Fatalf("workflow step %q uses %s, which the test does not emulate", st.Name, st.Uses)
		default:
			c.shell(st, "default", c.ws, st.ID)
		}
	}
	if b, err := os.ReadFile(filepath.Join(c.temp, "summary.md")); err == nil {
		c.res.summary = string(b)
	}
	return *c.res
}

// checkout does what actions/checkout v6 does for the repository that
// triggered the workflow, with the step's inputs.
func (c *ghContext) checkout(st ghStep) {
	t := c.r.t
	t.Helper()
	for k := range st.With {
		switch k {
		case "fetch-depth", "filter", "sparse-checkout":
		default:
			t.Fatalf("checkout input %q is not emulated", k)
		}
	}
	g := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = c.ws, c.env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("checkout: git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	g("init")
	g("remote", "add", "origin", c.r.remoteURL)
	g("config", "--local", "gc.auto", "0")
	// v6 keeps the token out of .git/config: a credentials file under
	// RUNNER_TEMP, included only for this repository's git dir.
	cred := filepath.Join(c.temp, "git-credentials-"+randHex(t)+".config")
	server := strings.TrimSuffix(c.r.remoteURL, "/news.git") + "/"
	basic := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + c.r.token))
	if err := os.WriteFile(cred, []byte("[http \""+server+"\"]\n\textraheader = AUTHORIZATION: basic "+basic+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	g("config", "--local", "includeIf.gitdir:"+filepath.Join(c.ws, ".git")+".path", cred)
	fetch := []string{"-c", "protocol.version=2", "fetch", "--no-tags", "--prune", "--no-recurse-submodules"}
	if f := st.With["filter"]; f != "" {
		fetch = append(fetch, "--filter="+f)
	}
	if d := st.With["fetch-depth"]; d != "" && d != "0" {
		fetch = append(fetch, "--depth="+d)
	}
	g(append(fetch, "origin", "+"+c.job.sha+":refs/remotes/origin/main")...)
	if sp := strings.Fields(st.With["sparse-checkout"]); len(sp) > 0 {
		g(append([]string{"sparse-checkout", "set"}, sp...)...)
	}
	g("checkout", "--progress", "--force", "-B", "main", "refs/remotes/origin/main")
	c.res.ran = append(c.res.ran, st.Name)
}

// composite runs the action's steps with the step's with: as inputs.
func (c *ghContext) composite(call ghStep) {
	t := c.r.t
	c.inputs = map[string]string{}
	for k, v := range c.r.inputs {
		c.inputs[k] = c.expand(v)
	}
	for k, v := range call.With {
		if _, ok := c.inputs[k]; !ok {
			t.Fatalf("the workflow passes unknown input %q", k)
		}
		c.inputs[k] = c.expand(v)
	}
	if c.job.actionToken != "" {
		c.inputs["github-token"] = c.job.actionToken
	}
	shellKind := c.job.actionShell
	if shellKind == "" {
		shellKind = "bash"
	}
	for _, st := range c.r.action {
		if c.res.failedStep != "" {
			return
		}
		if !c.cond(st.If) {
			continue
		}
		switch {
		case strings.HasPrefix(st.Uses, "actions/cache/restore@"):
			c.cacheRestore(st)
		case strings.HasPrefix(st.Uses, "actions/cache/save@"):
			c.cacheSave(st)
		case strings.HasPrefix(st.Uses, "actions/setup-go@"):
			if _, err := exec.LookPath("go"); err != nil {
				t.Skip("no go on PATH for the action's build step")
			}
			c.res.ran = append(c.res.ran, st.Name)
		case st.Uses != "":
			t.Fatalf("action step %q uses %s, which the test does not emulate", st.Name, st.Uses)
		default:
			if st.Shell != "bash" {
				t.Fatalf("action step %q has shell %q, want bash", st.Name, st.Shell)
			}
			dir := c.ws
			if st.WorkingDirectory != "" {
				dir = c.expand(st.WorkingDirectory)
			}
			c.shell(st, shellKind, dir, st.ID)
		}
	}
}

func (c *ghContext) cacheRestore(st ghStep) {
	key, path := c.expand(st.With["key"]), c.expand(st.With["path"])
	hit := "false"
	if _, err := os.Stat(filepath.Join(c.r.store, key)); err == nil {
		copyTree(c.r.t, filepath.Join(c.r.store, key), path)
		hit = "true"
	}
	c.setOutputs(st.ID, map[string]string{"cache-hit": hit, "cache-primary-key": key})
	c.res.ran = append(c.res.ran, st.Name)
}

func (c *ghContext) cacheSave(st ghStep) {
	key, path := c.expand(st.With["key"]), c.expand(st.With["path"])
	if _, err := os.Stat(filepath.Join(c.r.store, key)); err == nil {
		return // actions/cache warns that the key exists and saves nothing
	}
	copyTree(c.r.t, path, filepath.Join(c.r.store, key))
	c.res.ran = append(c.res.ran, st.Name)
}

func (c *ghContext) setOutputs(id string, m map[string]string) {
	if id == "" {
		return
	}
	if c.res.outputs[id] == nil {
		c.res.outputs[id] = map[string]string{}
	}
	for k, v := range m {
		c.res.outputs[id][k] = v
	}
}

// shell runs a run: step as the runner does: the script in a file under
// RUNNER_TEMP, bash with the runner's flags, the step's env expanded, and
// GITHUB_OUTPUT a fresh file read back into the step's outputs.
func (c *ghContext) shell(st ghStep, kind, dir, id string) {
	t := c.r.t
	t.Helper()
	script := filepath.Join(c.temp, randHex(t)+".sh")
	if err := os.WriteFile(script, []byte(c.expand(st.Run)), 0o644); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(c.temp, "output-"+randHex(t))
	if err := os.WriteFile(outFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	envFile, pathFile := filepath.Join(c.temp, "env-"+randHex(t)), filepath.Join(c.temp, "path-"+randHex(t))
	for _, f := range []string{envFile, pathFile} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := append(append([]string{}, c.env...), "GITHUB_OUTPUT="+outFile, "GITHUB_ENV="+envFile, "GITHUB_PATH="+pathFile)
	for k, v := range st.Env {
		env = append(env, k+"="+c.expand(v))
	}
	cmd := exec.Command("bash", append(append([]string{}, runnerShells[kind]...), script)...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	c.res.log += "## " + st.Name + "\n" + string(out)
	c.res.ran = append(c.res.ran, st.Name)
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("step %q: %v", st.Name, err)
		}
		c.res.failedStep, c.res.code = st.Name, ee.ExitCode()
	}
	// GITHUB_ENV and GITHUB_PATH apply to the steps after this one.
	if b, err := os.ReadFile(envFile); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				c.setEnv(k, v)
			}
		}
	}
	if b, err := os.ReadFile(pathFile); err == nil {
		for _, dir := range strings.Fields(string(b)) {
			c.setEnv("PATH", dir+string(os.PathListSeparator)+c.getEnv("PATH"))
		}
	}
	b, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			outs[k] = v
		}
	}
	c.setOutputs(id, outs)
}

// goEnv is cleanEnv with the go command kept on this machine's module
// and build caches and off the network, for the action's build step.
func goEnv(t testing.TB) []string {
	t.Helper()
	env := cleanEnv()
	for _, k := range []string{"GOMODCACHE", "GOCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Skipf("go env %s: %v", k, err)
		}
		env = append(env, k+"="+strings.TrimSpace(string(out)))
	}
	return append(env, "GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=readonly")
}

func (c *ghContext) getEnv(k string) string {
	for i := len(c.env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(c.env[i], k+"="); ok {
			return v
		}
	}
	return ""
}

func (c *ghContext) setEnv(k, v string) {
	out := c.env[:0]
	for _, kv := range c.env {
		if !strings.HasPrefix(kv, k+"=") {
			out = append(out, kv)
		}
	}
	c.env = append(out, k+"="+v)
}

func randHex(t testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func copyTree(t testing.TB, from, to string) {
	t.Helper()
	if err := os.RemoveAll(to); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}

// newsSite serves an RSS feed and article pages whose text the test
// edits between runs.
type newsSite struct {
	srv   *httptest.Server
	tmpl  *template.Template
	mu    sync.Mutex
	extra map[string]string // slug → the article's extra paragraph
	fail  map[string]bool   // slug → answer 500
	down  bool              // every request fails
}

var newsSlugs = []string{"a1", "a2", "a3", "a4", "a5", "a6"}

func newNewsSite(t *testing.T) *newsSite {
	s := &newsSite{extra: map[string]string{}, fail: map[string]bool{}}
	s.tmpl = template.Must(template.ParseFiles(filepath.Join(trackerDir, "article.html.tmpl")))
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *newsSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	switch p := r.URL.Path; {
	case p == "/rss.xml":
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Herald</title>`)
		for _, slug := range newsSlugs {
			fmt.Fprintf(&b, `<item><title>Story %s</title><link>%s/news/%s.html</link></item>`, slug, s.srv.URL, slug)
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(b.String()))
	case strings.HasPrefix(p, "/news/") && strings.HasSuffix(p, ".html"):
		slug := strings.TrimSuffix(strings.TrimPrefix(p, "/news/"), ".html")
		if s.fail[slug] {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		s.tmpl.Execute(w, map[string]any{
			"Title": "Harbour story " + slug + " develops", "Canonical": s.srv.URL + p,
			"Stamp": "today", "Extra": s.extra[slug],
		})
	default:
		http.NotFound(w, r)
	}
}

func (s *newsSite) edit(slugs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, slug := range slugs {
		n := strings.Count(s.extra[slug], "statement") + 1
		s.extra[slug] = strings.Repeat("The harbour master issued a further statement on the works. ", n)
	}
}

// remoteArticle is an article's history on the remote's main branch.
type remoteArticle struct {
	versions []int
	bodies   []string // commit message bodies
	blobs    []string
}

func remoteHistory(t *testing.T, remote string) map[string]*remoteArticle {
	t.Helper()
	out := map[string]*remoteArticle{}
	log := git(t, remote, "log", "--reverse", "--format=%x1e%H", "--name-only", "main")
	for _, rec := range strings.Split(log, "\x1e")[1:] {
		lines := strings.Fields(rec)
		commit, files := lines[0], lines[1:]
		for _, f := range files {
			if !strings.HasSuffix(f, ".md") || !strings.Contains(f, "/news/") {
				continue
			}
			a := out[f]
			if a == nil {
				a = &remoteArticle{}
				out[f] = a
			}
			msg := git(t, remote, "log", "-1", "--format=%B", commit)
			v := regexp.MustCompile(`(?m)^Stet-Version: (\d+)$`).FindStringSubmatch(msg)
			n := -1
			if v != nil {
				n, _ = strconv.Atoi(v[1])
			}
			a.versions = append(a.versions, n)
			a.bodies = append(a.bodies, msg)
			a.blobs = append(a.blobs, strings.TrimSpace(git(t, remote, "rev-parse", commit+":"+f)))
		}
	}
	return out
}

// checkRemote runs git fsck --strict on the remote and checks every
// article's history: versions numbered 1..N, each content once, the
// first a new article and the others changes, and N as the test expects.
func checkRemote(t *testing.T, name, remote string, want map[string]int) {
	t.Helper()
	cmd := exec.Command("git", "-C", remote, "fsck", "--strict")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("git fsck --strict on the remote: %v\n%s", err, out)
	}
	hist := remoteHistory(t, remote)
	got := map[string]int{}
	for path, a := range hist {
		slug := strings.TrimSuffix(filepath.Base(path), ".html.md")
		slug = strings.TrimSuffix(slug, ".md")
		got[slug] = len(a.versions)
		seen := map[string]bool{}
		for i, n := range a.versions {
			if n != i+1 {
				t.Errorf("%s: %s: versions on the remote are %v, want 1..%d", name, path, a.versions, len(a.versions))
				break
			}
			if seen[a.blobs[i]] {
				t.Errorf("%s: %s: version %d repeats an earlier version's content", name, path, n)
			}
			seen[a.blobs[i]] = true
			isNew := strings.Contains(a.bodies[i], "New article")
			if isNew != (i == 0) {
				t.Errorf("%s: %s: version %d's message says new article = %t:\n%s", name, path, n, isNew, a.bodies[i])
			}
		}
	}
	for _, slug := range newsSlugs {
		if got[slug] != want[slug] {
			t.Errorf("%s: versions on the remote: %v, want %v", name, got, want)
			break
		}
	}
}

// TestRunnerEndToEnd runs the workflow `stet init` writes as a runner
// does, run after run, against one archive, and checks the remote and the
// step's exit status after each.
func TestRunnerEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds stet with the action's build step; skipped in -short")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	const token = "ghs_RUNNERtoken0123456789abcdef"
	site := newNewsSite(t)
	root := t.TempDir()
	remote := filepath.Join(root, "news.git")
	git(t, root, "init", "-q", "--bare", "-b", "main", remote)
	git(t, remote, "config", "uploadpack.allowFilter", "true")
	git(t, remote, "config", "uploadpack.allowAnySHA1InWant", "true")
	git(t, remote, "config", "http.receivepack", "true")
	srv := httptest.NewServer(gitBackend(t, root, token))
	t.Cleanup(srv.Close)

	// The user's side: stet init, choose the sources, push.
	local := filepath.Join(t.TempDir(), "news")
	tio := testEnv(t)
	tio.mustRun(t, "init", local)
	cfg := fmt.Sprintf("fetch:\n  allow_private_addresses: true\n  host_interval: 0s\n  timeout: 10s\nsources:\n  - name: herald\n    feeds:\n      - %s/rss.xml\n", site.srv.URL)
	if err := os.WriteFile(filepath.Join(local, "stet.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, local, "-c", "user.name=Ed", "-c", "user.email=ed@example.com", "commit", "-qam", "Choose sources")
	git(t, local, "push", "-q", remote, "main")

	r := newGHRunner(t, remote, srv.URL+"/news.git", token)
	all := map[string]string{"STET_ALL": "true"} // every article is due in every run
	want := map[string]int{}
	bump := func(slugs ...string) {
		for _, s := range slugs {
			want[s]++
		}
	}
	tip := func() string { return strings.TrimSpace(git(t, remote, "rev-parse", "main")) }
	expect := func(name string, res ghResult, failedStep string, code int) {
		t.Helper()
		if res.failedStep != failedStep || res.code != code {
			t.Errorf("%s: failed step %q with exit %d, want %q with %d\n%s", name, res.failedStep, res.code, failedStep, code, res.log)
		}
		if strings.Contains(res.log, token) {
			t.Errorf("%s: the token appears in the log", name)
		}
		checkRemote(t, name, remote, want)
		if os.Getenv("STET_DEBUG_STATE") != "" {
			for _, f := range strings.Fields(git(t, remote, "ls-tree", "-r", "--name-only", "refs/stet/state")) {
				t.Logf("%s: state %s:\n%s", name, f, git(t, remote, "show", "refs/stet/state:"+f))
			}
		}
		if t.Failed() {
			t.Logf("%s: the job's log:\n%s", name, res.log)
			t.FailNow() // later cases build on this one
		}
	}

	// An empty archive: the first run builds stet (a cache miss), archives
	// every article and pushes.
	res := r.run(ghJob{env: all})
	bump(newsSlugs...)
	expect("empty archive", res, "", 0)
	if !contains(res.ran, "Build stet") || !contains(res.ran, "Save the stet binary") {
		t.Errorf("a cache miss did not build and save stet: %v", res.ran)
	}
	if got := res.output("run", "commit-sha"); got != tip() {
		t.Errorf("commit-sha = %q, want the remote tip %s", got, tip())
	}
	if res.output("run", "added") != "6" || res.output("run", "changes-detected") != "true" {
		t.Errorf("outputs: %v", res.outputs["run"])
	}
	git(t, remote, "rev-parse", "--verify", "refs/stet/state")

	// Nothing changed: the cached binary is used, nothing is committed.
	before := tip()
	res = r.run(ghJob{env: all, actionShell: "default"})
	expect("nothing changed", res, "", 0)
	if contains(res.ran, "Build stet") {
		t.Errorf("a warm start built stet again: %v", res.ran)
	}
	if tip() != before || res.output("run", "changes-detected") != "false" {
		t.Errorf("nothing changed, but the tip moved or changes-detected is %q", res.output("run", "changes-detected"))
	}

	// One edit.
	site.edit("a1")
	bump("a1")
	res = r.run(ghJob{env: all})
	expect("one edit", res, "", 0)
	if res.output("run", "changed") != "1" || res.output("run", "commit-sha") != tip() {
		t.Errorf("one edit: outputs %v, tip %s", res.outputs["run"], tip())
	}

	// Two runs racing: while this run is between checkout and push,
	// another pushes k commits; then the site changes again, so this run
	// has versions of its own to replay over theirs.
	for _, k := range []int{1, 2, 5} {
		slugs := newsSlugs[:k]
		res = r.run(ghJob{env: all, beforeStet: func() {
			site.edit(slugs...)
			bump(slugs...)
			if other := r.run(ghJob{env: all}); other.failedStep != "" {
				t.Errorf("ahead by %d: the other run failed at %q:\n%s", k, other.failedStep, other.log)
			}
			site.edit(slugs...)
			bump(slugs...)
		}})
		expect(fmt.Sprintf("remote ahead by %d", k), res, "", 0)
		// The job summary gives the versions as they landed, after the
		// other run's.
		for _, slug := range slugs {
			row := regexp.MustCompile(`\| changed \| \[Harbour story ` + slug + ` develops\]\([^)]*\) \| [^|]* \| (\d+) \| ([^|]*) \|`).FindStringSubmatch(res.summary)
			if row == nil || row[1] != strconv.Itoa(want[slug]) || strings.TrimSpace(row[2]) == "" {
				t.Errorf("ahead by %d: job summary row for %s = %q, want version %d with a summary:\n%s", k, slug, row, want[slug], res.summary)
			}
		}
		if res.output("run", "commit-sha") != tip() {
			t.Errorf("ahead by %d: commit-sha %q, remote tip %s", k, res.output("run", "commit-sha"), tip())
		}
	}

	// A stale GITHUB_SHA: the event's commit is two behind the tip.
	stale := strings.TrimSpace(git(t, remote, "rev-parse", "main~2"))
	site.edit("a6")
	bump("a6")
	res = r.run(ghJob{env: all, sha: stale})
	expect("stale GITHUB_SHA", res, "", 0)

	// A failed article: a warning, and the step stays green.
	site.mu.Lock()
	site.fail["a3"] = true
	site.mu.Unlock()
	site.edit("a2")
	bump("a2")
	res = r.run(ghJob{env: all, actionShell: "default"})
	expect("failed article", res, "", 0)
	if res.output("run", "failed") != "1" || !strings.Contains(res.log, "::warning title=stet article failed::") {
		t.Errorf("failed article: outputs %v\n%s", res.outputs["run"], res.log)
	}
	site.mu.Lock()
	site.fail["a3"] = false
	site.mu.Unlock()

	// A wrong token for the push: the step fails with the push's code and
	// one ::error:: that says why; the remote is untouched.
	site.edit("a4")
	before = tip()
	res = r.run(ghJob{env: all, actionToken: "ghs_wrong"})
	expect("wrong token", res, "Run stet", exitPush)
	if a := regexp.MustCompile(`(?m)^::error[^:]*::(.*)$`).FindStringSubmatch(res.log); a == nil || !strings.Contains(a[1], "HTTP 401") {
		t.Errorf("wrong token: the annotation does not give the server's reason: %q", a)
	}
	if n := strings.Count(res.log, "::error"); n != 1 || tip() != before {
		t.Errorf("wrong token: %d ::error:: lines (want 1), tip moved: %t\n%s", n, tip() != before, res.log)
	}
	if res.output("run", "commit-sha") != "" {
		t.Errorf("wrong token: commit-sha %q names a commit that was not pushed", res.output("run", "commit-sha"))
	}
	bump("a4") // the next run archives the edit
	res = r.run(ghJob{env: all})
	expect("after the wrong token", res, "", 0)

	// Every source failing: nothing could be checked, the step fails.
	site.mu.Lock()
	site.down = true
	site.mu.Unlock()
	res = r.run(ghJob{env: all, actionShell: "default"})
	expect("every source failing", res, "Run stet", exitNoSource)
	site.mu.Lock()
	site.down = false
	site.mu.Unlock()

	// A missing state ref in an archive with articles: stet must not
	// rebuild it from one commit and renumber; it stops with a clear error
	// and the remote is left as it was.
	state := strings.TrimSpace(git(t, remote, "rev-parse", "refs/stet/state"))
	git(t, remote, "update-ref", "-d", "refs/stet/state")
	site.edit("a5")
	before = tip()
	res = r.run(ghJob{env: all})
	expect("missing state ref", res, "Run stet", exitRunError)
	if !strings.Contains(res.log, "::error title=stet::track: no schedule state") || tip() != before {
		t.Errorf("missing state ref: no clear error, or the tip moved:\n%s", res.log)
	}
	git(t, remote, "update-ref", "refs/stet/state", state)
	bump("a5") // the edit the stopped run left is archived by the next

	// gh-pages: a site that an old shallow run left with one article of
	// six, its manifest at the tip, is completed by the next run with
	// pages on, and the commit is authored by the action's committer.
	t.Run("gh-pages", func(t *testing.T) {
		full := filepath.Join(t.TempDir(), "full")
		git(t, root, "clone", "-q", remote, full)
		tio.mustRun(t, "publish", "--repo", full, "--gh-pages")
		pages := filepath.Join(t.TempDir(), "pages")
		git(t, full, "worktree", "add", "-q", pages, "gh-pages")
		var m struct {
			Version  int                        `json:"version"`
			Head     string                     `json:"head"`
			Articles map[string]json.RawMessage `json:"articles"`
		}
		mb, err := os.ReadFile(filepath.Join(pages, ".stet-publish.json"))
		if err != nil || json.Unmarshal(mb, &m) != nil || len(m.Articles) != 6 {
			t.Fatalf("the first publish wrote a manifest of %d articles (%v)", len(m.Articles), err)
		}
		for k := range m.Articles {
			if !strings.Contains(k, "/a1.") {
				delete(m.Articles, k)
			}
		}
		mb, _ = json.Marshal(m)
		os.WriteFile(filepath.Join(pages, ".stet-publish.json"), mb, 0o644)
		git(t, pages, "-c", "user.name=old", "-c", "user.email=old@example.com", "commit", "-qam", "a shallow publish")
		git(t, full, "push", "-q", "origin", "gh-pages")
		site.edit("a2")
		bump("a2")
		res = r.run(ghJob{env: all, vars: map[string]string{"STET_PAGES": "true"}})
		expect("publish gh-pages", res, "", 0)
		if !contains(res.ran, "Publish feeds and pages") {
			t.Errorf("publish step did not run: %v", res.ran)
		}
		if out, err := exec.Command("git", "-C", remote, "fsck", "--strict").CombinedOutput(); err != nil {
			t.Errorf("git fsck after publishing: %v\n%s", err, out)
		}
		m.Articles = nil
		if err := json.Unmarshal([]byte(git(t, remote, "show", "gh-pages:.stet-publish.json")), &m); err != nil || m.Head != tip() {
			t.Errorf("gh-pages manifest after the run: at %s (want %s), %v\n%s", m.Head, tip(), err, res.log)
		}
		if who := strings.TrimSpace(git(t, remote, "log", "-1", "--format=%an <%ae>|%cn", "gh-pages")); who != "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|github-actions[bot]" {
			t.Errorf("gh-pages commit by %q, want the action's committer", who)
		}
		for _, slug := range newsSlugs {
			if !strings.Contains(git(t, remote, "ls-tree", "-r", "--name-only", "gh-pages"), "/news/"+slug+".html") {
				t.Errorf("gh-pages has no page for %s", slug)
			}
		}
		if len(m.Articles) != 6 {
			// The history index stet run built in the shallow clone must be
			// rebuilt after git fetch --unshallow, or publish finds no history
			// for the articles no recent commit touched.
			t.Errorf("the gh-pages manifest holds %d of 6 articles after the run\n%s", len(m.Articles), res.log)
		}
	})
	t.Logf("%d jobs run; versions on the remote: %v", r.jobs, want)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestActionCachedBinary runs the action's cache steps alone: a binary
// restored intact is used; one whose checksum fails, or that does not
// run, is thrown away and rebuilt; the key changes with the sources.
func TestActionCachedBinary(t *testing.T) {
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("no sha256sum")
	}
	r := newGHRunner(t, "", "", "")
	c := &ghContext{r: r, temp: t.TempDir(), ws: t.TempDir(), res: &ghResult{outputs: map[string]map[string]string{}}, inputs: map[string]string{}}
	c.env = append(goEnv(t), "RUNNER_TEMP="+c.temp, "RUNNER_OS=Linux", "RUNNER_ARCH=X64")
	step := func(id string) ghStep {
		for _, st := range r.action {
			if st.ID == id {
				return st
			}
		}
		t.Fatalf("action.yml has no step %q", id)
		return ghStep{}
	}
	c.shell(step("key"), "bash", c.ws, "key")
	key, dir := c.res.output("key", "key"), c.res.output("key", "dir")
	if !regexp.MustCompile(`^stet-bin-Linux-X64-[0-9a-f]{32}$`).MatchString(key) || dir != filepath.Join(c.temp, "stet-action") {
		t.Fatalf("key %q, dir %q", key, dir)
	}
	check := func(name, want string) {
		t.Helper()
		c.res.failedStep = ""
		c.shell(step("bin"), "bash", c.ws, "bin")
		if c.res.failedStep != "" || c.res.output("bin", "ok") != want {
			t.Errorf("%s: ok=%q (want %s), failed step %q\n%s", name, c.res.output("bin", "ok"), want, c.res.failedStep, c.res.log)
		}
	}
	check("nothing restored", "false")
	// A stand-in binary that runs `version`, with its checksum.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "stet")
	write := func(script string) {
		if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sum := func() {
		cmd := exec.Command("bash", "-c", "sha256sum stet > stet.sha256")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	write("#!/bin/sh\n[ \"$1\" = version ] && echo stet test\n")
	sum()
	check("intact", "true")
	write("#!/bin/sh\n[ \"$1\" = version ] && echo stet damaged\n")
	check("checksum mismatch", "false")
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("a damaged binary was left in place: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write("#!/bin/sh\nexit 1\n")
	sum()
	check("does not run", "false")

	// The key covers the sources and nothing else: a test file or a
	// testdata file leaves it alone, a source file changes it.
	src := t.TempDir()
	for _, f := range []string{"go.mod", "cmd/stet/main.go", "cmd/stet/main_test.go", "extract/testdata/page.html"} {
		p := filepath.Join(src, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(f), 0o644)
	}
	keyOf := func() string {
		r.actionPath = src
		c.res.failedStep = ""
		c.shell(step("key"), "bash", c.ws, "key")
		return c.res.output("key", "key")
	}
	k1 := keyOf()
	os.WriteFile(filepath.Join(src, "cmd/stet/main_test.go"), []byte("changed"), 0o644)
	os.WriteFile(filepath.Join(src, "extract/testdata/page.html"), []byte("changed"), 0o644)
	k2 := keyOf()
	os.WriteFile(filepath.Join(src, "cmd/stet/main.go"), []byte("changed"), 0o644)
	k3 := keyOf()
	if k1 != k2 || k2 == k3 {
		t.Errorf("keys %s, %s (tests changed), %s (source changed): want equal, then different", k1, k2, k3)
	}
}

// BenchmarkActionWarmStart times the action's script steps on a warm
// start: hashing the action's sources into the cache key, then checking
// the restored binary (checksum and `stet version`). The restore itself
// is actions/cache's download of one ~20 MB file.
func BenchmarkActionWarmStart(b *testing.B) {
	r := newGHRunner(b, "", "", "")
	c := &ghContext{r: r, temp: b.TempDir(), ws: b.TempDir(), res: &ghResult{outputs: map[string]map[string]string{}}, inputs: map[string]string{}}
	c.env = append(goEnv(b), "RUNNER_TEMP="+c.temp, "RUNNER_OS=Linux", "RUNNER_ARCH=X64")
	var key, bin ghStep
	for _, st := range r.action {
		switch st.ID {
		case "key":
			key = st
		case "bin":
			bin = st
		}
	}
	dir := filepath.Join(c.temp, "stet-action")
	build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "stet"), ".")
	build.Env = c.env
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	sum := exec.Command("bash", "-c", "sha256sum stet > stet.sha256")
	sum.Dir = dir
	if out, err := sum.CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	b.ResetTimer()
	for b.Loop() {
		c.shell(key, "bash", c.ws, "key")
		c.shell(bin, "bash", c.ws, "bin")
		if c.res.failedStep != "" || c.res.output("bin", "ok") != "true" {
			b.Fatalf("warm start did not use the binary: %q\n%s", c.res.failedStep, c.res.log)
		}
		c.res.log = ""
	}
}
