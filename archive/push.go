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

// ErrAuth is matched (via errors.Is) by every [*AuthError]: the remote
// refused the credentials. Push, FetchState and the fetches of a partial
// clone return it at once, without retrying, since another try with the
// same token gets the same answer.
var ErrAuth = errors.New("archive: remote refused the credentials")

// AuthError is returned (wrapped) when the remote answered HTTP 401 (no or a
// wrong token) or 403 (the token may not do this: read-only, wrong
// repository, or a protected branch). Reason is the server's message on one
// line with credentials removed, "" when it sent none.
type AuthError struct {
	Status int    // 401 or 403
	Reason string // one line, scrubbed
	err    error
}

func (e *AuthError) Error() string {
	what := "authentication required (HTTP 401)"
	if e.Status == 403 {
		what = "permission denied (HTTP 403)"
	}
	if e.Reason == "" {
		return what
	}
	return what + ": " + e.Reason
}

// Is makes errors.Is(err, ErrAuth) true.
func (e *AuthError) Is(target error) bool { return target == ErrAuth }

// Unwrap returns go-git's transport error.
func (e *AuthError) Unwrap() error { return e.err }

// permanent returns the error to stop on for err, or nil when another try
// may succeed: an [*AuthError] for 401 and 403, err itself for a
// repository that does not exist.
func permanent(err error, sc scrubber) error {
	status := 0
	var base error
	switch {
	case errors.Is(err, transport.ErrAuthenticationRequired):
		status, base = 401, transport.ErrAuthenticationRequired
	case errors.Is(err, transport.ErrAuthorizationFailed):
		status, base = 403, transport.ErrAuthorizationFailed
	case errors.Is(err, transport.ErrRepositoryNotFound):
		return err
	default:
		return nil
	}
	reason := err.Error()
	if i := strings.Index(reason, base.Error()); i >= 0 {
		reason = reason[i+len(base.Error()):]
	}
	reason = strings.TrimLeft(reason, ": ")
	return &AuthError{Status: status, Reason: oneLine(sc.clean(reason)), err: err}
}

// oneLine folds runs of white space, newlines included, into one space,
// so a server's multi-line message stays one log line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

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
	// Summarize, when set, rewrites the summary of a replayed version
	// whose article the remote changed meanwhile: prev is the version it
	// now follows, cur its own content, and the result replaces the
	// message body (one line each, as track writes it). nil keeps the
	// body, which then describes the change from the version the run saw.
	Summarize func(prev, cur []byte) []string
}

// PushResult says what Archive.Push did.
type PushResult struct {
	Head     string // the branch tip now on the remote ("" for an empty branch)
	UpToDate bool   // the remote already had Head
	Tries    int    // push attempts made
	Replayed int    // local commits rewritten onto the remote's newer tip
	Dropped  int    // local commits left out: the remote already had their bytes
	// Landed maps each local commit that Push replayed or dropped (by its
	// hash before the push) to what reached the remote. Commits pushed as
	// they were are not in it. nil when nothing was replayed.
	Landed map[string]Landed
}

