package track

import (
	"bytes"
	"maps"
	"testing"
	"time"
)

// FuzzDecodeState feeds arbitrary bytes as one state file: DecodeState
// must not panic, and what it accepts must encode and decode to the same
// bytes again.
func FuzzDecodeState(f *testing.F) {
	for _, b := range sampleState(40).Files() {
		f.Add(b)
	}
	f.Add([]byte(`{"https://a.example/x": {"first_seen": "2026-11-26T12:00:00Z", "aliases": ["b", "a"]}}`))
	f.Add([]byte(`{"x": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Put the file where its first entry belongs, so the shard check
		// does not reject everything.
		files := map[string][]byte{"0/0.json": data}
		st, err := DecodeState(files)
		if err != nil {
			return
		}
		for u := range st.Entries {
			files = map[string][]byte{shard(u): data}
			break
		}
		st, err = DecodeState(files)
		if err != nil {
			return
		}
		enc := st.Files()
		st2, err := DecodeState(enc)
		if err != nil {
			t.Fatalf("DecodeState(Files()) = %v", err)
		}
		enc2 := st2.Files()
		if !maps.EqualFunc(enc, enc2, bytes.Equal) {
			t.Fatalf("encoding not stable:\n%q\n%q", enc, enc2)
		}
	})
}

func BenchmarkPlan5000(b *testing.B) {
	st := sampleState(5000)
	b.ReportAllocs()
	for b.Loop() {
		Schedule{}.Plan(st, t0.Add(time.Hour), false)
	}
}

func BenchmarkStateFiles5000(b *testing.B) {
	st := sampleState(5000)
	b.ReportAllocs()
	for b.Loop() {
		st.Files()
	}
}

func BenchmarkDecodeState100k(b *testing.B) {
	files := sampleState(100000).Files()
	n := 0
	for _, f := range files {
		n += len(f)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeState(files); err != nil {
			b.Fatal(err)
		}
	}
}
