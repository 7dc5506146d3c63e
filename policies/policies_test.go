package policies_test

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/labcheck/labcheck/internal/check"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/settings"
	"github.com/labcheck/labcheck/policies"
)

// TestRego runs every _test.rego beside the policies, as `opa test` would.
func TestRego(t *testing.T) {
	modules, err := engine.ParseModules(policies.FS, true)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := tester.NewRunner().SetModules(modules).RunTests(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r := range ch {
		n++
		name := strings.TrimPrefix(r.Package, "data.") + "." + r.Name
		switch {
		case r.Error != nil:
			t.Errorf("%s: %v", name, r.Error)
		case r.Skip:
			t.Errorf("%s is skipped (todo_ tests are not allowed to hide a failing rule)", name)
		case !r.Pass():
			t.Errorf("%s failed (%s)", name, r.Location)
		}
	}
	if n == 0 {
		t.Fatal("no Rego tests ran")
	}
	t.Logf("%d Rego tests ran", n)
}

// TestEveryRuleHasTests checks that each rule's package has a _test.rego
// beside it with at least one failing (test_fail_*) and one passing
// (test_pass_*) case, and that every policy file has a test file.
func TestEveryRuleHasTests(t *testing.T) {
	eng, err := engine.Load(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	modules, err := engine.ParseModules(policies.FS, true)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]string{} // tested package -> test rule names
	for file, m := range modules {
		if !strings.HasSuffix(file, "_test.rego") {
			if _, ok := modules[strings.TrimSuffix(file, ".rego")+"_test.rego"]; !ok {
				t.Errorf("%s has no %s beside it", file, filepath.Base(strings.TrimSuffix(file, ".rego")+"_test.rego"))
			}
			continue
		}
		pkg := strings.TrimSuffix(m.Package.Path.String(), "_test")
		for _, r := range m.Rules {
			tests[pkg] = append(tests[pkg], r.Head.Name.String())
		}
	}
	rules := eng.Rules()
	if len(rules) == 0 {
		t.Fatal("no rules loaded")
	}
	for _, r := range rules {
		names := tests[r.Package]
		hasPrefix := func(p string) bool {
			return slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, p) })
		}
		if !hasPrefix("test_fail") {
			t.Errorf("%s (%s) has no test_fail_* case", r.ID, r.Source)
		}
		if !hasPrefix("test_pass") {
			t.Errorf("%s (%s) has no test_pass_* case", r.ID, r.Source)
		}
	}
}

// TestRuleMetadata checks what Load does not: names are unique across
// the policies and the dynamic catalog, the policies define static rules
// only, and every lab has exactly one parse-error rule.
func TestRuleMetadata(t *testing.T) {
	eng, err := settings.Engine()
	if err != nil {
		t.Fatal(err) // duplicate ids and incomplete metadata fail here
	}
	names := map[string]string{}
	parseRules := map[finding.Lab][]string{}
	for _, r := range eng.Rules() {
		if prev, ok := names[r.Name]; ok {
			t.Errorf("rule name %s is used by %s and %s", r.Name, prev, r.ID)
		}
		names[r.Name] = r.ID
		if strings.HasSuffix(r.Source, ".rego") && r.Phase != finding.Static {
			t.Errorf("%s (%s): a policy decides a static rule, not a %s one", r.ID, r.Source, r.Phase)
		}
		if r.ParseError {
			parseRules[r.Lab] = append(parseRules[r.Lab], r.ID)
		}
	}
	for _, l := range finding.Labs {
		if len(parseRules[l]) != 1 {
			t.Errorf("lab %s has parse-error rules %v, want exactly one (custom.role: parse-error)", l, parseRules[l])
		}
	}
}

