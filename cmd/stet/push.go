package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/stet-archive/stet/archive"
	"github.com/stet-archive/stet/diff"
)

// defaultTokenEnvs are read, in order, when --token-env is not given.
var defaultTokenEnvs = []string{"GITHUB_TOKEN", "STET_TOKEN"}

// pushOptions are the settings of `stet push` and of `stet run --push`.
type pushOptions struct {
	remote   string  // "" means origin
	tokenEnv string  // "" means GITHUB_TOKEN, then STET_TOKEN
	sshKey   string  // "" means the SSH agent
	tries    int     // 0 means archive.DefaultPushTries
	token    *string // the token already read (stet run), so it is read and warned about once
}

func (o *pushOptions) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.remote, "remote", archive.DefaultRemote, "the `remote` to push to")
	cmd.Flags().StringVar(&o.tokenEnv, "token-env", "", "environment `variable` holding the token for HTTPS remotes (default GITHUB_TOKEN, then STET_TOKEN)")
	cmd.Flags().StringVar(&o.sshKey, "ssh-key", "", "private key `file` for SSH remotes (default: the SSH agent)")
	cmd.Flags().IntVar(&o.tries, "push-tries", 0, "push attempts before giving up (default 5)")
}

// pushResult is what a push did, for the report and the Action outputs.
type pushResult struct {
	Head     string // the branch tip now on the remote
	UpToDate bool   // the remote already had it
	Tries    int    // push attempts
	Replayed int    // local commits replayed onto a newer remote tip
	Dropped  int    // local commits left out: the remote already had their bytes
	Landed   map[string]archive.Landed
}

func newPushCmd(a *app) *cobra.Command {
	var repo string
	var opts pushOptions
	cmd := &cobra.Command{
		Use:   "push [flags]",
		Short: "Push the archive branch and schedule state, replaying over concurrent pushes",
		Long: `Push the archive branch and refs/stet/state to a remote with go-git.

The branch is never forced. When another run pushed first, stet fetches the
remote tip, replays its own unpushed commits on top of it (keeping their
messages and authors, renumbering Stet-Version on from the remote's and
re-summarising a version whose article the remote changed meanwhile,
dropping one the remote already has) and tries again, up to 5 times with
jittered backoff. This works from a depth-1 or --filter=blob:none
checkout: the fetch brings only the commits the remote gained. A refused
token (HTTP 401 or 403) is not retried.

HTTPS remotes get the token from the environment variable named by
--token-env (default GITHUB_TOKEN, then STET_TOKEN) as HTTP Basic auth with
the user x-access-token; credentials that actions/checkout left in git
config are not used. SSH remotes use --ssh-key or the SSH agent. The token
never appears in output, logs, commits or .git/config.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := pushArchive(cmd.Context(), a, repo, opts)
			if err != nil {
				return err
			}
			switch {
			case res.Head == "":
				fmt.Fprintln(a.env.Stdout, "nothing to push: the branch has no commits")
			case res.UpToDate:
				fmt.Fprintf(a.env.Stdout, "up to date at %s\n", res.Head[:12])
			case res.Dropped > 0:
				fmt.Fprintf(a.env.Stdout, "pushed %s (%d tries, %d commits replayed, %d dropped as already on the remote)\n", res.Head[:12], res.Tries, res.Replayed, res.Dropped)
			default:
				fmt.Fprintf(a.env.Stdout, "pushed %s (%d tries, %d commits replayed)\n", res.Head[:12], res.Tries, res.Replayed)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&repo, "repo", ".", "archive repository `dir`")
	opts.register(cmd)
	return cmd
}

// pushArchive opens the archive in repo for writing and pushes it. Use
// pushOpen when the archive is already open (stet run --push).
func pushArchive(ctx context.Context, a *app, repo string, opts pushOptions) (pushResult, error) {
	arch, err := openExisting(a, repo) // pushing never creates an archive
	if err != nil {
		return pushResult{}, err
	}
	defer arch.Close()
	return pushOpen(ctx, a, arch, opts)
}

// pushOpen pushes an open archive and then brings its work tree in line
// with the (possibly replayed) branch tip.
func pushOpen(ctx context.Context, a *app, arch *archive.Archive, opts pushOptions) (pushResult, error) {
	var token string
	if opts.token != nil {
		token = *opts.token
	} else {
		token = pushToken(a, opts)
	}
	res, err := arch.Push(ctx, archive.PushOptions{
		Remote:     opts.remote,
		Token:      token,
		SSHKeyFile: opts.sshKey,
		Tries:      opts.tries,
		Logger:     a.logger,
		// A version replayed after the other run's describes the change
		// from theirs, as track would have written it.
		Summarize: func(prev, cur []byte) []string {
			if lines := diff.Summarize(prev, cur).Lines(); len(lines) > 0 {
				return lines
			}
			return []string{"Formatting changed"} // as track words an edit without a counted change
		},
	})
	out := pushResult{Head: res.Head, UpToDate: res.UpToDate, Tries: res.Tries, Replayed: res.Replayed, Dropped: res.Dropped, Landed: res.Landed}
	if err != nil {
		return out, exitError{code: exitPush, err: err} // archive.Push scrubs the token from its errors
	}
	if res.Replayed > 0 || !res.UpToDate {
		if err := arch.SyncWorktree(); err != nil {
			return out, exitError{code: exitRunError, err: fmt.Errorf("pushed, but updating the work tree: %w", err)}
		}
	}
	return out, nil
}

// fetchRemote is where an archive opened for a run fetches what a shallow
// or partial checkout lacks (the schedule state, an old version's blob):
// the push remote when --remote was given, else the clone's promisor
// remote or origin, with the push token.
func fetchRemote(a *app, opts pushOptions) archive.RemoteOptions {
	ro := archive.RemoteOptions{SSHKeyFile: opts.sshKey}
	if opts.remote != archive.DefaultRemote {
		ro.Name = opts.remote
	}
	if opts.tokenEnv != "" {
		ro.Token = a.env.getenv(opts.tokenEnv)
	} else {
		for _, name := range defaultTokenEnvs {
			if ro.Token = a.env.getenv(name); ro.Token != "" {
				break
			}
		}
	}
	return ro
}

// pushToken reads the token from --token-env, or from the first of
// defaultTokenEnvs that is set.
func pushToken(a *app, opts pushOptions) string {
	if opts.tokenEnv != "" {
		t := a.env.getenv(opts.tokenEnv)
		if t == "" {
			a.logger.Warn("token variable is empty", "name", opts.tokenEnv)
		}
		return t
	}
	for _, name := range defaultTokenEnvs {
		if t := a.env.getenv(name); t != "" {
			return t
		}
	}
	return ""
}
