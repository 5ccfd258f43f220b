package diff_test

import (
	"fmt"
	"os"
	"time"

	"github.com/stet-archive/stet/diff"
)

const v1 = `---
title: Council backs harbour plan
byline: Jane Smith
---

# Council backs harbour plan

The council voted on Tuesday.
The motion passed by 12 votes to 9.
`

const v2 = `---
title: Council rejects harbour plan
byline: Jane Smith
---

# Council rejects harbour plan

The council voted on Tuesday.
The motion failed by 9 votes to 12.

Correction: An earlier version misstated the result.
`

func ExampleSummarize() {
	s := diff.Summarize([]byte(v1), []byte(v2))
	for _, line := range s.Lines() {
		fmt.Println(line)
	}
	fmt.Println(s.Short())
	// Output:
	// Headline: "Council backs harbour plan" → "Council rejects harbour plan"
	// 1 sentence added, 1 edited; +10 −3 words
	// Correction: "An earlier version misstated the result."
	// headline changed; 1 sentence added, 1 edited; +10 −3 words; correction
}

func ExampleWriteInline() {
	d := diff.Compare([]byte(v1), []byte(v2))
	if err := diff.WriteInline(os.Stdout, d, diff.RenderOptions{OldLabel: "v1", NewLabel: "v2"}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// v1 → v2
	//
	// # Council [-backs-]{+rejects+} harbour plan
	//
	// The council voted on Tuesday.
	// The motion [-passed-]{+failed+} by [-12-]{+9+} votes to [-9-]{+12+}.
	//
	// {+Correction: An earlier version misstated the result.+}
}

func ExampleGap() {
	fmt.Println(diff.Gap(3*time.Hour + 10*time.Minute))
	fmt.Println(diff.Gap(50 * time.Hour))
	// Output:
	// about 3 hours later
	// 2 days later
}
