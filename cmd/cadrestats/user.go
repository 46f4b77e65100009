package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// userCmd adds an account: `cadrestats user add NAME -role editor|admin`.
// The password is read from the terminal without echo, or from the first
// line of standard input when it is not a terminal (for scripts).
func userCmd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user", "user add NAME [-role editor|admin]  (password read from the terminal or stdin)", stderr)
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fs.Usage()
			return flag.ErrHelp
		}
		fs.Usage()
		return usageError{"user needs: add NAME"}
	}
	args = args[1:]
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" {
		fs.Usage()
		return usageError{"user add needs a user name"}
	}
	name := ""
	if !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	role := fs.String("role", "editor", "editor (figures, sources, findings, localities, terms) or admin (also users)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if !stats.Role(*role).Valid() {
		return usageError{fmt.Sprintf("-role %q: want editor or admin", *role)}
	}
	if !stats.UsernamePattern.MatchString(stats.NormalizeUsername(name)) {
		return usageError{fmt.Sprintf("user name %q: use 2–40 lower-case letters, digits, '.', '-' or '_'", name)}
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrateUp(ctx, db.pool); err != nil {
		return err
	}
	_, err = stats.NewAccounts(postgres.New(db.pool)).Create(ctx, nil, name, stats.Role(*role), password)
	var v *stats.ValidationError
	switch {
	case errors.As(err, &v):
		return usageError{fmt.Sprintf("cannot add %s: %s", name, describe(v))}
	case errors.Is(err, stats.ErrConflict):
		return usageError{fmt.Sprintf("user %s exists already", name)}
	case err != nil:
		return err
	}
	fmt.Fprintf(stdout, "added %s (%s)\n", stats.NormalizeUsername(name), *role)
	return nil
}

func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password (at least 10 characters): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	if stdin == nil {
		return "", usageError{"no password: type it at the terminal or pipe it on standard input"}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func describe(v *stats.ValidationError) string {
	msgs := map[string]string{
		"error.username.invalid": "the user name may have 2–40 lower-case letters, digits, '.', '-' or '_'",
		"error.password.weak":    "the password must have 10 to 200 characters",
		"error.role.unknown":     "the role must be editor or admin",
	}
	var parts []string
	for _, f := range v.Fields {
		m, ok := msgs[f.Key]
		if !ok {
			m = f.Field + ": " + f.Key
		}
		parts = append(parts, m)
	}
	return strings.Join(parts, "; ")
}
