package pglocal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
)

// standbyArgs are the settings a standby runs with. hot_standby lets it
// answer read-only queries while it replays. hot_standby_feedback tells
// the primary which rows the standby's queries still read, so that vacuum
// on the primary does not remove them and a long read (a slow export) is
// not cancelled by a replay conflict; the price is some bloat on the
// primary while such a read lasts.
var standbyArgs = []string{"-c", "hot_standby=on", "-c", "hot_standby_feedback=on"}

// isStandby reports whether the cluster in pgdata starts as a standby:
// pg_basebackup -R leaves standby.signal beside the copied data.
func isStandby(pgdata string) bool {
	_, err := os.Stat(filepath.Join(pgdata, "standby.signal"))
	return err == nil
}

// baseBackup copies the primary into pgdata and configures it to stream
// from there (pg_basebackup -R writes primary_conninfo and
// standby.signal). It copies into a sibling directory first, so that an
// interrupted copy is never mistaken for a cluster on the next start.
func baseBackup(ctx context.Context, binDir, pgdata string, opts Options, cred *credential, log *slog.Logger) error {
	tool := filepath.Join(binDir, "pg_basebackup")
	if !isExecutable(tool) {
		return fmt.Errorf("%s: %w (pg_basebackup is needed for a standby)", binDir, ErrNoBinaries)
	}
	log.Info("copying the primary for a private standby", "dir", pgdata)
	partial := pgdata + ".partial"
	if err := os.RemoveAll(partial); err != nil {
		return fmt.Errorf("remove an interrupted copy: %w", err)
	}
	// -c fast: checkpoint at once rather than spread over minutes; -X
	// stream: the WAL written during the copy comes with it, so the copy
	// starts consistent.
	args := []string{"-D", partial, "-d", opts.Primary, "-R", "-X", "stream", "-c", "fast"}
	if !opts.Durable {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.SysProcAttr = procAttr(cred)
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(partial)
		return fmt.Errorf("pg_basebackup from the primary: %w: %s", err, lastLines(string(out), 5))
	}
	if err := os.Rename(partial, pgdata); err != nil {
		return fmt.Errorf("standby data directory: %w", err)
	}
	if _, err := os.Stat(filepath.Join(pgdata, "standby.signal")); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("pg_basebackup -R left no standby.signal in %s", pgdata)
	}
	return nil
}