// Landed is where one local commit ended up after [Archive.Push].
type Landed struct {
	Commit  string // the commit on the remote; "" when dropped
	Path    string // the article file the commit changed
	Version int    // its Stet-Version as landed; when dropped, the remote's version with the same bytes (0 when unknown)
	// Summary is the message body as landed when the replay rewrote it
	// (PushOptions.Summarize), one line each; nil when it kept it.
	Summary []string
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
	sc := scrubber{token: opts.Token}
	remote, auth, err := a.dial(RemoteOptions{Name: opts.Remote, URL: opts.URL, Token: opts.Token, SSHKeyFile: opts.SSHKeyFile})
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
		st, _ := a.readRef(StateRef)
		// The state is parentless by design, so it replaces the remote's
		// (merged into ours below after a rejection).
		handled, upToDate, err := a.sendPack(ctx, remote.Config().URLs[0], auth, tip, st)
		if !handled && err == nil {
			specs := []config.RefSpec{config.RefSpec(a.branch.String() + ":" + a.branch.String())}
			if !st.IsZero() {
				specs = append(specs, config.RefSpec("+"+StateRef+":"+StateRef))
			}
			err = remote.PushContext(ctx, &git.PushOptions{RemoteName: opts.Remote, RefSpecs: specs, Auth: auth})
			upToDate = errors.Is(err, git.NoErrAlreadyUpToDate)
		}
		if err == nil || upToDate {
			res.UpToDate = upToDate
			logger.Debug("pushed", "commit", tip.String()[:12], "try", try, "replayed", res.Replayed)
			return res, nil
		}
		if perr := permanent(err, sc); perr != nil {
			return res, perr
		}
		lastErr = err
		logger.Warn("push rejected", "try", try, "error", oneLine(sc.clean(err.Error())))
		step, err := a.catchUp(ctx, remote, auth, opts.Summarize)
		if err != nil {
			if perr := permanent(err, sc); perr != nil {
				return res, perr
			}
			lastErr = err
			logger.Warn("fetch failed", "try", try, "error", oneLine(sc.clean(err.Error())))
			continue
		}
		for _, l := range step {
			if l.Commit == "" {
				res.Dropped++
			} else {
				res.Replayed++
			}
		}
		res.Landed = mergeLanded(res.Landed, step)
	}
	return res, fmt.Errorf("%w after %d tries: %w", ErrPushRejected, res.Tries, lastErr)
}

// mergeLanded folds step (keyed by the commits a replay started from)
// into acc (keyed by the commits before the first replay).
func mergeLanded(acc, step map[string]Landed) map[string]Landed {
	if len(step) == 0 {
		return acc
	}
	if acc == nil {
		acc = map[string]Landed{}
	}
	for orig, l := range acc {
		if l.Commit == "" {
			continue
		}
		if s, ok := step[l.Commit]; ok {
			acc[orig] = s
			delete(step, l.Commit)
		}
	}
	for h, s := range step {
		acc[h] = s
	}
	return acc
}

// dial returns the go-git remote to talk to and its credentials. It reads
// the remote from the repository's config without git.Open, which refuses
// a partial clone (go-git does not know extensions.partialClone). An
// override URL is kept in memory only, never written to the config.
func (a *Archive) dial(o RemoteOptions) (*git.Remote, transport.AuthMethod, error) {
	if o.Name == "" {
		o.Name = DefaultRemote
	}
	rc := &config.RemoteConfig{Name: o.Name}
	if o.URL != "" {
		rc.URLs = []string{o.URL}
	} else {
		cfg, err := a.st.Config()
		if err != nil {
			return nil, nil, fmt.Errorf("read config: %w", err)
		}
		r, ok := cfg.Remotes[o.Name]
		if !ok {
			return nil, nil, fmt.Errorf("remote %q: %w", o.Name, git.ErrRemoteNotFound)
		}
		rc.URLs = r.URLs
	}
	if len(rc.URLs) == 0 {
		return nil, nil, fmt.Errorf("remote %q has no URL", o.Name)
	}
	auth, err := authFor(rc.URLs[0], PushOptions{Token: o.Token, SSHKeyFile: o.SSHKeyFile})
	if err != nil {
		return nil, nil, err
	}
	return git.NewRemote(a.st, rc), auth, nil
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
// the state. It returns where the replayed commits landed.
//
// The fetch sends no shallow lines, so the server takes every commit we
// have as complete and sends the commits from its tip down to the first
// one we have (the one we were cloned at, in a depth-1 clone), with their
// trees and blobs; that is all a replay reads.
func (a *Archive) catchUp(ctx context.Context, remote *git.Remote, auth transport.AuthMethod, summarize func(prev, cur []byte) []string) (map[string]Landed, error) {
	remoteBranch := plumbing.ReferenceName(remoteRefPrefix + "branch")
	remoteState := plumbing.ReferenceName(remoteRefPrefix + "state")
	err := remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []config.RefSpec{config.RefSpec("+" + a.branch.String() + ":" + remoteBranch.String())},
		Auth:     auth,
		Tags:     git.NoTags,
		Force:    true,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	err = remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []config.RefSpec{config.RefSpec("+" + StateRef + ":" + remoteState.String())},
		Auth:     auth,
		Tags:     git.NoTags,
		Force:    true,
	})
	var noMatch git.NoMatchingRefSpecError
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) && !errors.As(err, &noMatch) {
		return nil, fmt.Errorf("fetch state: %w", err)
	}
	if errors.As(err, &noMatch) {
		remoteState = ""
	}
	a.objs.close() // the lazy reader lists packs once; the fetches may have added some
	theirs, err := a.readRef(remoteBranch)
	if err != nil {
		return nil, err
	}
	landed, err := a.replayOnto(theirs, summarize)
	if err != nil {
		return landed, err
	}
	if remoteState != "" {
		if err := a.mergeState(remoteState); err != nil {
			return landed, err
		}
	}
	return landed, nil
}

