//go:build !unix

package cluster

import (
	"fmt"
	"os"
)

// Lock marks a cluster in use. Without flock(2) it is only a file, so
// Cleanup cannot tell a live run from a dead one and treats every cluster
// as a leftover.
type Lock struct{ path string }

func acquire(path string) (*Lock, error) {
	if err := os.WriteFile(path, []byte(fmt.Sprintln(os.Getpid())), 0o600); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &Lock{path: path}, nil
}

func tryAcquire(path string) (*Lock, error) { return &Lock{path: path}, nil }

func (l *Lock) release() {
	if l != nil && l.path != "" {
		_ = os.Remove(l.path)
		l.path = ""
	}
}
