package diff

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Operation kinds in [Op.Kind] and [ParaDiff.Op].
const (
	OpEqual  = "equal"
	OpInsert = "insert"
	OpDelete = "delete"
	OpChange = "change" // ParaDiff only: the paragraph was edited
)

// Op is one step of a word-level diff. Kind is [OpEqual], [OpInsert] or
// [OpDelete]; Text is never empty.
type Op struct {
	Kind string `json:"op"`
	Text string `json:"text"`
}

// FieldChange is a changed front-matter field. Old or New is empty when
// the field was added or removed.
type FieldChange struct {
	Old string `json:"old"`
	New string `json:"new"`
	Ops []Op   `json:"ops"`
}

// ParaDiff is one row of the paragraph alignment. Op is [OpEqual] (Ops
// is one equal op), [OpInsert] or [OpDelete] (the whole paragraph is new
// or gone) or [OpChange] (the paragraph was edited; Ops is its word
// diff). Kind is the block kind of the new paragraph, or of the old one
// when deleted.
type ParaDiff struct {
	Op   string `json:"op"`
	Kind string `json:"kind"`
	Ops  []Op   `json:"ops"`
}

// Old returns the paragraph's old text ("" when inserted).
func (p ParaDiff) Old() string { return side(p.Ops, OpDelete) }

// New returns the paragraph's new text ("" when deleted).
func (p ParaDiff) New() string { return side(p.Ops, OpInsert) }

// side joins the equal ops with those of kind keep.
func side(ops []Op, keep string) string {
	var b strings.Builder
	for _, o := range ops {
		if o.Kind == OpEqual || o.Kind == keep {
			b.WriteString(o.Text)
		}
	}
	return b.String()
}

// Diff is the difference between two versions of an article: the
// changed front-matter fields (nil when unchanged), then the body aligned
// by paragraph. Title, URL and Language are those of the new version
// (of the old one when the new is empty), for headers.
type Diff struct {
	Title      string       `json:"title,omitempty"`
	URL        string       `json:"url,omitempty"`
	Language   string       `json:"language,omitempty"`
	Headline   *FieldChange `json:"headline,omitempty"`
	Byline     *FieldChange `json:"byline,omitempty"`
	Published  *FieldChange `json:"published,omitempty"`
	Paragraphs []ParaDiff   `json:"paragraphs"`
}

// Changed reports whether the two versions differ in a compared field or
// in the body.
func (d *Diff) Changed() bool {
	if d.Headline != nil || d.Byline != nil || d.Published != nil {
		return true
	}
	for _, p := range d.Paragraphs {
		if p.Op != OpEqual {
			return true
		}
	}
	return false
}

// Compare returns the word-level difference between two article files
// (see [Parse]); either may be nil or empty. Paragraphs are first aligned
// as units, so a paragraph inserted in the middle leaves the others
// equal; an edited paragraph is paired with its old self when they share
// enough words, and then diffed word by word.
//
// Compare never returns nil. Its cost is bounded: when a changed stretch
// of one paragraph holds more than about 4,000 tokens on each side, it is
// diffed sentence by sentence first and word by word only inside the
// changed sentences; a stretch still too big is reported as one deletion
// and one insertion rather than searched for the minimal edit.
func Compare(old, new []byte) *Diff {
	return compareDocs(Parse(old), Parse(new))
}

func compareDocs(a, b Doc) *Diff {
	d := &Diff{Title: b.Title, URL: b.URL, Paragraphs: []ParaDiff{}}
	if d.Title == "" && len(b.Paragraphs) == 0 {
		d.Title = a.Title
	}
	if d.URL == "" {
		d.URL = a.URL
	}
	if d.Language = b.Language; d.Language == "" {
		d.Language = a.Language
	}
	d.Headline = fieldChange(a.Title, b.Title)
	d.Byline = fieldChange(a.Byline, b.Byline)
	d.Published = fieldChange(a.Published, b.Published)
	d.Paragraphs = alignParagraphs(a.Paragraphs, b.Paragraphs)
	return d
}

func fieldChange(a, b string) *FieldChange {
	if a == b {
		return nil
	}
	return &FieldChange{Old: a, New: b, Ops: wordDiff(a, b)}
}

// pairThreshold is the share of words two paragraphs must have in common
// to be shown as one edited paragraph rather than a deletion and an
// insertion.
const pairThreshold = 0.4

func alignParagraphs(a, b []Paragraph) []ParaDiff {
	at := make([]string, len(a))
	for i, p := range a {
		at[i] = p.Text()
	}
	bt := make([]string, len(b))
	for i, p := range b {
		bt[i] = p.Text()
	}
	var out []ParaDiff
	ai, bi := 0, 0
	for _, h := range diffSeq(at, bt) {
		switch h.kind {
		case OpEqual:
			for range h.a {
				out = append(out, ParaDiff{Op: OpEqual, Kind: b[bi].Kind, Ops: []Op{{OpEqual, bt[bi]}}})
				ai++
				bi++
			}
		default: // a replaced run: h.a deleted, h.b inserted
			dels, ins := a[ai:ai+len(h.a)], b[bi:bi+len(h.b)]
			out = append(out, pairRun(dels, ins)...)
			ai += len(h.a)
			bi += len(h.b)
		}
	}
	return out
}

