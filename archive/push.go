package archive

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
)

// DefaultRemote is the remote pushed to when PushOptions.Remote is empty.
const DefaultRemote = "origin"

// DefaultPushTries is how many pushes Push attempts when
// PushOptions.Tries is zero.
const DefaultPushTries = 5

// DefaultPushBackoff is the base wait between tries when
// PushOptions.Backoff is zero; the n-th retry waits about Backoff·2ⁿ⁻¹,
// jittered by ±50%.
const DefaultPushBackoff = time.Second

// TokenUser is the HTTP Basic user name sent with PushOptions.Token, as
// GitHub expects for installation and job tokens.
const TokenUser = "x-access-token"

// remoteRefPrefix holds the remote's branch and state as last fetched by
// Push; like the rest of refs/stet/ outside StateRef it is never pushed.
const remoteRefPrefix = "refs/stet/remote/"

// ErrPushRejected is wrapped by Push when every try was rejected or failed.
var ErrPushRejected = errors.New("archive: push rejected")

// PushOptions configure Archive.Push. The zero value means: push to
// DefaultRemote as configured in the repository, without credentials (or
// with the SSH agent for SSH URLs), DefaultPushTries tries,
// DefaultPushBackoff, waiting with a timer, logging to the Archive's logger.
type PushOptions struct {
	// Remote names the remote in the repository's config.
	Remote string
	// URL, when set, is used instead of the remote's configured URL.
	URL string
	// Token is sent as HTTP Basic auth with user TokenUser on http(s)
	// remotes. It is never written to disk, logged or put in an error.
	Token string
	// SSHKeyFile is a private key for SSH remotes; "" uses the SSH agent.
	SSHKeyFile string
	// Tries caps the push attempts; 0 means DefaultPushTries.
	Tries int
	// Backoff is the base wait between tries; 0 means DefaultPushBackoff.
	Backoff time.Duration
	// Sleep waits between tries; nil waits on a timer, stopping early when
	// ctx ends. Tests pass a function that does not sleep.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives a line per try; nil means the Archive's logger.
	Logger *slog.Logger
}

// PushResult says what Archive.Push did.
type PushResult struct {
	Head     string // the branch tip now on the remote ("" for an empty branch)
	UpToDate bool   // the remote already had Head
	Tries    int    // push attempts made
	Replayed int    // local commits rewritten onto the remote's newer tip
}

// Push sends the branch and StateRef to the remote. The branch is never
// forced: when the remote has commits we lack (another run pushed first),
// Push fetches them, replays our unpushed commits on top, keeping their
// messages, authors and times, and tries again with jittered backoff, up to
// opts.Tries times. Every commit changes one article file, so a replay
// applies that file's blob to the remote tree; when both sides changed the
// same article both versions are kept, ours after theirs, with Stet-Version
// renumbered (and a Stet-Reverts number shifted when it named one of our
// own renumbered versions). A replayed version identical to the article on
// the remote is dropped, as Save would not have committed it.
//
// StateRef is a parentless commit and is replaced on the remote; when the
// remote's state has files ours lacks, they are merged in first (ours
// wins for a file both have).
//
// Errors never contain opts.Token or URL credentials. They wrap
// ErrPushRejected when every try failed, ErrRefMoved when a local writer
// moved the branch during the replay, or the context's error.
func (a *Archive) Push(ctx context.Context, opts PushOptions) (PushResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	sc := scrubber{token: opts.Token}
	if err := a.usable(true); err != nil {
		return PushResult{}, fmt.Errorf("push: %w", err)
	}
	res, err := a.push(ctx, opts)
	if err != nil {
		return res, sc.wrap(fmt.Errorf("push: %w", err))
	}
	return res, nil
}

