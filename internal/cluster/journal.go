package cluster

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Journal lists, in a file beside a run's lock, the Docker images the run
// made, the moment each exists: the intermediate images of a classic
// build carry no label (only its last step does), so after a kill -9 this
// file is the only way to tell them from anyone else's. Cleanup removes
// the images of runs whose lock is free.
type Journal struct {
	mu   sync.Mutex
	path string
}

// journalSuffix names a run's image journal: <run>.images.
const journalSuffix = ".images"

// OpenJournal returns run's journal (the file is created on the first
// Record).
func OpenJournal(run string) (*Journal, error) {
	dir, err := stateDir()
	if err != nil {
		return nil, err
	}
	return &Journal{path: filepath.Join(dir, run+journalSuffix)}, nil
}

// Record appends image ids to the journal. A nil journal records nothing.
func (j *Journal) Record(ids ...string) error {
	if j == nil || len(ids) == 0 {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(strings.Join(ids, "\n") + "\n")
	return errors.Join(err, f.Close())
}

// Remove deletes the journal once its images are gone.
func (j *Journal) Remove() {
	if j == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	_ = os.Remove(j.path)
}

// Leftovers are the journals of runs that are gone: run id -> the image
// ids it recorded, in the order made. Runs still holding their lock are
// left out.
func Leftovers() (map[string][]string, error) {
	dir, err := stateDir()
	if err != nil {
		return nil, err
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*"+journalSuffix))
	if err != nil {
		return nil, err
	}
	slices.Sort(paths)
	out := map[string][]string{}
	for _, p := range paths {
		run := strings.TrimSuffix(filepath.Base(p), journalSuffix)
		if InUse(run) {
			continue
		}
		ids, err := readLines(p)
		if err != nil {
			return out, err
		}
		out[run] = ids
	}
	return out, nil
}

// ForgetJournal deletes a gone run's journal after Cleanup removed its
// images.
func ForgetJournal(run string) {
	if dir, err := stateDir(); err == nil {
		_ = os.Remove(filepath.Join(dir, run+journalSuffix))
	}
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}
