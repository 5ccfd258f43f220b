package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoDateParserLinked checks that the stet binary does not link
// go-dateparser, whose locale tables cost every stet command about 270 ms
// and 78 MB at start. go-trafilatura reaches it only through its date
// search, which stet turns off; go.mod replaces that package with the stub
// in third_party/htmldate-off.
func TestNoDateParserLinked(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "github.com/markusmobius/go-dateparser") {
			t.Fatalf("stet links %s again: check the replace directive in go.mod", p)
		}
	}
	if !strings.Contains(string(out), "github.com/markusmobius/go-trafilatura\n") {
		t.Fatal("stet no longer links go-trafilatura: drop the replace directive and third_party/htmldate-off")
	}
}

// BenchmarkStartup measures a whole stet process that does nothing:
// `stet version`. Every command, and every batch of `stet extract`, pays it.
func BenchmarkStartup(b *testing.B) {
	bin := buildStet(b)
	for b.Loop() {
		if out, err := exec.Command(bin, "version").CombinedOutput(); err != nil {
			b.Fatalf("stet version: %v\n%s", err, out)
		}
	}
}
