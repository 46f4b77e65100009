package pglocal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Freeze stops the server and every process it started (SIGSTOP), as a
// stalled disk or a paused VM would: connections stay open and nothing
// answers, not even cancel requests. For fault tests; Thaw resumes it.
func (s *Server) Freeze() error { return s.signalAll(syscall.SIGSTOP) }

// Thaw resumes a frozen server (SIGCONT).
func (s *Server) Thaw() error { return s.signalAll(syscall.SIGCONT) }

func (s *Server) signalAll(sig syscall.Signal) error {
	if s == nil || s.shared || s.cmd == nil || s.cmd.Process == nil {
		return errors.New("pglocal: not a server this process started")
	}
	pid := s.cmd.Process.Pid
	// The postmaster first, so that it starts no new child meanwhile.
	if err := syscall.Kill(pid, sig); err != nil {
		return fmt.Errorf("signal postgres %d: %w", pid, err)
	}
	for _, child := range children(pid) {
		_ = syscall.Kill(child, sig) // it may have just exited
	}
	return nil
}

// children lists the processes whose parent is pid, from /proc.
func children(pid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []int
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(s[i+1:])
		if len(fields) < 2 {
			continue
		}
		if ppid, _ := strconv.Atoi(fields[1]); ppid == pid {
			n, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
			out = append(out, n)
		}
	}
	return out
}