func (a *Archive) push(ctx context.Context, opts PushOptions) (PushResult, error) {
	if opts.Remote == "" {
		opts.Remote = DefaultRemote
	}
	if opts.Tries <= 0 {
		opts.Tries = DefaultPushTries
	}
	if opts.Backoff <= 0 {
		opts.Backoff = DefaultPushBackoff
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	logger := opts.Logger
	if logger == nil {
		logger = a.log
	}
	logf := func(warn bool, msg string, args ...any) {
		if warn {
			logger.Warn(msg, args...)
		} else {
			logger.Info(msg, args...)
		}
	}
	repo, err := git.Open(a.st, nil)
	if err != nil {
		return PushResult{}, err
	}
	remote, err := a.remote(repo, opts)
	if err != nil {
		return PushResult{}, err
	}
	endpoint := remote.Config().URLs[0]
	auth, err := authFor(endpoint, opts)
	if err != nil {
		return PushResult{}, err
	}
	var res PushResult
	var lastErr error
	for try := 1; try <= opts.Tries; try++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if try > 1 {
			d := jitter(opts.Backoff << (try - 2))
			if err := opts.Sleep(ctx, d); err != nil {
				return res, err
			}
		}
		res.Tries = try
		tip, err := a.readRef(a.branch)
		if err != nil {
			return res, err
		}
		if tip.IsZero() {
			return res, nil
		}
		res.Head = tip.String()
		specs := []config.RefSpec{config.RefSpec(a.branch.String() + ":" + a.branch.String())}
		if st, _ := a.readRef(StateRef); !st.IsZero() {
			// The state is parentless by design, so it replaces the
			// remote's (merged into ours below after a rejection).
			specs = append(specs, config.RefSpec("+"+StateRef+":"+StateRef))
		}
		err = remote.PushContext(ctx, &git.PushOptions{RemoteName: opts.Remote, RefSpecs: specs, Auth: auth})
		if err == nil || errors.Is(err, git.NoErrAlreadyUpToDate) {
			res.UpToDate = err != nil
			logf(false, "pushed", "commit", tip.String()[:12], "try", try, "replayed", res.Replayed)
			return res, nil
		}
		lastErr = err
		logf(true, "push failed", "try", try, "error", scrubber{token: opts.Token}.clean(err.Error()))
		n, err := a.catchUp(ctx, remote, auth)
		if err != nil {
			lastErr = err
			logf(true, "fetch failed", "try", try, "error", scrubber{token: opts.Token}.clean(err.Error()))
			continue
		}
		res.Replayed += n
	}
	return res, fmt.Errorf("%w after %d tries: %w", ErrPushRejected, res.Tries, lastErr)
}

// remote returns the go-git remote to talk to, in memory only: an
// override URL is never written to the config.
func (a *Archive) remote(repo *git.Repository, opts PushOptions) (*git.Remote, error) {
	if opts.URL != "" {
		return git.NewRemote(a.st, &config.RemoteConfig{Name: opts.Remote, URLs: []string{opts.URL}}), nil
	}
	r, err := repo.Remote(opts.Remote)
	if err != nil {
		return nil, fmt.Errorf("remote %q: %w", opts.Remote, err)
	}
	if len(r.Config().URLs) == 0 {
		return nil, fmt.Errorf("remote %q has no URL", opts.Remote)
	}
	return r, nil
}

// authFor picks the credentials for endpoint: the token for http(s), a
// key file or the agent for SSH, nothing for local paths.
func authFor(endpoint string, opts PushOptions) (transport.AuthMethod, error) {
	ep, err := transport.NewEndpoint(endpoint)
	if err != nil {
		return nil, fmt.Errorf("remote URL: %w", err)
	}
	switch ep.Protocol {
	case "http", "https":
		if opts.Token == "" {
			return nil, nil
		}
		return &githttp.BasicAuth{Username: TokenUser, Password: opts.Token}, nil
	case "ssh":
		user := ep.User
		if user == "" {
			user = "git"
		}
		if opts.SSHKeyFile != "" {
			k, err := gitssh.NewPublicKeysFromFile(user, opts.SSHKeyFile, "")
			if err != nil {
				return nil, fmt.Errorf("ssh key %s: %w", opts.SSHKeyFile, err)
			}
			return k, nil
		}
		return nil, nil // go-git falls back to the SSH agent
	}
	return nil, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// jitter returns d scaled by a random factor in [0.5, 1.5).
func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.5 + rand.Float64()))
}

