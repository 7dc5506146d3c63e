package cluster

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Leftover is a cluster a killed run left behind, and what Cleanup did.
type Leftover struct {
	Name    string
	Removed bool
	Reason  string // why it was kept, or why removing it failed
}

// Cleanup deletes the labcheck-xxxxxxxx clusters whose run is gone (no
// process holds their lock), with their kubeconfig and lock files. A
// cluster of a run still going is reported and left alone.
func Cleanup(log io.Writer) ([]Leftover, error) {
	dir, err := stateDir()
	if err != nil {
		return nil, err
	}
	p := newProvider(log)
	names, err := p.List()
	if err != nil {
		return nil, fmt.Errorf("list kind clusters: %w", err)
	}
	slices.Sort(names)
	var out []Leftover
	var errs []error
	for _, name := range names {
		if !namePattern.MatchString(name) {
			continue
		}
		lockPath := filepath.Join(dir, name+".lock")
		l, err := tryAcquire(lockPath)
		if err != nil {
			out = append(out, Leftover{Name: name, Reason: err.Error()})
			continue
		}
		kubeconfig := filepath.Join(dir, name+".kubeconfig")
		if err := deleteCluster(p, name, kubeconfig); err != nil {
			out = append(out, Leftover{Name: name, Reason: err.Error()})
			errs = append(errs, fmt.Errorf("delete %s: %w", name, err))
			l.release()
			continue
		}
		_ = os.Remove(kubeconfig)
		_ = os.Remove(kubeconfig + ".lock")
		l.release()
		_ = os.Remove(lockPath)
		out = append(out, Leftover{Name: name, Removed: true})
	}
	return out, errors.Join(errs...)
}
