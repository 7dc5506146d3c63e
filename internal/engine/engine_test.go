package engine

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labcheck/labcheck/internal/finding"
)

// policy is a rule module with METADATA; custom adds lines to its custom
// block.
func policy(pkg, id, lab string, custom ...string) string {
	return `# METADATA
# title: A test rule
# description: Why it matters.
# custom:
#   id: ` + id + `
#   name: ` + strings.ToLower(strings.ReplaceAll(id, "-", "")) + `-rule
#   lab: ` + lab + `
#   severity: warning
#   remediation: Fix it.
` + strings.Join(custom, "") + `#   examples:
#     fail: "FROM x"
#     pass: "FROM y"
package labcheck.` + lab + `.` + pkg + `

deny contains {"msg": sprintf("%s is bad", [f.name]), "file": f.file, "line": 3} if {
	some f in input.files
	f.bad
}
`
}

func TestLoadReadsRulesAndEvaluates(t *testing.T) {
	eng, err := Load(fstest.MapFS{
		"docker/a.rego": {Data: []byte(policy("a", "DOCKER-901", "docker"))},
		"docker/b.rego": {Data: []byte(policy("b", "DOCKER-900", "docker", "#   role: parse-error\n"))},
	})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := eng.Rule("DOCKER-900")
	if !ok || !r.ParseError || r.Phase != finding.Static || r.Examples.Fail["Dockerfile"] != "FROM x" {
		t.Errorf("DOCKER-900 = %+v: want a static parse-error rule whose plain-string example is the Dockerfile", r)
	}
	if r, _ := eng.Rule("DOCKER-901"); r.ParseError {
		t.Error("DOCKER-901 has no role, yet is a parse-error rule")
	}
	fs, err := eng.Evaluate(context.Background(), finding.Docker, map[string]any{"files": []any{
		map[string]any{"name": "one", "file": "Dockerfile", "bad": true},
		map[string]any{"name": "two", "file": "Dockerfile", "bad": false},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 { // both rules fire on "one"
		t.Fatalf("findings = %+v, want two", fs)
	}
	for _, f := range fs {
		if f.Message != "one is bad" || f.Line != 3 || f.Severity != finding.Warning || f.Phase != finding.Static || f.Lab != finding.Docker {
			t.Errorf("finding %+v", f)
		}
	}
}

func TestLoadRefusesBadMetadata(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"id of another lab", policy("a", "K8S-001", "docker"), `id "K8S-001" is not of the form DOCKER-001`},
		{"dynamic prefix on a policy", policy("a", "DYN-001", "docker"), `id "DYN-001" is not of the form DOCKER-001`},
		{"unknown role", policy("a", "DOCKER-001", "docker", "#   role: parser\n"), `unknown custom.role "parser"`},
		{"unknown lab", policy("a", "DOCKER-001", "podman"), `unknown lab "podman"`},
		{"no remediation", strings.Replace(policy("a", "DOCKER-001", "docker"), "#   remediation: Fix it.\n", "", 1), "remediation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"x/a.rego": {Data: []byte(tc.src)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	_, err := Load(fstest.MapFS{
		"docker/a.rego": {Data: []byte(policy("a", "DOCKER-001", "docker"))},
		"docker/b.rego": {Data: []byte(policy("b", "DOCKER-001", "docker"))},
	})
	if err == nil || !strings.Contains(err.Error(), "rule id DOCKER-001 is defined twice") {
		t.Errorf("duplicate id: err = %v", err)
	}
}

func TestAddDynamicRules(t *testing.T) {
	eng, err := Load(fstest.MapFS{"docker/a.rego": {Data: []byte(policy("a", "DOCKER-001", "docker"))}})
	if err != nil {
		t.Fatal(err)
	}
	dyn := &Rule{ID: "DYN-001", Name: "image-builds", Lab: finding.Docker, Severity: finding.Error, Phase: finding.Dynamic,
		Title: "builds", Rationale: "why", Remediation: "how", Source: "catalog"}
	if err := eng.Add(dyn); err != nil {
		t.Fatal(err)
	}
	if err := eng.Add(dyn); err == nil || !strings.Contains(err.Error(), "defined twice") {
		t.Errorf("adding DYN-001 twice: %v", err)
	}
	if err := eng.Add(&Rule{ID: "DOCKER-002", Name: "x", Lab: finding.Docker, Severity: finding.Error, Phase: finding.Dynamic, Title: "t", Rationale: "r", Remediation: "m"}); err == nil {
		t.Error("a dynamic rule with a static lab's prefix was added")
	}
	f, err := dyn.Finding("step 3 failed", "labs/docker/Dockerfile", 4, finding.Info)
	if err != nil || f.Phase != finding.Dynamic || f.Severity != finding.Info || f.Name != "image-builds" {
		t.Errorf("Finding = %+v, %v", f, err)
	}
	if _, err := dyn.Finding("x", "f", 1, "fatal"); err == nil {
		t.Error("an unknown severity was accepted")
	}
	if ids := []string{eng.Rules()[0].ID, eng.Rules()[1].ID}; ids[0] != "DOCKER-001" || ids[1] != "DYN-001" {
		t.Errorf("Rules() order = %v", ids)
	}
}

// TestIndexVetsTheCompilerChecks: runs skip the compiler's check-only
// stages for modules the index describes, so an index is written only for
// policies that pass every stage, and a module edited after it was written
// gets every stage again.
func TestIndexVetsTheCompilerChecks(t *testing.T) {
	good := policy("a", "DOCKER-901", "docker")
	bad := strings.Replace(good, "\tf.bad\n", "\tf.bad\n\tcount(1) > 0\n", 1)
	if bad == good {
		t.Fatal("the defect was not introduced")
	}
	if _, err := BuildIndex(fstest.MapFS{"docker/a.rego": {Data: []byte(bad)}}); err == nil || !strings.Contains(err.Error(), "count") {
		t.Errorf("BuildIndex of a policy with a type error: err = %v, want the type error", err)
	}
	index, err := BuildIndex(fstest.MapFS{"docker/a.rego": {Data: []byte(good)}})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := Load(fstest.MapFS{"docker/a.rego": {Data: []byte(good)}, IndexFile: {Data: index}})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := eng.Evaluate(context.Background(), finding.Docker, map[string]any{"files": []any{map[string]any{"name": "x", "file": "Dockerfile", "bad": true}}})
	if err != nil || len(fs) != 1 || fs[0].Message != "x is bad" {
		t.Errorf("vetted policy: findings %+v, err %v", fs, err)
	}
	edited, err := Load(fstest.MapFS{"docker/a.rego": {Data: []byte(bad)}, IndexFile: {Data: index}})
	if err != nil {
		t.Fatal(err)
	}
	if err := edited.Compile(context.Background()); err == nil || !strings.Contains(err.Error(), "count") {
		t.Errorf("a module edited after the index was written compiled without the type check: err = %v", err)
	}
}
