// Package archive is stet's git store: one markdown file per article, one
// commit per changed version, written with go-git at the object level.
//
// [Open] opens (or creates, with branch "main") a bare or non-bare
// repository and takes the single-writer lock. [Archive.Save] commits a
// [Change] only when its bytes differ from the file at the branch tip.
// [Archive.History], [Archive.Recent], [Archive.Current], [Archive.Read] and
// [Archive.Paths] read it back; [Archive.ReadState] and [Archive.WriteState]
// keep the schedule state on refs/stet/state, outside the article history.
// [PathFor] maps a canonical URL to the article's file path.
//
// # Invariants
//
//   - Every commit on the branch changes exactly one article file, whose path
//     is PathFor(Stet-Url trailer); the branch moves only forward, by
//     compare-and-swap on "<ref>.lock", after every object it points to has
//     been fsynced and renamed into place. A crash at any point leaves the
//     branch at the last complete commit, and the repository passes
//     `git fsck --strict`.
//   - A Save whose bytes equal the blob at the tip writes nothing.
//   - Commit cost does not depend on the number of files in the archive: only
//     the trees along the saved path are read and rewritten; every other
//     subtree is reused by hash. The object cache is a small LRU (2 MiB of objects plus 16k decoded tree entries).
//   - PathFor is pure and never returns a path that is absolute, unclean,
//     contains "..", reaches ".git", or collides with another path on a
//     case-insensitive or normalising file system.
//   - At most one writable Archive is open per repository (flock on
//     <gitdir>/stet/lock, dropped by the kernel when the process dies).
//     Archive methods are safe for concurrent use; a mutex serialises them.
//   - Everything under <gitdir>/stet/ (lock, history index) is a local cache
//     that can be deleted at any time and is never pushed.
//   - The package never runs the git binary.
package archive