// chainCommit is one commit on a first-parent chain and its decoded object.
type chainCommit struct {
	hash plumbing.Hash
	c    *object.Commit
}

// errNoBase is wrapped when the remote branch and ours share no commit in
// the history this clone holds.
var errNoBase = errors.New("the remote branch shares no commit with ours")

// mergeBase walks the first-parent chains of ours and theirs in step
// until one reaches a commit the other has seen. It returns the base (zero
// when both histories reach their roots apart: two archives started
// separately) and the commits after it on each side, oldest first. A chain
// ends early at a shallow boundary (a commit whose parent this clone does
// not have); when that leaves no base, nothing tells which of our commits
// the remote lacks, and mergeBase fails wrapping errNoBase rather than
// replay history that may already be there.
func (a *Archive) mergeBase(ours, theirs plumbing.Hash) (base plumbing.Hash, mine, other []chainCommit, err error) {
	seenO := map[plumbing.Hash]int{} // hash → index in mine (newest first)
	seenT := map[plumbing.Hash]int{}
	cut := false // a chain ended at a shallow boundary
	// step reads commit h of one side; it returns the next hash, or zero
	// when the chain ends there.
	step := func(h, start plumbing.Hash, seen map[plumbing.Hash]int, list *[]chainCommit) (plumbing.Hash, error) {
		c, err := object.GetCommit(a.st, h)
		if errors.Is(err, plumbing.ErrObjectNotFound) && h != start {
			cut = true // beyond a shallow boundary
			return plumbing.ZeroHash, nil
		}
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read commit %s: %w", h, err)
		}
		seen[h] = len(*list)
		*list = append(*list, chainCommit{h, c})
		return firstParent(c), nil
	}
	o, t := ours, theirs
	for base.IsZero() && (!o.IsZero() || !t.IsZero()) {
		if !o.IsZero() {
			if i, ok := seenT[o]; ok {
				base, other = o, other[:i]
				break
			}
			if o, err = step(o, ours, seenO, &mine); err != nil {
				return base, nil, nil, err
			}
		}
		if !t.IsZero() {
			if i, ok := seenO[t]; ok {
				base, mine = t, mine[:i]
				break
			}
			if t, err = step(t, theirs, seenT, &other); err != nil {
				return base, nil, nil, err
			}
		}
	}
	if base.IsZero() && cut {
		return base, nil, nil, fmt.Errorf("%w in the history this clone has (shallow at %d commits on our side, %d on theirs)", errNoBase, len(mine), len(other))
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
// theirs and moves the branch there. It returns where each of our commits
// landed (keyed by its hash before the replay).
//
// Version numbers are set absolutely, not shifted: when the remote added
// versions of an article since the base, our first replayed version of it
// becomes the remote's latest Stet-Version plus one, the next one plus
// two, and so on, so the numbers run on 1..N whatever our run believed
// (a stale checkout whose schedule state already counted the remote's
// versions numbers them right; a run that did not know them is moved up).
// A Stet-Reverts naming one of our own versions follows it. Committer and
// author times are raised to the parent's committer time when older, so
// the history never goes back in time; Stet-Fetched keeps the fetch time.
func (a *Archive) replayOnto(theirs plumbing.Hash, summarize func(prev, cur []byte) []string) (map[string]Landed, error) {
	ours, err := a.readRef(a.branch)
	if err != nil {
		return nil, err
	}
	if theirs.IsZero() || ours == theirs {
		return nil, nil
	}
	base, mine, other, err := a.mergeBase(ours, theirs)
	if err != nil {
		return nil, err
	}
	if base == theirs {
		return nil, nil // the remote is behind us: nothing to replay
	}
	if base == ours {
		// We have nothing unpushed: take their tip.
		if err := a.updateRef(a.branch, ours, theirs); err != nil {
			return nil, err
		}
		return nil, a.noteRemoteChanges(base, theirs)
	}
	// What the remote did to each article since the base: how many
	// commits, and the latest Stet-Version.
	touched := map[string]int{}
	latest := map[string]int{}
	for _, c := range other {
		p, n := articleOf(c.c.Message)
		if p == "" {
			continue
		}
		touched[p]++
		if n > 0 {
			latest[p] = n
		}
	}
	renum := map[string]map[int]int{} // path → our number → landed number
	landed := map[string]Landed{}
	w := a.newObjectWriter()
	tip := theirs
	tipCommit, err := object.GetCommit(a.st, theirs)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", theirs, err)
	}
	tipWhen := tipCommit.Committer.When
	tree := tipCommit.TreeHash
	for _, cc := range mine {
		parentTree, err := a.commitTree(firstParent(cc.c))
		if err != nil {
			return landed, err
		}
		chs, err := a.changes("", parentTree, cc.c.TreeHash)
		if err != nil {
			return landed, err
		}
		newTree := tree
		for _, ch := range chs {
			if newTree, err = a.applyChange(w, newTree, ch); err != nil {
				return landed, err
			}
		}
		p, v := articleOf(cc.c.Message)
		if renum[p] == nil {
			renum[p] = map[int]int{}
		}
		if newTree == tree {
			// The remote already has these bytes: as Save would not have
			// committed them, the version is dropped, and a later revert
			// to it names the remote's version instead.
			n := latest[p]
			if v > 0 && n > 0 {
				renum[p][v] = n
			}
			landed[cc.hash.String()] = Landed{Path: p, Version: n}
			continue
		}
		msg := cc.c.Message
		n := v
		var lines []string
		if p != "" && v > 0 && touched[p] > 0 {
			switch {
			case isRerender(msg):
				n = max(latest[p], 1) // a re-render keeps the number it re-renders
			case latest[p] > 0:
				n = latest[p] + 1
			default:
				n = v + touched[p] // the remote's commits carry no numbers
			}
			renum[p][v] = n
			latest[p] = n
			msg = setVersion(msg, n, renum[p])
			if summarize != nil {
				if prev, ok := a.summaryBase(tree, parentTree, p); ok {
					if cur, err := a.readAt(cc.hash, p); err == nil {
						msg = setSummary(msg, summarize(prev, cur))
						_, body, _ := ParseMessage(msg)
						lines = strings.Split(body, "\n")
					}
				}
			}
		} else if p != "" && v > 0 {
			latest[p] = max(latest[p], v)
		}
		raw, err := encodeReplayed(cc.c, newTree, tip, msg, tipWhen)
		if err != nil {
			return landed, err
		}
		if tip, err = w.write(plumbing.CommitObject, raw); err != nil {
			return landed, err
		}
		if cc.c.Committer.When.After(tipWhen) {
			tipWhen = cc.c.Committer.When
		}
		tree = newTree
		landed[cc.hash.String()] = Landed{Commit: tip.String(), Path: p, Version: n, Summary: lines}
		for _, ch := range chs {
			a.changed[ch.path] = true
		}
	}
	if err := w.flush(); err != nil {
		return landed, err
	}
	if err := a.updateRef(a.branch, ours, tip); err != nil {
		return landed, err
	}
	return landed, a.noteRemoteChanges(base, theirs)
}

