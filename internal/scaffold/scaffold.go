package scaffold

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed templates
var templates embed.FS

// File is one file init writes: where, and from which template.
type File struct {
	Path     string // relative to the repository
	Template string
}

// Files are what init writes in a student repository, in order.
var Files = []File{
	{".labcheck.yaml", "templates/labcheck.yaml"},
	{".github/workflows/labcheck.yml", "templates/workflow.yml"},
	{".pre-commit-config.yaml", "templates/pre-commit-config.yaml"},
}

// ClassFiles are what `init --instructor` writes in the instructor's
// repository: the class list and the workflow that grades everyone on it.
var ClassFiles = []File{
	{"students.txt", "templates/students.txt"},
	{".github/workflows/labcheck-class.yml", "templates/class-workflow.yml"},
}

// Outcome says what happened to one file.
type Outcome struct {
	Path    string
	Written bool
	Note    string
}

// Template returns a template's content.
func Template(name string) ([]byte, error) { return templates.ReadFile(name) }

// Write writes the files into dir. An existing file is left alone unless
// force is set.
func Write(dir string, files []File, force bool) ([]Outcome, error) {
	var out []Outcome
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if _, err := os.Stat(p); err == nil && !force {
			out = append(out, Outcome{Path: f.Path, Note: "exists, left alone (--force overwrites)"})
			continue
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return out, err
		}
		data, err := templates.ReadFile(f.Template)
		if err != nil {
			return out, err
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return out, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return out, fmt.Errorf("write %s: %w", f.Path, err)
		}
		out = append(out, Outcome{Path: f.Path, Written: true})
	}
	return out, nil
}
