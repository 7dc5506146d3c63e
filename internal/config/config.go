package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"sigs.k8s.io/yaml"

	"github.com/labcheck/labcheck/internal/finding"
)

// FileName is the config file looked up from the checked path upward.
const FileName = ".labcheck.yaml"

// Config is the content of .labcheck.yaml.
type Config struct {
	FailOn   string   `json:"failOn,omitempty"`
	Labs     []string `json:"labs,omitempty"`
	Rubric   string   `json:"rubric,omitempty"`
	Policies []string `json:"policies,omitempty"`
	Ignore   []Ignore `json:"ignore,omitempty"`
	Grading  Grading  `json:"grading,omitempty"`

	Path string `json:"-"` // where it was read from; "" when none was found
}

// Ignore waives a rule, optionally for one file only.
type Ignore struct {
	Rule   string `json:"rule"`
	File   string `json:"file,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Grading holds the instructor's grading choices.
type Grading struct {
	AllowWaivers *bool `json:"allowWaivers,omitempty"`
}

// Load reads the config at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	var c Config
	if err := yaml.UnmarshalStrict(bytes.TrimSpace(data), &c); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.Path = path
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return &c, nil
}

func (c *Config) validate() error {
	if c.FailOn != "" && c.FailOn != "none" {
		if _, err := finding.ParseSeverity(c.FailOn); err != nil {
			return fmt.Errorf("failOn: %w", err)
		}
	}
	for _, l := range c.Labs {
		if _, err := finding.ParseLab(l); err != nil {
			return fmt.Errorf("labs: %w", err)
		}
	}
	for i, ig := range c.Ignore {
		if ig.Rule == "" {
			return fmt.Errorf("ignore[%d]: rule is required", i)
		}
	}
	return nil
}

// Find looks for FileName in dir and its parents, stopping at a
// repository's root (a folder with .git). It returns "" when there is none.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(abs, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if _, err := os.Stat(filepath.Join(abs, ".git")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", nil
		}
		abs = parent
	}
}