// pairRun aligns deleted paragraphs with inserted ones, in order, pairing
// those similar enough to show as edits.
func pairRun(dels, ins []Paragraph) []ParaDiff {
	var out []ParaDiff
	j := 0
	insert := func(p Paragraph) {
		out = append(out, ParaDiff{Op: OpInsert, Kind: p.Kind, Ops: []Op{{OpInsert, p.Text()}}})
	}
	for _, d := range dels {
		dt := d.Text()
		match := -1
		for k := j; k < len(ins); k++ {
			if similarity(dt, ins[k].Text()) >= pairThreshold {
				match = k
				break
			}
		}
		if match < 0 {
			out = append(out, ParaDiff{Op: OpDelete, Kind: d.Kind, Ops: []Op{{OpDelete, dt}}})
			continue
		}
		for ; j < match; j++ {
			insert(ins[j])
		}
		out = append(out, ParaDiff{Op: OpChange, Kind: ins[match].Kind, Ops: wordDiff(dt, ins[match].Text())})
		j = match + 1
	}
	for ; j < len(ins); j++ {
		insert(ins[j])
	}
	return out
}

// similarity is the share of word tokens two texts have in common, as a
// multiset: 2·common / (|a| + |b|).
func similarity(a, b string) float64 {
	count := map[string]int{}
	na, nb, common := 0, 0, 0
	for _, t := range tokenize(a) {
		if isWord(t) {
			count[strings.ToLower(t)]++
			na++
		}
	}
	for _, t := range tokenize(b) {
		if isWord(t) {
			nb++
			if k := strings.ToLower(t); count[k] > 0 {
				count[k]--
				common++
			}
		}
	}
	if na+nb == 0 {
		return 1 // both are punctuation or images without alt: same kind of thing
	}
	return 2 * float64(common) / float64(na+nb)
}

// wordDiff diffs two texts token by token and tidies the result.
func wordDiff(a, b string) []Op {
	if a == b {
		if a == "" {
			return []Op{}
		}
		return []Op{{OpEqual, a}}
	}
	var ops []Op
	for _, h := range tokenHunks(tokenize(a), tokenize(b)) {
		if h.kind == OpEqual {
			ops = append(ops, Op{OpEqual, strings.Join(h.a, "")})
			continue
		}
		if len(h.a) > 0 {
			ops = append(ops, Op{OpDelete, strings.Join(h.a, "")})
		}
		if len(h.b) > 0 {
			ops = append(ops, Op{OpInsert, strings.Join(h.b, "")})
		}
	}
	return tidy(ops)
}

// tidy folds white space that sits alone between two replacements into
// them, so "[-a-]{+c+} [-b-]{+d+}" reads "[-a b-]{+c d+}", and puts each
// deletion before its insertion.
func tidy(ops []Op) []Op {
	type seg struct {
		equal    bool
		del, ins string
	}
	var segs []seg
	for _, o := range ops {
		if o.Kind == OpEqual {
			if len(segs) > 0 && segs[len(segs)-1].equal {
				segs[len(segs)-1].del += o.Text
				continue
			}
			segs = append(segs, seg{equal: true, del: o.Text})
			continue
		}
		if len(segs) == 0 || segs[len(segs)-1].equal {
			segs = append(segs, seg{})
		}
		s := &segs[len(segs)-1]
		if o.Kind == OpDelete {
			s.del += o.Text
		} else {
			s.ins += o.Text
		}
	}
	var out []seg
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		if s.equal && len(out) > 0 && !out[len(out)-1].equal && i+1 < len(segs) &&
			!segs[i+1].equal && strings.TrimSpace(s.del) == "" && !strings.Contains(s.del, "\n") {
			last := &out[len(out)-1]
			next := segs[i+1]
			// Fold only when both changes delete and insert: the space
			// is in both texts, so it must join both sides.
			if last.del != "" && next.del != "" && last.ins != "" && next.ins != "" {
				last.del += s.del + next.del
				last.ins += s.del + next.ins
				i++
				continue
			}
		}
		out = append(out, s)
	}
	res := make([]Op, 0, len(out)*2)
	for _, s := range out {
		if s.equal {
			res = append(res, Op{OpEqual, s.del})
			continue
		}
		if s.del != "" {
			res = append(res, Op{OpDelete, s.del})
		}
		if s.ins != "" {
			res = append(res, Op{OpInsert, s.ins})
		}
	}
	return res
}

