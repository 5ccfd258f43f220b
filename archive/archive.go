package archive

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// DefaultBranch is the branch used when [Options.Branch] is empty.
const DefaultBranch = "main"

// DefaultLockWait is how long [Open] waits for another writer when
// [Options.LockWait] is zero.
const DefaultLockWait = 5 * time.Second

// cacheSize bounds go-git's object cache (its default is 96 MiB).
const cacheSize = 2 * cache.MiByte

// StateRef is the ref holding the schedule state written by [Archive.WriteState].
const StateRef = "refs/stet/state"

var (
	// ErrNoRepository is wrapped by [Open] with ReadOnly when dir holds no repository.
	ErrNoRepository = errors.New("archive: no repository")
	// ErrLocked is matched (via errors.Is) by every [*LockedError].
	ErrLocked = errors.New("archive: locked by another writer")
	// ErrReadOnly is returned by methods that write when the archive was opened ReadOnly.
	ErrReadOnly = errors.New("archive: opened read-only")
	// ErrClosed is returned by methods called after [Archive.Close].
	ErrClosed = errors.New("archive: closed")
	// ErrRefMoved is wrapped when a ref no longer holds the value read before
	// the update (another writer moved it); nothing was changed.
	ErrRefMoved = errors.New("archive: ref moved during update")
	// ErrRefLocked is wrapped when "<ref>.lock" exists: another git process is
	// updating the ref, or one crashed. Remove the stale file if no git
	// process is running.
	ErrRefLocked = errors.New("archive: ref lock file exists")
	// ErrBadPath is wrapped by [Archive.Save] for a path that is not a clean,
	// relative archive path (see [PathFor]), or that clashes with a directory.
	ErrBadPath = errors.New("archive: bad path")
)

// Signature names the author and committer of a commit. The zero value means
// stet <stet@localhost>.
type Signature struct{ Name, Email string }

func (s Signature) orDefault() Signature {
	if s.Name == "" && s.Email == "" {
		return Signature{Name: "stet", Email: "stet@localhost"}
	}
	return s
}

// Options configure [Open]. The zero value means: branch [DefaultBranch],
// writable, wait [DefaultLockWait] for the lock, no logging.
type Options struct {
	Branch   string        // "" means DefaultBranch
	ReadOnly bool          // open an existing repository without locking and without creating it
	LockWait time.Duration // how long Open waits for another writer; 0 means DefaultLockWait; <0 means fail at once
	Logger   *slog.Logger  // nil discards
	// Remote is where a partial clone fetches the blobs it lacks and
	// where FetchState looks; see [RemoteOptions] for the zero value.
	Remote RemoteOptions
}

