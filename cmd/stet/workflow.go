package main

import _ "embed"

// workflowYAML is the example GitHub Actions workflow that `stet init`
// writes to .github/workflows/stet.yml: every 30 minutes (at an odd
// minute) it runs the stet Action, which archives and pushes, and it keeps
// the schedule from being disabled after 60 quiet days. action_test.go
// lints it together with action.yml.
//
//go:embed workflow.yml
var workflowYAML []byte
