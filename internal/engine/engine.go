package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/labcheck/labcheck/internal/finding"
)

// Engine holds the policies and the rules they define. It is safe for
// concurrent use. Each lab's policies (and the helper libraries they
// reference) are compiled once per process, on the lab's first use, so
// labs checked in parallel compile in parallel and a run limited to one
// lab compiles only that lab.
type Engine struct {
	modules map[string]*module // every non-test module, by file, parsed on first use
	rules   map[string]*Rule   // by package path
	byID    map[string]*Rule

	digest string // of every policy source, for result caches

	mu   sync.Mutex
	labs map[finding.Lab]*labQuery

	closureOnce sync.Once
	pkgs        packages                           // the modules by package
	byLab       map[finding.Lab]map[string]*module // the modules each lab compiles
	shared      map[string]bool                    // modules more than one lab compiles
}

// labQuery is one lab's compiled policies and prepared query.
type labQuery struct {
	once  sync.Once
	query rego.PreparedEvalQuery
	err   error
}

// Load reads every non-test .rego file of fsys and each rule's metadata:
// from the index (IndexFile) for the files it describes as they are,
// by parsing the others. Modules are parsed when a lab that needs them is
// compiled. Test files are left out: they are for `go test` and `labcheck
// test`, not for checking submissions.
func Load(fsys fs.FS) (*Engine, error) {
	sources, err := readSources(fsys, false)
	if err != nil {
		return nil, err
	}
	index := readIndex(fsys)
	e := &Engine{modules: map[string]*module{}, rules: map[string]*Rule{}, byID: map[string]*Rule{}, labs: map[finding.Lab]*labQuery{}}
	found := map[string]*Rule{}
	var unindexed []*module
	h := sha256.New()
	for _, src := range sources {
		fmt.Fprintf(h, "%d:%s%d:%s", len(src.path), src.path, len(src.src), src.src)
		m := &module{file: src.path, src: src.src}
		e.modules[src.path] = m
		ie, ok := index[src.path]
		if !ok || ie.SHA256 != digest([]byte(src.src)) {
			unindexed = append(unindexed, m)
			continue
		}
		m.pkg, m.refs, m.vetted = ie.Package, ie.References, true
		if ie.Rule != nil {
			r := *ie.Rule
			r.Package, r.Source = ie.Package, src.path
			found[src.path] = &r
		}
	}
	// What the index does not describe is parsed now, with its METADATA.
	annotated := make([]*ast.Module, len(unindexed))
	errs := make([]error, len(unindexed))
	parallel(len(unindexed), func(i int) {
		annotated[i], errs[i] = parseModule(unindexed[i].file, unindexed[i].src, false)
	})
	for i, m := range unindexed {
		parsed, err := annotated[i], errs[i]
		if err != nil {
			return nil, fmt.Errorf("parse policy %s: %w", m.file, err)
		}
		ie, err := entryOf(m.file, []byte(m.src), parsed)
		if err != nil {
			return nil, err
		}
		m.pkg, m.refs = ie.Package, ie.References
		if ie.Rule != nil {
			found[m.file] = ie.Rule
		}
	}
	for _, file := range slices.Sorted(maps.Keys(found)) {
		r := found[file]
		if prev, dup := e.byID[r.ID]; dup {
			return nil, fmt.Errorf("rule id %s is defined twice: %s and %s", r.ID, prev.Source, r.Source)
		}
		e.rules[r.Package], e.byID[r.ID] = r, r
	}
	e.digest = hex.EncodeToString(h.Sum(nil))
	return e, nil
}

// Add adds rules that no policy defines: the dynamic phase's checks,
// which labcheck-verify decides on a cluster and labcheck only names.
func (e *Engine) Add(rules ...*Rule) error {
	for _, r := range rules {
		if err := r.Validate(); err != nil {
			return err
		}
		if prev, dup := e.byID[r.ID]; dup {
			return fmt.Errorf("rule id %s is defined twice: %s and %s", r.ID, prev.Source, r.Source)
		}
		e.byID[r.ID] = r
	}
	return nil
}

// Digest identifies the policies the engine was loaded from: equal
// digests, equal policies.
func (e *Engine) Digest() string { return e.digest }

