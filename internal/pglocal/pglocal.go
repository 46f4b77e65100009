// Package pglocal runs a private PostgreSQL server from the binaries
// installed on the machine, reachable only through a Unix socket in its own
// directory. It serves zero-configuration runs and the test harness.
package pglocal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNoBinaries means no PostgreSQL server binaries were found.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries found (initdb, postgres): " +
	"install them (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql), " +
	"or set DATABASE_URL to an existing server, or run `docker compose up`")

// Options configure a server.
type Options struct {
	// Dir holds the cluster (Dir/pgdata), the socket and the server log.
	// It is created if missing and kept, so data survives restarts.
	Dir string
	// BinDir overrides the search for initdb and postgres.
	BinDir string
	// FallbackDir holds the data instead when the server, running as the
	// postgres user, cannot reach Dir (default /var/lib/cadrestats).
	FallbackDir string
	// Durable false turns off fsync and friends: for tests, never for data
	// that must survive a power cut.
	Durable bool
	// Primary, when set, makes the server a hot standby of the server at
	// this connection string (a private primary lets its local users
	// replicate): the first start copies the primary with pg_basebackup
	// -R, later starts resume streaming from it. See standby.go.
	Primary string
	Logger  *slog.Logger
}

// Server is a running postgres process.
type Server struct {
	dir       string
	socketDir string
	cmd       *exec.Cmd
	exited    chan struct{}
	waitErr   error
	log       *slog.Logger
	shared    bool // another process started it: not ours to stop
}

const port = 5432 // names the socket file only: TCP is off

// FindBinDir returns the directory holding initdb and postgres: from
// pg_config --bindir, then the usual Debian and Homebrew locations.
func FindBinDir() (string, error) {
	var candidates []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	debian, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// Newest version first; Glob's lexical order puts 9 after 15.
	slices.SortFunc(debian, func(a, b string) int { return debianVersion(b) - debianVersion(a) })
	candidates = append(candidates, debian...)
	candidates = append(candidates, "/usr/local/bin", "/opt/homebrew/bin", "/usr/bin")
	for _, dir := range candidates {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

func debianVersion(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// Start initialises the cluster if needed and starts the server. It
// returns once the server accepts connections. Running as root, the server
// runs as the "postgres" user, since PostgreSQL refuses root.
func Start(ctx context.Context, opts Options) (*Server, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	binDir := opts.BinDir
	if binDir == "" {
		var err error
		if binDir, err = FindBinDir(); err != nil {
			return nil, err
		}
	} else if !isExecutable(filepath.Join(binDir, "postgres")) || !isExecutable(filepath.Join(binDir, "initdb")) {
		return nil, fmt.Errorf("%s: %w", binDir, ErrNoBinaries)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("data directory %q: %w", opts.Dir, err)
	}
	cred, err := postgresUser()
	if err != nil {
		return nil, err
	}
	if blocked := closedParent(dir); cred != nil && blocked != "" {
		// Root's home is usually closed to other users, and the server may
		// not run as root: keep the data where the postgres user can reach
		// it, one directory per requested location.
		base := opts.FallbackDir
		if base == "" {
			base = "/var/lib/cadrestats"
		}
		sum := sha256.Sum256([]byte(dir))
		alt := filepath.Join(base, hex.EncodeToString(sum[:6]))
		log.Warn("the postgres user cannot reach the data directory; keeping the data elsewhere "+
			"(set CADRESTATS_DATA_DIR to choose)", "requested", dir, "closed", blocked, "dir", alt)
		if err := os.MkdirAll(base, 0o755); err != nil {
			return nil, fmt.Errorf("data directory %s: %w", base, err)
		}
		dir = alt
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if err := chown(dir, cred); err != nil {
		return nil, err
	}
	// Unix socket paths are limited to 107 bytes.
	socketDir := dir
	if len(filepath.Join(dir, ".s.PGSQL.5432")) > 100 {
		if socketDir, err = os.MkdirTemp("", "cadrestats-pg"); err != nil {
			return nil, fmt.Errorf("socket directory: %w", err)
		}
		if err := chown(socketDir, cred); err != nil {
			return nil, err
		}
	}

	// Another cadrestats (a running `serve`) may own the cluster already:
	// use its server rather than fail on the lock file.
	if s := (&Server{dir: dir, socketDir: socketDir}); socketDir == dir && s.answers(ctx) == nil {
		log.Info("using the private PostgreSQL already running", "socket_dir", socketDir)
		s.shared = true
		return s, nil
	}

	pgdata := filepath.Join(dir, "pgdata")
	if _, err := os.Stat(filepath.Join(pgdata, "PG_VERSION")); errors.Is(err, fs.ErrNotExist) && opts.Primary != "" {
		if err := baseBackup(ctx, binDir, pgdata, opts, cred, log); err != nil {
			return nil, err
		}
	} else if errors.Is(err, fs.ErrNotExist) {
		log.Info("initialising private PostgreSQL", "dir", pgdata)
		_ = os.RemoveAll(pgdata) // a half-made cluster from an interrupted initdb
		args := []string{"-D", pgdata, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"}
		if !opts.Durable {
			args = append(args, "--no-sync")
		}
		cmd := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"), args...)
		cmd.SysProcAttr = procAttr(cred)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("initdb: %w: %s", err, lastLines(string(out), 5))
		}
	}

	args := []string{"-D", pgdata, "-k", socketDir, "-h", "", "-p", strconv.Itoa(port),
		"-c", "unix_socket_permissions=0700", "-c", "max_connections=100"}
	if !opts.Durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	if isStandby(pgdata) {
		args = append(args, standbyArgs...)
	}
	// After a crash (kill -9, or this process dying with the server) the
	// old server's backends may still be exiting, holding its shared
	// memory: PostgreSQL refuses to start until they are gone, moments
	// later.
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := &Server{dir: dir, socketDir: socketDir, exited: make(chan struct{}), log: log}
		logText, err := s.launch(ctx, filepath.Join(binDir, "postgres"), args, filepath.Join(dir, "postgres.log"), cred)
		if err == nil {
			log.Info("private PostgreSQL ready", "socket_dir", socketDir)
			return s, nil
		}
		if !strings.Contains(logText, "pre-existing shared memory block") || time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(100 * time.Millisecond)
		if socketDir != dir { // the failed server's Stop may have removed it
			if err := os.MkdirAll(socketDir, 0o700); err != nil {
				return nil, fmt.Errorf("socket directory: %w", err)
			}
			if err := chown(socketDir, cred); err != nil {
				return nil, err
			}
		}
	}
}

// launch starts the server process and waits until it answers. On failure
// it returns the end of the server's log too.
func (s *Server) launch(ctx context.Context, postgres string, args []string, logPath string, cred *credential) (string, error) {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return "", fmt.Errorf("server log: %w", err)
	}
	cmd := exec.Command(postgres, args...)
	cmd.SysProcAttr = procAttr(cred)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return "", fmt.Errorf("start postgres: %w", err)
	}
	logFile.Close() // the child holds its own descriptor
	s.cmd = cmd
	go func() { s.waitErr = cmd.Wait(); close(s.exited) }()

	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		out, _ := os.ReadFile(logPath)
		tail := lastLines(string(out), 5)
		return tail, fmt.Errorf("postgres did not start: %w: %s", err, tail)
	}
	return "", nil
}

