//go:build unix

package cluster

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Lock is an flock(2) held for as long as a run uses its cluster. The
// kernel drops it when the process dies, however it dies (kill -9
// included), which is what lets Cleanup tell live clusters from leftovers.
type Lock struct{ f *os.File }

func acquire(path string) (*Lock, error) {
	l, err := tryAcquire(path)
	if err != nil {
		return nil, err
	}
	_ = l.f.Truncate(0)
	_, _ = l.f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return l, nil
}

func tryAcquire(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("in use by a running labcheck-verify (pid %s)", strings.TrimSpace(string(pid)))
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

func (l *Lock) release() {
	if l == nil || l.f == nil {
		return
	}
	// Unlink while still holding the lock: whoever opens the path after
	// this gets a new file, and the run is over anyway.
	_ = os.Remove(l.f.Name())
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
	l.f = nil
}