// summaryBase returns the article at path in tree (what a replayed version
// now follows) when it differs from the one in oldTree (what the run saw);
// ok is false when they are the same, or it cannot be read.
func (a *Archive) summaryBase(tree, oldTree plumbing.Hash, path string) (prev []byte, ok bool) {
	nh, err := a.entryAt(tree, path)
	if err != nil || nh.IsZero() {
		return nil, false
	}
	if oh, err := a.entryAt(oldTree, path); err == nil && oh == nh {
		return nil, false
	}
	b, err := a.blob(nh)
	if err != nil {
		return nil, false
	}
	return b, true
}

// articleOf returns the article file and Stet-Version of a commit
// message; "" and 0 when it has none.
func articleOf(msg string) (path string, version int) {
	_, _, tr := ParseMessage(msg)
	v := Version{Trailers: tr}
	if u := v.Trailer("Stet-Url"); u != "" {
		path, _ = PathFor(u)
	}
	version, _ = strconv.Atoi(v.Trailer("Stet-Version"))
	return path, version
}

func isRerender(msg string) bool {
	_, _, tr := ParseMessage(msg)
	return Version{Trailers: tr}.Rerender()
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

// setVersion sets Stet-Version to n, and maps a Stet-Reverts number
// through ours (our own numbers → landed numbers); a number not in ours
// names a version already on the remote and stays.
func setVersion(msg string, n int, ours map[int]int) string {
	return versionTrailer.ReplaceAllStringFunc(msg, func(line string) string {
		m := versionTrailer.FindStringSubmatch(line)
		if m[1] == "Stet-Version" {
			return m[1] + ": " + strconv.Itoa(n)
		}
		r, _ := strconv.Atoi(m[2])
		if to, ok := ours[r]; ok {
			r = to
		}
		return m[1] + ": " + strconv.Itoa(r)
	})
}

// setSummary replaces the body of msg with lines, keeping its subject and
// trailers, and a "Reverts to version N" line when it has Stet-Reverts.
func setSummary(msg string, lines []string) string {
	subject, _, trailers := ParseMessage(msg)
	var b strings.Builder
	b.WriteString(subject)
	b.WriteString("\n\n")
	var body []string
	if r := (Version{Trailers: trailers}).Trailer("Stet-Reverts"); r != "" {
		body = append(body, "Reverts to version "+r)
	}
	for _, l := range lines {
		if l = oneLine(l); l != "" {
			body = append(body, l)
		}
	}
	if len(body) == 0 {
		body = append(body, "Formatting changed")
	}
	for _, l := range body {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	for _, t := range trailers {
		b.WriteString(t.Key + ": " + t.Value + "\n")
	}
	return b.String()
}

func trailerOf(msg, key string) string {
	_, _, tr := ParseMessage(msg)
	return Version{Trailers: tr}.Trailer(key)
}

// encodeReplayed re-encodes c with a new tree, parent and message,
// keeping its author and committer (names, emails and zones) and their
// times, raised to notBefore when older. A signature is dropped: it would
// no longer match.
func encodeReplayed(c *object.Commit, tree, parent plumbing.Hash, msg string, notBefore time.Time) ([]byte, error) {
	author, committer := c.Author, c.Committer
	for _, sig := range []*object.Signature{&author, &committer} {
		if sig.When.Before(notBefore) {
			sig.When = notBefore.In(sig.When.Location())
		}
	}
	nc := &object.Commit{
		Author:       author,
		Committer:    committer,
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

// blob returns the content of blob h, fetching it from the promisor
// remote when this is a partial clone that lacks it (see fetchMissing).
func (a *Archive) blob(h plumbing.Hash) ([]byte, error) {
	o, err := a.readObject(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		if ferr := a.fetchMissing(h); ferr != nil {
			return nil, fmt.Errorf("read blob %s: %w", h, ferr)
		}
		o, err = a.st.EncodedObject(plumbing.AnyObject, h)
	}
	if err == nil && o.Type() != plumbing.BlobObject {
		err = fmt.Errorf("%s is a %s", h, o.Type())
	}
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	r, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer r.Close()
	buf := make([]byte, o.Size())
	if _, err := readFull(r, buf); err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	return buf, nil
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

// wrap returns err with a cleaned message on one line (a server's reason
// may span lines, which a log would show as a literal \n).
func (s scrubber) wrap(err error) error {
	return &scrubbedError{msg: oneLine(s.clean(err.Error())), err: err}
}