func (s *Server) answers(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(s.socketDir, ".s.PGSQL."+strconv.Itoa(port))); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgconn.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		return err
	}
	return conn.Close(ctx)
}

func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		conn, err := pgconn.Connect(ctx, s.DSN("postgres"))
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-s.exited:
			return fmt.Errorf("server exited: %v", s.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// DSN is a connection string for database db over the server's socket.
func (s *Server) DSN(db string) string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", s.socketDir, port, db)
}

// Stop shuts the server down (fast shutdown: open sessions are ended) and
// waits for it, killing it after ten seconds.
func (s *Server) Stop() error {
	if s == nil || s.shared || s.cmd.Process == nil {
		return nil
	}
	select {
	case <-s.exited:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	if s.socketDir != s.dir {
		_ = os.RemoveAll(s.socketDir)
	}
	s.log.Info("private PostgreSQL stopped")
	return nil
}

// credential is the user the server runs as; nil means the current user.
type credential struct{ uid, gid uint32 }

// postgresUser is the user the server runs as: nil (the current user),
// or "postgres" when running as root, since PostgreSQL refuses root.
func postgresUser() (*credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL must run as the \"postgres\" user, which does not exist: "+
			"install the PostgreSQL server package (it creates the user) or set DATABASE_URL: %w", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &credential{uid: uint32(uid), gid: uint32(gid)}, nil
}

// closedParent returns the first directory above dir that other users
// cannot enter, or "" when there is none.
func closedParent(dir string) string {
	for p := filepath.Dir(dir); p != "/"; p = filepath.Dir(p) {
		if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o001 == 0 {
			return p
		}
	}
	return ""
}

func chown(dir string, cred *credential) error {
	if cred == nil {
		return nil
	}
	err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, int(cred.uid), int(cred.gid))
	})
	if err != nil {
		return fmt.Errorf("hand %s to the postgres user: %w", dir, err)
	}
	return nil
}

func procAttr(cred *credential) *syscall.SysProcAttr {
	// Pdeathsig: if this process dies, so does the server; Setpgid keeps a
	// terminal's Ctrl-C from reaching it before we stop it in order.
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if cred != nil {
		attr.Credential = &syscall.Credential{Uid: cred.uid, Gid: cred.gid}
	}
	return attr
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