// catchUp fetches the remote branch and state, and when the remote branch
// has commits ours lacks, replays our unpushed commits onto it and merges
// the state. It returns the number of commits replayed.
func (a *Archive) catchUp(ctx context.Context, remote *git.Remote, auth transport.AuthMethod) (int, error) {
	remoteBranch := plumbing.ReferenceName(remoteRefPrefix + "branch")
	remoteState := plumbing.ReferenceName(remoteRefPrefix + "state")
	err := remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []config.RefSpec{config.RefSpec("+" + a.branch.String() + ":" + remoteBranch.String())},
		Auth:     auth,
		Tags:     git.NoTags,
		Force:    true,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return 0, fmt.Errorf("fetch: %w", err)
	}
	err = remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []config.RefSpec{config.RefSpec("+" + StateRef + ":" + remoteState.String())},
		Auth:     auth,
		Tags:     git.NoTags,
		Force:    true,
	})
	var noMatch git.NoMatchingRefSpecError
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) && !errors.As(err, &noMatch) {
		return 0, fmt.Errorf("fetch state: %w", err)
	}
	if errors.As(err, &noMatch) {
		remoteState = ""
	}
	theirs, err := a.readRef(remoteBranch)
	if err != nil {
		return 0, err
	}
	n, err := a.replayOnto(theirs)
	if err != nil {
		return n, err
	}
	if remoteState != "" {
		if err := a.mergeState(remoteState); err != nil {
			return n, err
		}
	}
	return n, nil
}

// chainCommit is one commit on a first-parent chain and its decoded object.
type chainCommit struct {
	hash plumbing.Hash
	c    *object.Commit
}

// mergeBase walks the first-parent chains of ours and theirs in step
// until one reaches a commit the other has seen. It returns the base (zero
// when the histories share nothing) and the commits after it on each side,
// oldest first.
func (a *Archive) mergeBase(ours, theirs plumbing.Hash) (base plumbing.Hash, mine, other []chainCommit, err error) {
	seenO := map[plumbing.Hash]int{} // hash → index in mine (newest first)
	seenT := map[plumbing.Hash]int{}
	o, t := ours, theirs
	for !o.IsZero() || !t.IsZero() {
		if !o.IsZero() {
			if i, ok := seenT[o]; ok {
				base, other = o, other[:i]
				break
			}
			c, err := object.GetCommit(a.st, o)
			if err != nil {
				return base, nil, nil, fmt.Errorf("read commit %s: %w", o, err)
			}
			seenO[o] = len(mine)
			mine = append(mine, chainCommit{o, c})
			o = firstParent(c)
		}
		if !t.IsZero() {
			if i, ok := seenO[t]; ok {
				base, mine = t, mine[:i]
				break
			}
			c, err := object.GetCommit(a.st, t)
			if errors.Is(err, plumbing.ErrObjectNotFound) && t != theirs {
				t = plumbing.ZeroHash // a shallow boundary
				continue
			}
			if err != nil {
				return base, nil, nil, fmt.Errorf("read commit %s: %w", t, err)
			}
			seenT[t] = len(other)
			other = append(other, chainCommit{t, c})
			t = firstParent(c)
		}
	}
	// Trim a side that walked past the base before the other side found it.
	if !base.IsZero() {
		if i, ok := seenO[base]; ok && i < len(mine) {
			mine = mine[:i]
		}
		if i, ok := seenT[base]; ok && i < len(other) {
			other = other[:i]
		}
	}
	reverse(mine)
	reverse(other)
	return base, mine, other, nil
}

func reverse(cs []chainCommit) {
	for i, j := 0, len(cs)-1; i < j; i, j = i+1, j-1 {
		cs[i], cs[j] = cs[j], cs[i]
	}
}

