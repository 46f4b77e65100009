// Command cadrestats serves the dashboard of cadre-personnel statistics and
// manages its database. Run with no arguments, it serves with a private
// PostgreSQL, migrated and seeded: no configuration needed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `cadrestats: statistics of cadre-personnel work reported by Vietnamese local newspapers.

Usage:
  cadrestats [serve]                 serve the dashboard (the default)
  cadrestats migrate up|down|status  apply, roll back one, or list migrations
  cadrestats seed                    insert the seed data that is missing
  cadrestats export [filters]        write the figures as CSV to standard output
  cadrestats extract [flags] FILE…   propose the figures of articles (files, folders
                                     or - for standard input), as CSV or saved
  cadrestats synth [-size 100k|1m|10m] [-seed N] [-allow-real]
                                     fill a database that is not the real one with
                                     invented data, to measure at national scale
  cadrestats bench [-size 1m]        build a synthetic database with a private
                                     PostgreSQL and print each measured figure
                                     beside its limit (see README, Performance)
  cadrestats user add NAME -role editor|admin
                                     add an account (password from the terminal or stdin)

Run "cadrestats COMMAND -h" for a command's options.

Environment:
  DATABASE_URL            PostgreSQL to use; without it a private server is
                          started from the local PostgreSQL binaries
  CADRESTATS_DATA_DIR     where the private server keeps its data (.data)
  CADRESTATS_ADDR         address to serve on (127.0.0.1:8080)
  CADRESTATS_LOG_FORMAT   text or json (text)
  CADRESTATS_ADMIN_PASSWORD  creates or updates the "admin" account at start
  DATABASE_REPLICA_URL    a hot standby of DATABASE_URL to serve public reads
  CADRESTATS_REPLICA_MAX_LAG  how far behind it may be and still serve (5s)
  CADRESTATS_DB_MAX_CONNS    database connections (12)
  CADRESTATS_DB_STATEMENT_TIMEOUT  longest query of a public page (5s)
  CADRESTATS_EXPORTS         exports streaming at once (2)
  CADRESTATS_EXPORT_TIMEOUT  longest export, slow client included (10m)
  CADRESTATS_SHUTDOWN_TIMEOUT  grace for requests in flight at shutdown (10s)
  CADRESTATS_TRUSTED_PROXIES CIDRs of reverse proxies whose X-Forwarded-* is believed
  CADRESTATS_PUBLIC_URL      the address users reach; https makes cookies Secure, sends HSTS
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "cadrestats:", err)
		}
		os.Exit(exitCode(err))
	}
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

// run is main without the process: tests call it with their own
// arguments, environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, usage)
		return nil
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout, stderr)
	case "seed":
		return seedCmd(ctx, args, getenv, stdout, stderr)
	case "export":
		return exportCmd(ctx, args, getenv, stdout, stderr)
	case "user":
		return userCmd(ctx, args, getenv, stdin, stdout, stderr)
	case "extract":
		return extractCmd(ctx, args, getenv, stdin, stdout, stderr)
	case "synth":
		return synthCmd(ctx, args, getenv, stdout, stderr)
	case "bench":
		return benchCmd(ctx, args, getenv, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q (want serve, migrate, seed, export, extract, user, synth or bench; see cadrestats -h)", cmd)}
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// newFlags makes a flag set whose -h prints the command's help and whose
// mistakes are returned rather than exiting.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: cadrestats %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses and turns flag mistakes into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}