// tokenHunks diffs two token sequences. When the changed stretch is too
// big to diff token by token within maxCells, it first diffs sentences
// (runs of tokens ending at sentence punctuation or a newline) as units
// and then the tokens inside each replaced run of sentences, so that many
// small edits in a huge paragraph still come out word by word.
func tokenHunks(a, b []string) []hunk {
	p := commonPrefix(a, b)
	s := commonSuffix(a[p:], b[p:])
	if (len(a)-p-s)*(len(b)-p-s) <= maxCells {
		return diffSeq(a, b)
	}
	ca, cb := chunks(a), chunks(b)
	ka, kb := joinAll(ca), joinAll(cb)
	var out []hunk
	ai, bi := 0, 0
	for _, h := range diffSeq(ka, kb) {
		ta, tb := flatten(ca[ai:ai+len(h.a)]), flatten(cb[bi:bi+len(h.b)])
		ai += len(h.a)
		bi += len(h.b)
		if h.kind == OpEqual {
			out = append(out, hunk{OpEqual, ta, tb})
			continue
		}
		if len(h.a) == len(h.b) && len(ta)*len(tb) > maxCells {
			// As many sentences replaced as replacing: pair them in
			// order rather than give up on the whole run.
			for i := range h.a {
				out = append(out, diffSeq(ca[ai-len(h.a)+i], cb[bi-len(h.b)+i])...)
			}
			continue
		}
		out = append(out, diffSeq(ta, tb)...)
	}
	return out
}

// chunks splits tokens after each sentence end.
func chunks(toks []string) [][]string {
	var out [][]string
	start := 0
	for i, t := range toks {
		switch t {
		case ".", "!", "?", "\n", "。", "！", "？", "؟", "۔":
			out = append(out, toks[start:i+1])
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, toks[start:])
	}
	return out
}

func joinAll(cs [][]string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = strings.Join(c, "")
	}
	return out
}

func flatten(cs [][]string) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c...)
	}
	return out
}

func commonPrefix(a, b []string) int {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	return p
}

func commonSuffix(a, b []string) int {
	s := 0
	for s < len(a) && s < len(b) && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	return s
}

// hunk is a stretch of a sequence diff: equal (a and b hold the same
// items) or a replacement of a by b (either may be empty).
type hunk struct {
	kind string
	a, b []string
}

// maxCells bounds the work on one changed stretch: beyond this many
// token pairs the stretch is reported as replaced wholesale.
const maxCells = 16_000_000

// maxTokens is how many distinct items fit in the rune alphabet once the
// surrogate range is skipped.
const maxTokens = 0x10FFFF - 0x800

// diffSeq diffs two sequences of strings with diffmatchpatch by mapping
// each distinct string to one rune.
func diffSeq(a, b []string) []hunk {
	// Common prefix and suffix first: cheap, and it keeps the bound
	// below about the changed part only.
	p := commonPrefix(a, b)
	s := commonSuffix(a[p:], b[p:])
	var out []hunk
	if p > 0 {
		out = append(out, hunk{OpEqual, a[:p], b[:p]})
	}
	ma, mb := a[p:len(a)-s], b[p:len(b)-s]
	out = append(out, diffMiddle(ma, mb)...)
	if s > 0 {
		out = append(out, hunk{OpEqual, a[len(a)-s:], b[len(b)-s:]})
	}
	return out
}

func diffMiddle(a, b []string) []hunk {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	if len(a) == 0 || len(b) == 0 || len(a)*len(b) > maxCells {
		return []hunk{{OpDelete, a, b}}
	}
	ids := map[string]rune{}
	var items []string
	encode := func(seq []string) ([]rune, bool) {
		rs := make([]rune, len(seq))
		for i, t := range seq {
			r, ok := ids[t]
			if !ok {
				if len(items) >= maxTokens {
					return nil, false
				}
				r = rune(len(items))
				if r >= 0xD800 {
					r += 0x800
				}
				ids[t] = r
				items = append(items, t)
			}
			rs[i] = r
		}
		return rs, true
	}
	ra, ok1 := encode(a)
	rb, ok2 := encode(b)
	if !ok1 || !ok2 {
		return []hunk{{OpDelete, a, b}}
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // no deadline: the same input always gives the same diff
	var out []hunk
	ai, bi := 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := len([]rune(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			out = append(out, hunk{kind: OpEqual, a: a[ai : ai+n], b: b[bi : bi+n]})
			ai += n
			bi += n
		case diffmatchpatch.DiffDelete:
			if len(out) == 0 || out[len(out)-1].kind == OpEqual {
				out = append(out, hunk{kind: OpDelete})
			}
			h := &out[len(out)-1]
			h.a = a[ai-len(h.a) : ai+n]
			ai += n
		case diffmatchpatch.DiffInsert:
			if len(out) == 0 || out[len(out)-1].kind == OpEqual {
				out = append(out, hunk{kind: OpDelete})
			}
			h := &out[len(out)-1]
			h.b = b[bi-len(h.b) : bi+n]
			bi += n
		}
	}
	return out
}
