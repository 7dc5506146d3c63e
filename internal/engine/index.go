package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// IndexFile is the policy tree's metadata index, beside the policies.
// Parsing every policy costs more than anything else a run does before it
// checks a file, and a run needs only some of them: the rule catalog
// (metadata) is read from the index, and a module is parsed only when a
// lab that needs it is compiled. So a static run never parses the dynamic
// phase's policies, and `--lab docker` parses only the Docker lab's.
//
// Writing it compiles every lab with every stage of OPA's compiler, and a
// run skips the check-only stages for the modules it describes (checkOnly).
// Each entry carries the SHA-256 of its file: a file the index does not
// describe as it is (edited after the index was written) is parsed at
// start-up and compiled with every stage, so a stale index costs time,
// never correctness.
// policies' TestIndexIsCurrent keeps it current (`make golden` rewrites it).
const IndexFile = "index.json"

// Index is the content of IndexFile.
type Index struct {
	Version int                   `json:"version"`
	Files   map[string]IndexEntry `json:"files"` // by path in the policy tree
}

// IndexEntry describes one policy module.
type IndexEntry struct {
	SHA256     string   `json:"sha256"`
	Package    string   `json:"package"`    // data.labcheck.docker.base_image_tagged
	References []string `json:"references"` // the data.labcheck… paths it imports or refers to
	Rule       *Rule    `json:"rule,omitempty"`
}

const indexVersion = 2

// module is one policy file, parsed on first use.
type module struct {
	file, src string
	pkg       string
	refs      []string

	vetted bool // the index describes it as it is: BuildIndex compiled it with every stage

	once   sync.Once
	parsed *ast.Module
	err    error
}

// parse parses the module for compiling: without its METADATA, which
// evaluation does not use (the catalog is read at Load) and which costs
// a third of parsing.
func (m *module) parse() (*ast.Module, error) {
	m.once.Do(func() {
		m.parsed, m.err = parseModuleOpts(m.file, m.src, false, false)
		if m.err != nil {
			m.err = fmt.Errorf("parse policy %s: %w", m.file, m.err)
		}
	})
	return m.parsed, m.err
}

// BuildIndex parses every non-test policy of fsys, compiles every lab's
// with every stage of OPA's compiler, and returns the index that describes
// them, as IndexFile holds it. Policies that do not compile get no index:
// a run trusts the index's modules to have passed the compiler's checks.
func BuildIndex(fsys fs.FS) ([]byte, error) {
	modules, err := ParseModules(fsys, false)
	if err != nil {
		return nil, err
	}
	full, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	for _, m := range full.modules {
		m.vetted = false
	}
	if err := full.Compile(context.Background()); err != nil {
		return nil, err
	}
	idx := Index{Version: indexVersion, Files: map[string]IndexEntry{}}
	for _, file := range slices.Sorted(maps.Keys(modules)) {
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		e, err := entryOf(file, src, modules[file])
		if err != nil {
			return nil, err
		}
		idx.Files[file] = e
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(idx); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func entryOf(file string, src []byte, m *ast.Module) (IndexEntry, error) {
	r, err := ruleFromModule(file, m)
	if err != nil {
		return IndexEntry{}, err
	}
	refs := references(m)
	slices.Sort(refs)
	refs = slices.Compact(refs)
	if refs == nil {
		refs = []string{}
	}
	return IndexEntry{SHA256: digest(src), Package: m.Package.Path.String(), References: refs, Rule: r}, nil
}

func digest(src []byte) string {
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:])
}

// readIndex reads fsys's index; a missing or unreadable one is an empty
// index (every module is then parsed at start-up).
func readIndex(fsys fs.FS) map[string]IndexEntry {
	data, err := fs.ReadFile(fsys, IndexFile)
	if err != nil {
		return nil
	}
	var idx Index
	if json.Unmarshal(data, &idx) != nil || idx.Version != indexVersion {
		return nil
	}
	return idx.Files
}
