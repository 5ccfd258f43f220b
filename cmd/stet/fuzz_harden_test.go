package main

import (
	"os"
	"testing"
)

// FuzzConfig decodes arbitrary stet.yaml files: no panic, and decoding is
// deterministic (both accept, or both reject with the same error).
func FuzzConfig(f *testing.F) {
	if b, err := os.ReadFile("defaults/default.yaml"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"fetch:\n  timeout: 7d12h\n  host_interval: 0s\nschedule:\n  backoff: 1.5\n  first_interval: 90s\n",
		"sources:\n  - name: a\n    feeds: [https://h/rss]\n    include: ['/news/']\n",
		"sites:\n  - name: x\n    hosts: [h]\n",
		"archive: {repo: ../x, branch: 'a b'}\nunknown: 1\n",
		"a: &a [*a]\n",
		"fetch:\n  timeout: 99999999999d\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c1, err1 := parseConfig("stet.yaml", data)
		c2, err2 := parseConfig("stet.yaml", data)
		if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
			t.Fatalf("parseConfig not deterministic: %v then %v", err1, err2)
		}
		if err1 == nil {
			c1.sources()
			c2.profiles()
		}
	})
}