func firstParent(c *object.Commit) plumbing.Hash {
	if len(c.ParentHashes) == 0 {
		return plumbing.ZeroHash
	}
	return c.ParentHashes[0]
}

// fileChange is one file a commit set to blob (zero: deleted).
type fileChange struct {
	path string
	blob plumbing.Hash
	mode filemode.FileMode
}

// changes lists the files that differ between trees x (old) and y (new),
// descending only into subtrees whose hashes differ.
func (a *Archive) changes(prefix string, x, y plumbing.Hash) ([]fileChange, error) {
	if x == y {
		return nil, nil
	}
	xe, err := a.readTree(x)
	if err != nil {
		return nil, err
	}
	ye, err := a.readTree(y)
	if err != nil {
		return nil, err
	}
	var out []fileChange
	names := map[string]bool{}
	for _, e := range xe {
		names[e.name] = true
	}
	for _, e := range ye {
		names[e.name] = true
	}
	for _, name := range sortedNames(names) {
		xo, xok := findEntry(xe, name)
		yo, yok := findEntry(ye, name)
		switch {
		case xok && yok && xo.hash == yo.hash && xo.mode == yo.mode:
		case (!xok || xo.mode == filemode.Dir) && (!yok || yo.mode == filemode.Dir):
			var xh, yh plumbing.Hash
			if xok {
				xh = xo.hash
			}
			if yok {
				yh = yo.hash
			}
			sub, err := a.changes(prefix+name+"/", xh, yh)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		default:
			if xok && xo.mode == filemode.Dir {
				sub, err := a.changes(prefix+name+"/", xo.hash, plumbing.ZeroHash)
				if err != nil {
					return nil, err
				}
				out = append(out, sub...)
			}
			if yok && yo.mode != filemode.Dir {
				out = append(out, fileChange{prefix + name, yo.hash, yo.mode})
			} else if yok {
				sub, err := a.changes(prefix+name+"/", plumbing.ZeroHash, yo.hash)
				if err != nil {
					return nil, err
				}
				out = append(out, sub...)
			}
			if xok && xo.mode != filemode.Dir && !yok {
				out = append(out, fileChange{prefix + name, plumbing.ZeroHash, 0})
			}
		}
	}
	return out, nil
}

func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// applyChange returns root with the file at ch.path set to ch.blob (or
// removed, pruning directories left empty), writing the new trees.
func (a *Archive) applyChange(w *objectWriter, root plumbing.Hash, ch fileChange) (plumbing.Hash, error) {
	comps := strings.Split(ch.path, "/")
	var rec func(h plumbing.Hash, i int) (plumbing.Hash, error)
	rec = func(h plumbing.Hash, i int) (plumbing.Hash, error) {
		ents, err := a.readTree(h)
		if err != nil {
			return h, err
		}
		name := comps[i]
		e, ok := findEntry(ents, name)
		var child plumbing.Hash
		mode := filemode.Dir
		if i == len(comps)-1 {
			if ok && e.mode == filemode.Dir {
				return h, fmt.Errorf("%w: %q clashes with a directory on the remote", ErrBadPath, ch.path)
			}
			child, mode = ch.blob, ch.mode
		} else {
			var sub plumbing.Hash
			if ok {
				if e.mode != filemode.Dir {
					return h, fmt.Errorf("%w: %q clashes with a file on the remote", ErrBadPath, ch.path)
				}
				sub = e.hash
			}
			if child, err = rec(sub, i+1); err != nil {
				return h, err
			}
		}
		var out []treeEntry
		if child.IsZero() {
			out = make([]treeEntry, 0, len(ents))
			for _, x := range ents {
				if x.name != name {
					out = append(out, x)
				}
			}
		} else {
			out = upsert(ents, treeEntry{name: name, mode: mode, hash: child})
		}
		if len(out) == 0 {
			return plumbing.ZeroHash, nil
		}
		nh, err := w.write(plumbing.TreeObject, encodeTree(out))
		if err == nil {
			a.trees.put(nh, out)
		}
		return nh, err
	}
	nr, err := rec(root, 0)
	if err != nil {
		return root, err
	}
	if nr.IsZero() {
		return w.write(plumbing.TreeObject, nil)
	}
	return nr, nil
}