// Prepare compiles a lab's policies now, if they are not yet: callers
// start it early so that compiling overlaps parsing the submission.
func (e *Engine) Prepare(ctx context.Context, lab finding.Lab) error {
	_, err := e.query(ctx, lab)
	return err
}

// Compile compiles every lab's policies now, so that a policy error is
// found before any submission is checked.
func (e *Engine) Compile(ctx context.Context) error {
	for _, lab := range finding.Labs {
		if _, err := e.query(ctx, lab); err != nil {
			return err
		}
	}
	return nil
}

// labModules returns the modules of a lab's packages plus every module
// they reference, transitively (helper libraries, another lab's rules),
// parsing those not parsed yet, and whether the index vetted them all.
// Compiling rewrites a module: a module another lab compiles too is
// copied first, one only this lab compiles is handed over as parsed.
func (e *Engine) labModules(lab finding.Lab) (map[string]*ast.Module, bool, error) {
	closures, shared := e.closures()
	need, own := closures[lab]
	if !own {
		need = e.pkgs.closure(lab)
	}
	parseAll(slices.Collect(maps.Values(need)))
	out := make(map[string]*ast.Module, len(need))
	vetted := true
	for file, m := range need {
		parsed, err := m.parse()
		if err != nil {
			return nil, false, err
		}
		if shared[file] || !own {
			parsed = parsed.Copy()
		}
		out[file] = parsed
		vetted = vetted && m.vetted
	}
	return out, vetted, nil
}

// closures are, computed once, the modules each lab compiles and those
// more than one lab compiles.
func (e *Engine) closures() (map[finding.Lab]map[string]*module, map[string]bool) {
	e.closureOnce.Do(func() {
		e.pkgs = newPackages(e.modules)
		e.byLab = map[finding.Lab]map[string]*module{}
		count := map[string]int{}
		for _, l := range finding.Labs {
			e.byLab[l] = e.pkgs.closure(l)
			for file := range e.byLab[l] {
				count[file]++
			}
		}
		e.shared = map[string]bool{}
		for file, n := range count {
			if n > 1 {
				e.shared[file] = true
			}
		}
	})
	return e.byLab, e.shared
}

// packages are the modules by package path, and the paths sorted.
type packages struct {
	byPkg map[string][]*module
	paths []string
}

func newPackages(modules map[string]*module) packages {
	p := packages{byPkg: map[string][]*module{}}
	for _, m := range modules {
		p.byPkg[m.pkg] = append(p.byPkg[m.pkg], m)
	}
	p.paths = slices.Sorted(maps.Keys(p.byPkg))
	return p
}

// closure is the modules a lab compiles: its packages' and every module
// they reference, transitively. A reference reaches the package it names
// or is inside of, and every package under it.
func (ps packages) closure(lab finding.Lab) map[string]*module {
	byPkg, pkgs := ps.byPkg, ps.paths
	var queue []*module
	reach := func(ref string, up bool) {
		for p := ref; up; {
			queue = append(queue, byPkg[p]...)
			i := strings.LastIndexByte(p, '.')
			if i < 0 {
				break
			}
			p = p[:i]
		}
		below := ref + "."
		i, _ := slices.BinarySearch(pkgs, below)
		for ; i < len(pkgs) && strings.HasPrefix(pkgs[i], below); i++ {
			queue = append(queue, byPkg[pkgs[i]]...)
		}
	}
	reach("data.labcheck."+string(lab), false)
	queue = append(queue, byPkg["data.labcheck."+string(lab)]...)
	need := map[string]*module{}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		if _, done := need[m.file]; done {
			continue
		}
		need[m.file] = m
		for _, ref := range m.refs {
			reach(ref, true)
		}
	}
	return need
}

