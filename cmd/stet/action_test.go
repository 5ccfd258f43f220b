package main

import (
	"io"

	"bytes"
	"go.yaml.in/yaml/v3"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// lintWithAction lints workflow in a throwaway repository whose root holds
// our action.yml, with `uses: stet-archive/stet@main` pointed at that
// local copy, so actionlint checks every input and output the workflow
// uses against action.yml.
func lintWithAction(t *testing.T, workflow []byte) []*actionlint.Error {
	t.Helper()
	action, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, d := range []string{".git", ".github/workflows"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "action.yml"), action, 0o644); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(workflow, []byte("uses: stet-archive/stet@main")) {
		t.Fatal("workflow does not use stet-archive/stet@main")
	}
	local := bytes.ReplaceAll(workflow, []byte("uses: stet-archive/stet@main"), []byte("uses: ./"))
	path := filepath.Join(root, ".github", "workflows", "stet.yml")
	if err := os.WriteFile(path, local, 0o644); err != nil {
		t.Fatal(err)
	}
	proj, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{WorkingDir: root})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFile(path, proj)
	if err != nil {
		t.Fatalf("actionlint: %v", err)
	}
	return errs
}

func TestActionlintWorkflowAndAction(t *testing.T) {
	for _, e := range lintWithAction(t, workflowYAML) {
		t.Errorf("actionlint: %s:%d:%d: %s [%s]", filepath.Base(e.Filepath), e.Line, e.Column, e.Message, e.Kind)
	}
}

// TestActionlintCatchesMistakes shows the lint would fail: unknown
// inputs and outputs of our action, and an old checkout, are reported.
func TestActionlintCatchesMistakes(t *testing.T) {
	tests := []struct{ name, from, to, want string }{
		{"unknown input", "github-token: ${{ github.token }}", "github-tokn: ${{ github.token }}", "github-tokn"},
		{"unknown output", "steps.stet.outputs.changes-detected", "steps.stet.outputs.changes_found", "changes_found"},
		{"old checkout", "actions/checkout@v6", "actions/checkout@v1", "checkout@v1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Contains(workflowYAML, []byte(tt.from)) {
				t.Fatalf("workflow lacks %q", tt.from)
			}
			errs := lintWithAction(t, bytes.ReplaceAll(workflowYAML, []byte(tt.from), []byte(tt.to)))
			found := false
			for _, e := range errs {
				found = found || strings.Contains(e.Message, tt.want)
			}
			if !found {
				t.Errorf("actionlint did not report %q; errors: %v", tt.want, errs)
			}
		})
	}
}

func TestWorkflowShape(t *testing.T) {
	for _, want := range []string{
		`cron: "17,47 * * * *"`, "workflow_dispatch:", "contents: write", "cancel-in-progress: false",
		"actions/checkout@v6", "fetch-depth: 1", "filter: blob:none", "sparse-checkout: .github", "refs/stet/state",
		"--no-filter", "ls-remote --exit-code", "uses: stet-archive/stet@main", "vars.STET_PAGES", "stet publish --gh-pages",
		"actions/workflows/$file/enable",
	} {
		if !bytes.Contains(workflowYAML, []byte(want)) {
			t.Errorf("workflow.yml lacks %q", want)
		}
	}
	action, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"actions/setup-go@v6", "go-version-file: ${{ github.action_path }}/go.mod", "actions/cache/restore@v5", "actions/cache/save@v5", "stet.sha256", "--push", "|| code=$?"} {
		if !bytes.Contains(action, []byte(want)) {
			t.Errorf("action.yml lacks %q", want)
		}
	}
}

// actionMeta is the part of action.yml the tests read.
type actionMeta struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string      `yaml:"using"`
		Steps []yaml.Node `yaml:"steps"`
	} `yaml:"runs"`
}

func readAction(t *testing.T) (actionMeta, []byte) {
	t.Helper()
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var m actionMeta
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return m, b
}

// TestActionlintCompositeSteps lints the composite action's own steps as
// the job of a reusable workflow whose inputs are the action's, so the
// inputs of actions/setup-go and every ${{ inputs.* }} are checked too.
func TestActionlintCompositeSteps(t *testing.T) {
	m, _ := readAction(t)
	if m.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", m.Runs.Using)
	}
	inputs := map[string]any{}
	for name := range m.Inputs {
		inputs[name] = map[string]any{"type": "string", "required": false}
	}
	wf := map[string]any{
		"on": map[string]any{"workflow_call": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{"stet": map[string]any{
			"runs-on": "ubuntu-latest",
			"steps":   m.Runs.Steps,
		}},
	}
	b, err := yaml.Marshal(wf)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	path := filepath.Join(root, ".github", "workflows", "action-steps.yml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	proj, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{WorkingDir: root})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFile(path, proj)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("actionlint (action.yml steps): %s [%s]\n%s", e.Message, e.Kind, b)
	}
}

// TestActionOutputsMatchStet checks that action.yml declares exactly the
// outputs stet writes to GITHUB_OUTPUT, each read from the run step.
func TestActionOutputsMatchStet(t *testing.T) {
	m, _ := readAction(t)
	var b bytes.Buffer
	if err := writeOutputs(&b, actionReport{}); err != nil {
		t.Fatal(err)
	}
	written := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		k, _, _ := strings.Cut(line, "=")
		written[k] = true
	}
	for name, o := range m.Outputs {
		if !written[name] {
			t.Errorf("action.yml output %q is not written by stet", name)
		}
		if o.Description == "" || o.Value != "${{ steps.run.outputs."+name+" }}" {
			t.Errorf("action.yml output %q = %+v, want a description and the run step's output", name, o)
		}
		delete(written, name)
	}
	for name := range written {
		t.Errorf("stet writes output %q that action.yml does not declare", name)
	}
}