// replayOnto rewrites our commits after the merge base with theirs onto
// theirs and moves the branch there. It returns how many were replayed.
func (a *Archive) replayOnto(theirs plumbing.Hash) (int, error) {
	ours, err := a.readRef(a.branch)
	if err != nil {
		return 0, err
	}
	if theirs.IsZero() || ours == theirs {
		return 0, nil
	}
	base, mine, other, err := a.mergeBase(ours, theirs)
	if err != nil {
		return 0, err
	}
	if base == theirs {
		return 0, nil // the remote is behind us: nothing to replay
	}
	if base == ours {
		// We have nothing unpushed: take their tip.
		if err := a.updateRef(a.branch, ours, theirs); err != nil {
			return 0, err
		}
		return 0, a.noteRemoteChanges(base, theirs)
	}
	// How many versions of each article the remote added since the base.
	added := map[string]int{}
	for _, c := range other {
		if u := trailerOf(c.c.Message, "Stet-Url"); u != "" {
			if p, err := PathFor(u); err == nil {
				added[p]++
			}
		}
	}
	// Our first version number per article after the base, to tell which
	// Stet-Reverts numbers point at our own (renumbered) versions.
	firstOurs := map[string]int{}
	w := a.newObjectWriter()
	tip := theirs
	tree, err := a.commitTree(theirs)
	if err != nil {
		return 0, err
	}
	replayed := 0
	for _, cc := range mine {
		parentTree, err := a.commitTree(firstParent(cc.c))
		if err != nil {
			return replayed, err
		}
		chs, err := a.changes("", parentTree, cc.c.TreeHash)
		if err != nil {
			return replayed, err
		}
		newTree := tree
		for _, ch := range chs {
			if newTree, err = a.applyChange(w, newTree, ch); err != nil {
				return replayed, err
			}
		}
		if newTree == tree {
			continue // the remote already has these bytes
		}
		msg := cc.c.Message
		if u := trailerOf(msg, "Stet-Url"); u != "" {
			if p, err := PathFor(u); err == nil && added[p] > 0 {
				msg = renumber(msg, added[p], firstOurs, p)
			}
		}
		raw, err := encodeReplayed(cc.c, newTree, tip, msg)
		if err != nil {
			return replayed, err
		}
		if tip, err = w.write(plumbing.CommitObject, raw); err != nil {
			return replayed, err
		}
		tree = newTree
		replayed++
		for _, ch := range chs {
			a.changed[ch.path] = true
		}
	}
	if err := w.flush(); err != nil {
		return replayed, err
	}
	if err := a.updateRef(a.branch, ours, tip); err != nil {
		return replayed, err
	}
	return replayed, a.noteRemoteChanges(base, theirs)
}

// noteRemoteChanges marks the files the remote changed since base, so
// SyncWorktree rewrites them.
func (a *Archive) noteRemoteChanges(base, theirs plumbing.Hash) error {
	bt, err := a.commitTree(base)
	if err != nil {
		return err
	}
	tt, err := a.commitTree(theirs)
	if err != nil {
		return err
	}
	chs, err := a.changes("", bt, tt)
	if err != nil {
		return err
	}
	for _, ch := range chs {
		a.changed[ch.path] = true
	}
	return nil
}

var versionTrailer = regexp.MustCompile(`(?m)^(Stet-Version|Stet-Reverts): *([0-9]+) *$`)