// checkOnly are the stages of OPA's compiler that only look for mistakes
// in the policies (unused or duplicate imports, conflicting or recursive
// rules, undefined functions, types, unsafe heads, deprecated or unsafe
// built-ins) or prepare what evaluation here never uses (print calls,
// METADATA annotations, test tracing, required capabilities): none
// rewrites what evaluation runs. Writing the index compiles every lab with
// every stage (BuildIndex), so for modules the index describes as they are
// these checks have passed, and a run skips them: about a fifth of a cold
// run's compile time (BenchmarkLoadAndCompile). A module edited since, or
// a policy tree without an index, gets every stage.
var checkOnly = []ast.StageID{
	ast.StageCheckUnusedImports, ast.StageCheckKeywordOverrides, ast.StageCheckDuplicateImports,
	ast.StageCheckVoidCalls, ast.StageRewritePrintCalls, ast.StageParseMetadataBlocks,
	ast.StageSetAnnotationSet, ast.StageRewriteRegoMetadataCalls, ast.StageCheckRuleConflicts,
	ast.StageCheckUndefinedFuncs, ast.StageCheckSafetyRuleHeads, ast.StageRewriteTestRulesForTracing,
	ast.StageCheckRecursion, ast.StageCheckTypes, ast.StageCheckUnsafeBuiltins,
	ast.StageCheckDeprecatedBuiltins, ast.StageBuildRequiredCapabilities,
}

// references lists the data.labcheck… paths a module imports or refers to.
func references(m *ast.Module) []string {
	var out []string
	add := func(r ast.Ref) {
		if len(r) < 2 || !r[0].Equal(ast.DefaultRootDocument) {
			return
		}
		var parts []string
		for _, t := range r[1:] {
			s, ok := t.Value.(ast.String)
			if !ok {
				break
			}
			parts = append(parts, string(s))
		}
		if len(parts) > 1 && parts[0] == "labcheck" {
			out = append(out, "data."+strings.Join(parts, "."))
		}
	}
	for _, imp := range m.Imports {
		if r, ok := imp.Path.Value.(ast.Ref); ok {
			add(r)
		}
	}
	ast.WalkRefs(m, func(r ast.Ref) bool {
		add(r)
		return false
	})
	return out
}

// ParseModules parses the .rego files of fsys with their annotations,
// keyed by path; tests says whether _test.rego files are included.
func ParseModules(fsys fs.FS, tests bool) (map[string]*ast.Module, error) {
	return parseModules(fsys, tests, false)
}

// parseModules parses as ParseModules does; with legacy, a file that is not
// valid Rego v1 is parsed again as Rego v0 (`deny[msg] { … }`), the syntax
// most policies written for conftest still use.
func parseModules(fsys fs.FS, tests, legacy bool) (map[string]*ast.Module, error) {
	sources, err := readSources(fsys, tests)
	if err != nil {
		return nil, err
	}
	parsed := make([]*ast.Module, len(sources))
	errs := make([]error, len(sources))
	parallel(len(sources), func(i int) {
		parsed[i], errs[i] = parseModule(sources[i].path, sources[i].src, legacy)
	})
	modules := make(map[string]*ast.Module, len(sources))
	for i, src := range sources {
		if errs[i] != nil {
			return nil, fmt.Errorf("parse policy %s: %w", src.path, errs[i])
		}
		modules[src.path] = parsed[i]
	}
	return modules, nil
}

type source struct{ path, src string }

// readSources reads the .rego files of fsys, in path order; tests says
// whether _test.rego files are included.
func readSources(fsys fs.FS, tests bool) ([]source, error) {
	var sources []source
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".rego" {
			return err
		}
		if strings.HasSuffix(p, "_test.rego") && !tests {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sources = append(sources, source{p, string(src)})
		return nil
	})
	return sources, err
}

// parseAll parses modules, spread over the cores: parsing is the largest
// share of start-up.
func parseAll(ms []*module) {
	parallel(len(ms), func(i int) { _, _ = ms[i].parse() })
}