// TestExamples runs each rule's failing and passing example through the
// whole static pipeline, keeping `labcheck explain` honest. A static rule
// must be raised on its failing example and not on its passing one. A
// dynamic check's examples describe a cluster run: both must be valid
// submissions (no parse-error finding), and the static rules that foresee
// the failure (examples.foreseenBy) must be raised on the failing example
// and not on the passing one.
func TestExamples(t *testing.T) {
	eng, err := settings.Engine()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eng.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			if r.Phase == finding.Dynamic && (len(r.Examples.Fail) == 0 || len(r.Examples.Pass) == 0) {
				t.Fatalf("%s has no failing or no passing example", r.ID)
			}
			for _, ex := range []struct {
				name  string
				files map[string]string
				fail  bool
			}{{"fail", r.Examples.Fail, true}, {"pass", r.Examples.Pass, false}} {
				raised := exampleRules(t, eng, r.Lab, ex.files)
				if r.Phase == finding.Static {
					if raised[r.ID] != ex.fail {
						t.Errorf("%s example: rule raised = %v, want %v; raised: %v", ex.name, raised[r.ID], ex.fail, raised)
					}
					continue
				}
				for id := range raised {
					if rule, _ := eng.Rule(id); rule.ParseError {
						t.Errorf("%s example does not parse: %s", ex.name, id)
					}
				}
				for _, id := range r.Examples.ForeseenBy {
					if raised[id] != ex.fail {
						t.Errorf("%s example: foreseeing rule %s raised = %v, want %v; raised: %v", ex.name, id, raised[id], ex.fail, raised)
					}
				}
			}
		})
	}
}

// exampleRules checks an example laid out as a lab's folder and returns
// the rules raised.
func exampleRules(t *testing.T, eng *engine.Engine, lab finding.Lab, files map[string]string) map[string]bool {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "labs", string(lab))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := check.Run(context.Background(), eng, []string{root}, check.Options{Labs: []finding.Lab{lab}})
	if err != nil {
		t.Fatal(err)
	}
	raised := map[string]bool{}
	for _, f := range res.Findings {
		raised[f.Rule] = true
	}
	return raised
}

// TestPoliciesFormatted fails on Rego that `opa fmt` would change, so the
// policies read the same everywhere (the Go equivalent of opa fmt --list).
func TestPoliciesFormatted(t *testing.T) {
	err := fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".rego" {
			return err
		}
		src, err := fs.ReadFile(policies.FS, p)
		if err != nil {
			return err
		}
		formatted, err := format.Source(p, src)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if string(formatted) != string(src) {
			t.Errorf("%s is not formatted as opa fmt would (run: go run ./scripts/regofmt policies)", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

var updateIndex = flag.Bool("update", false, "rewrite index.json")

// TestIndexIsCurrent: index.json describes the policies as they are, so
// that runs read the catalog from it and parse only the modules a lab
// needs. (A stale index is not wrong, only slower: stale files are parsed
// at start-up.) Rewrite it with `go test ./policies -run TestIndexIsCurrent
// -update` or `make golden`.
func TestIndexIsCurrent(t *testing.T) {
	want, err := engine.BuildIndex(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	if *updateIndex {
		if err := os.WriteFile(engine.IndexFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(engine.IndexFile)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("policies/index.json is not current (%v): run go test ./policies -run TestIndexIsCurrent -update", err)
	}
}

// TestLoadFromIndexMatchesParsing: the catalog read from the index is the
// one parsing every policy gives, and a policy edited after the index was
// written is read from its source.
func TestLoadFromIndexMatchesParsing(t *testing.T) {
	indexed, err := engine.Load(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	noIndex := fstest.MapFS{}
	stale := fstest.MapFS{}
	err = fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(policies.FS, p)
		if err != nil {
			return err
		}
		stale[p] = &fstest.MapFile{Data: data}
		if p != engine.IndexFile {
			noIndex[p] = &fstest.MapFile{Data: data}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	const edited = "docker/base_image_not_latest.rego"
	stale[edited].Data = bytes.Replace(stale[edited].Data, []byte("# title: "), []byte("# title: Edited - "), 1)
	parsed, err := engine.Load(noIndex)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(parsed.Rules(), indexed.Rules()); diff != "" {
		t.Errorf("catalog from the index differs from parsing (-parsed +indexed):\n%s", diff)
	}
	withStale, err := engine.Load(stale)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := withStale.Rule("DOCKER-002"); !ok || !strings.HasPrefix(r.Title, "Edited - ") {
		t.Errorf("a file edited after the index was written was read from the index: %+v", r)
	}
	// Every lab compiles from the index alone.
	if err := indexed.Compile(context.Background()); err != nil {
		t.Error(err)
	}
}