// renumber shifts Stet-Version by shift, and Stet-Reverts by shift when it
// names one of our own unpushed versions of the article (firstOurs[path]
// or later).
func renumber(msg string, shift int, firstOurs map[string]int, path string) string {
	version := 0
	if m := versionTrailer.FindAllStringSubmatch(msg, -1); m != nil {
		for _, x := range m {
			if x[1] == "Stet-Version" {
				version, _ = strconv.Atoi(x[2])
			}
		}
	}
	if version > 0 {
		if f, ok := firstOurs[path]; !ok || version < f {
			firstOurs[path] = version
		}
	}
	first := firstOurs[path]
	return versionTrailer.ReplaceAllStringFunc(msg, func(line string) string {
		m := versionTrailer.FindStringSubmatch(line)
		n, _ := strconv.Atoi(m[2])
		if m[1] == "Stet-Version" || (first > 0 && n >= first) {
			n += shift
		}
		return m[1] + ": " + strconv.Itoa(n)
	})
}

func trailerOf(msg, key string) string {
	_, _, tr := ParseMessage(msg)
	return Version{Trailers: tr}.Trailer(key)
}

// encodeReplayed re-encodes c with a new tree, parent and message,
// keeping its author and committer (names, emails, times and zones). A
// signature is dropped: it would no longer match.
func encodeReplayed(c *object.Commit, tree, parent plumbing.Hash, msg string) ([]byte, error) {
	nc := &object.Commit{
		Author:       c.Author,
		Committer:    c.Committer,
		Message:      msg,
		TreeHash:     tree,
		ParentHashes: []plumbing.Hash{parent},
		Encoding:     c.Encoding,
	}
	obj := &plumbing.MemoryObject{}
	if err := nc.EncodeWithoutSignature(obj); err != nil {
		return nil, err
	}
	r, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// mergeState adds to our state the files only the remote's state has.
func (a *Archive) mergeState(remote plumbing.ReferenceName) error {
	theirs, err := a.readRef(remote)
	if err != nil || theirs.IsZero() {
		return err
	}
	ours, err := a.readRef(StateRef)
	if err != nil || ours == theirs {
		return err
	}
	files := map[string]plumbing.Hash{}
	if !ours.IsZero() {
		if err := a.walkFiles(ours, func(p string, h plumbing.Hash) error { files[p] = h; return nil }); err != nil {
			return err
		}
	}
	missing := map[string]plumbing.Hash{}
	if err := a.walkFiles(theirs, func(p string, h plumbing.Hash) error {
		if _, ok := files[p]; !ok {
			missing[p] = h
		}
		return nil
	}); err != nil {
		return err
	}
	if len(missing) == 0 {
		return nil
	}
	all := map[string][]byte{}
	for p, h := range files {
		b, err := a.blob(h)
		if err != nil {
			return err
		}
		all[p] = b
	}
	for p, h := range missing {
		b, err := a.blob(h)
		if err != nil {
			return err
		}
		all[p] = b
	}
	when := time.Now()
	if !ours.IsZero() {
		if c, err := object.GetCommit(a.st, ours); err == nil {
			when = c.Committer.When
		}
	}
	return a.writeState(all, when)
}

func (a *Archive) blob(h plumbing.Hash) ([]byte, error) {
	b, err := object.GetBlob(a.st, h)
	if err != nil {
		return nil, err
	}
	r, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// scrubber removes a token and URL credentials from text.
type scrubber struct{ token string }

var userinfo = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@`)

func (s scrubber) clean(text string) string {
	if s.token != "" {
		// The token as sent (in a Basic header a server may echo back),
		// URL-escaped, and plain.
		for _, form := range []string{
			base64.StdEncoding.EncodeToString([]byte(TokenUser + ":" + s.token)),
			url.QueryEscape(s.token),
			s.token,
		} {
			text = strings.ReplaceAll(text, form, "***")
		}
	}
	return userinfo.ReplaceAllString(text, "${1}***@")
}

// scrubbedError carries a cleaned message; errors.Is and errors.As still
// see the cause, whose own text may not be clean, so callers print this
// error, not its chain.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

func (s scrubber) wrap(err error) error {
	return &scrubbedError{msg: s.clean(err.Error()), err: err}
}