// LockedError is returned by [Open] when another writer holds the lock for
// longer than [Options.LockWait]. PID and Since come from the lock file and
// are zero when it could not be read.
type LockedError struct {
	PID   int
	Since time.Time
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("archive is locked by PID %d since %s", e.PID, e.Since.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// Archive is an open archive repository. Its methods are safe for concurrent
// use: a mutex serialises them, so two goroutines calling Save on one Archive
// make two commits one after the other. Only one writable Archive per
// repository can be open at a time, across processes (see [Open]).
type Archive struct {
	mu       sync.Mutex
	dir      string // the directory passed to Open
	gitDir   string // dir/.git, or dir for a bare repository
	bare     bool
	branch   plumbing.ReferenceName
	st       *filesystem.Storage
	log      *slog.Logger
	readOnly bool
	lock     *os.File // nil when read-only or closed
	closed   bool
	changed  map[string]bool // paths saved by this value, for SyncWorktree
	idx      *historyIndex   // nil until first needed
	noSync   bool            // benchmarks only: skip fsync when building fixtures
	zw       *zlib.Writer    // reused for every object (guarded by mu)
	zbuf     bytes.Buffer    // zw's output for the object being written (guarded by mu)
	trees    treeCache       // decoded trees (guarded by mu)
	baseTip  plumbing.Hash   // tip when opened or last synced; see syncWorktree
	objs     objectReader    // lazy pack reads for one-shot readers (guarded by mu)

	remoteOpts RemoteOptions // for fetches a shallow or partial clone needs
	promised   *string       // the promisor remote, once read; see promisor
}

// Open opens the repository in dir, bare or non-bare. Unless opts.ReadOnly is
// set, it creates dir and initialises a non-bare repository whose HEAD names
// the branch opts.Branch when there is none, then takes the writer lock
// (a flock on "stet/lock" in the git directory, released by Close or when the
// process dies). It waits up to opts.LockWait for the lock and then returns a
// [*LockedError]. With ReadOnly, a missing repository gives an error wrapping
// [ErrNoRepository], and no lock is taken.
func Open(dir string, opts Options) (*Archive, error) {
	branch := opts.Branch
	if branch == "" {
		branch = DefaultBranch
	}
	ref := plumbing.NewBranchReferenceName(branch)
	if err := ref.Validate(); err != nil {
		return nil, fmt.Errorf("open archive %s: branch %q: %w", dir, branch, err)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	gitDir, bare, err := findGitDir(dir)
	if errors.Is(err, ErrNoRepository) && !opts.ReadOnly {
		_, err = git.PlainInitWithOptions(dir, &git.PlainInitOptions{
			InitOptions: git.InitOptions{DefaultBranch: ref},
		})
		if err != nil {
			return nil, fmt.Errorf("open archive %s: init: %w", dir, err)
		}
		logger.Info("created repository", "path", dir, "branch", branch)
		gitDir, bare, err = findGitDir(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", dir, err)
	}
	a := &Archive{
		dir:      dir,
		gitDir:   gitDir,
		bare:     bare,
		branch:   ref,
		log:      logger,
		readOnly: opts.ReadOnly,
		changed:  map[string]bool{},

		remoteOpts: opts.Remote,
	}
	if !opts.ReadOnly {
		wait := opts.LockWait
		if wait == 0 {
			wait = DefaultLockWait
		}
		f, err := takeLock(filepath.Join(gitDir, "stet"), wait)
		if err != nil {
			return nil, fmt.Errorf("open archive %s: %w", dir, err)
		}
		a.lock = f
		a.clearStaleLocks()
		os.RemoveAll(a.worktreeTmp())      // files a killed writer left; see writeWorktreeFile
		a.baseTip, _ = a.readRef(a.branch) // an error shows again on first use
	}
	a.st = filesystem.NewStorageWithOptions(osfs.New(gitDir), cache.NewObjectLRU(cacheSize), filesystem.Options{})
	return a, nil
}

// staleLockAge is how old a "<ref>.lock" or "index.lock" must be before
// [Open] treats it as left by a dead writer. git holds these files for
// milliseconds (its core.filesRefLockTimeout default is 100ms).
const staleLockAge = time.Second

// clearStaleLocks removes the lock files of the branch, the state ref and
// the index that a writer killed between creating and renaming them left
// behind; without this one SIGKILL would make every later Save fail with
// [ErrRefLocked]. Stet creates them only while it holds the writer lock,
// which its caller now holds, so a stet-made one is stale; a lock younger
// than staleLockAge may belong to a running git and is given that long to go.
// (Found by cmd/stet TestCrashSafety.)
func (a *Archive) clearStaleLocks() {
	names := []string{
		filepath.Join(a.gitDir, filepath.FromSlash(a.branch.String())),
		filepath.Join(a.gitDir, filepath.FromSlash(StateRef)),
		filepath.Join(a.gitDir, "index"),
	}
	for _, n := range names {
		lock := n + ".lock"
		fi, err := os.Stat(lock)
		if err != nil {
			continue
		}
		if age := time.Since(fi.ModTime()); age < staleLockAge {
			time.Sleep(staleLockAge - age)
		}
		if fi2, err := os.Stat(lock); err != nil || !fi2.ModTime().Equal(fi.ModTime()) {
			continue // a running git finished, or took it again
		}
		if err := os.Remove(lock); err == nil {
			a.log.Warn("removed stale lock file", "path", lock)
		}
	}
}

// findGitDir locates the git directory of dir: dir/.git (a directory, or a
// "gitdir:" file), or dir itself when it is a bare repository.
func findGitDir(dir string) (gitDir string, bare bool, err error) {
	dotGit := filepath.Join(dir, ".git")
	if fi, err := os.Stat(dotGit); err == nil {
		if fi.IsDir() {
			return dotGit, false, nil
		}
		b, err := os.ReadFile(dotGit)
		if err != nil {
			return "", false, err
		}
		line := strings.TrimSpace(string(b))
		target, ok := strings.CutPrefix(line, "gitdir: ")
		if !ok {
			return "", false, fmt.Errorf("%w: %s is not a gitdir file", ErrNoRepository, dotGit)
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, target)
		}
		return target, false, nil
	}
	if isGitDir(dir) {
		return dir, true, nil
	}
	return "", false, fmt.Errorf("%w in %s", ErrNoRepository, dir)
}

func isGitDir(dir string) bool {
	for _, name := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return false
		}
	}
	return true
}

// takeLock takes an exclusive flock on dir/lock, polling until wait has
// passed (wait < 0: one try), and records "PID time" in it.
func takeLock(dir string, wait time.Duration) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	name := filepath.Join(dir, "lock")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", name, err)
		}
		if wait < 0 || time.Now().After(deadline) {
			le := readLockHolder(name)
			f.Close()
			return nil, le
		}
		time.Sleep(50 * time.Millisecond)
	}
	stamp := fmt.Sprintf("%d %s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(stamp), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	return f, nil
}

func readLockHolder(name string) *LockedError {
	le := &LockedError{}
	f, err := os.Open(name)
	if err != nil {
		return le
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 256))
	fields := strings.Fields(string(b))
	if len(fields) >= 1 {
		le.PID, _ = strconv.Atoi(fields[0])
	}
	if len(fields) >= 2 {
		le.Since, _ = time.Parse(time.RFC3339, fields[1])
	}
	return le
}

// Close releases the writer lock and the repository's file handles. It is
// safe to call twice; the second call does nothing. Using the Archive after
// Close gives [ErrClosed].
func (a *Archive) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil
	}
	a.closed = true
	var errs []error
	errs = append(errs, a.saveIndex())
	a.objs.close()
	if a.st != nil {
		errs = append(errs, a.st.Close())
	}
	if a.lock != nil {
		errs = append(errs, a.lock.Close()) // closing the descriptor drops the flock
		a.lock = nil
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close archive %s: %w", a.dir, err)
	}
	return nil
}

func (a *Archive) usable(write bool) error {
	if a.closed {
		return ErrClosed
	}
	if write && a.readOnly {
		return ErrReadOnly
	}
	return nil
}