// parallel runs f(0) … f(n-1) on GOMAXPROCS goroutines.
func parallel(n int, f func(int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Rules returns every rule, ordered by id.
func (e *Engine) Rules() []*Rule {
	out := make([]*Rule, 0, len(e.byID))
	for _, r := range e.byID {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Rule returns the rule with the given id.
func (e *Engine) Rule(id string) (*Rule, bool) {
	r, ok := e.byID[id]
	return r, ok
}

// query returns a lab's prepared query, compiling the lab's policies on
// first use.
func (e *Engine) query(ctx context.Context, lab finding.Lab) (*rego.PreparedEvalQuery, error) {
	e.mu.Lock()
	lq, ok := e.labs[lab]
	if !ok {
		lq = &labQuery{}
		e.labs[lab] = lq
	}
	e.mu.Unlock()
	lq.once.Do(func() {
		modules, vetted, err := e.labModules(lab)
		if err != nil {
			lq.err = err
			return
		}
		c := ast.NewCompiler().WithEnablePrintStatements(false)
		if vetted {
			c = c.WithSkipStages(checkOnly...)
		}
		if c.Compile(modules); c.Failed() {
			lq.err = fmt.Errorf("compile %s policies: %w", lab, c.Errors)
			return
		}
		lq.query, lq.err = rego.New(
			rego.Compiler(c),
			rego.Query(fmt.Sprintf("data.labcheck.%s[pkg].deny[f]", lab)),
		).PrepareForEval(ctx)
		if lq.err != nil {
			lq.err = fmt.Errorf("prepare %s policies: %w", lab, lq.err)
		}
	})
	return &lq.query, lq.err
}

// Evaluate runs every rule of lab against input (any value that marshals to
// JSON) and returns their findings, unsorted.
func (e *Engine) Evaluate(ctx context.Context, lab finding.Lab, input any) ([]finding.Finding, error) {
	q, err := e.query(ctx, lab)
	if err != nil {
		return nil, err
	}
	value, err := Value(input)
	if err != nil {
		return nil, fmt.Errorf("%s input: %w", lab, err)
	}
	rs, err := q.Eval(withFieldLines(ctx, input), rego.EvalParsedInput(value))
	if err != nil {
		return nil, fmt.Errorf("evaluate %s policies: %w", lab, err)
	}
	var out []finding.Finding
	for _, res := range rs {
		pkg := fmt.Sprintf("data.labcheck.%s.%v", lab, res.Bindings["pkg"])
		r, ok := e.rules[pkg]
		if !ok {
			return nil, fmt.Errorf("policy %s denies but has no rule metadata", pkg)
		}
		f, err := r.finding(res.Bindings["f"])
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", r.ID, r.Source, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// parseModule parses a module with its METADATA annotations, which the
// rule catalog is read from.
func parseModule(name, src string, legacy bool) (*ast.Module, error) {
	return parseModuleOpts(name, src, legacy, true)
}

func parseModuleOpts(name, src string, legacy, annotations bool) (*ast.Module, error) {
	m, err := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{ProcessAnnotation: annotations})
	if err != nil && legacy {
		if m0, err0 := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{ProcessAnnotation: annotations, RegoVersion: ast.RegoV0}); err0 == nil {
			return m0, nil
		}
	}
	return m, err
}

// finding turns one deny result, {"msg", "file", "line"[, "column",
// "severity"]}, into a Finding carrying the rule's metadata.
func (r *Rule) finding(v any) (finding.Finding, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return finding.Finding{}, fmt.Errorf("deny result %v is not an object", v)
	}
	msg, _ := m["msg"].(string)
	if msg == "" {
		return finding.Finding{}, fmt.Errorf("deny result %v has no msg", v)
	}
	file, _ := m["file"].(string)
	sev, _ := m["severity"].(string)
	f, err := r.Finding(msg, file, number(m["line"]), finding.Severity(sev))
	f.Column = number(m["column"])
	return f, err
}

// Finding is a finding of this rule, with its name, lab, phase and
// severity; sev, when not empty, overrides the rule's default severity.
func (r *Rule) Finding(msg, file string, line int, sev finding.Severity) (finding.Finding, error) {
	f := finding.Finding{Rule: r.ID, Name: r.Name, Lab: r.Lab, Severity: r.Severity, Phase: r.Phase, Message: msg, File: file, Line: line}
	if sev != "" {
		if _, err := finding.ParseSeverity(string(sev)); err != nil {
			return f, err
		}
		f.Severity = sev
	}
	return f, nil
}

func number(v any) int {
	switch n := v.(type) {
	case json.Number:
		i, _ := n.Int64()
		return int(i)
	case float64:
		return int(n)
	case int:
		return n
	}
	return 0
}
