package settings

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/finding"
)

// submission lays out a small repository: a config, a Dockerfile and a
// chart.
func submission(t *testing.T, config string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"labs/docker/Dockerfile":          "FROM alpine:3.20\nUSER 10001\n",
		"labs/helm/minio/Chart.yaml":      "apiVersion: v2\nname: minio\nversion: 1.0.0\n",
		"labs/kubernetes/namespace.yaml":  "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: minio\n",
		".git/HEAD":                       "ref: refs/heads/main\n",
		"labs/istio/.keep":                "",
		"labs/docker/.dockerignore":       ".git\n",
		"labs/kubernetes/README.md":       "notes\n",
		"labs/helm/minio/values.yaml":     "replicaCount: 4\n",
		"labs/helm/minio/templates/x.tpl": "{{/* */}}\n",
	}
	if config != "" {
		files[".labcheck.yaml"] = config
	}
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestResolve(t *testing.T) {
	ctx := context.Background()
	root := submission(t, "labs: [kubernetes]\nfailOn: warning\n")
	for _, tc := range []struct {
		name      string
		mode      Mode
		flags     Flags
		labs      []finding.Lab
		failOn    finding.Severity
		waivers   bool
		hasConfig bool
	}{
		{"a student's run: the repository's config", Check, Flags{}, []finding.Lab{finding.Kubernetes}, finding.Warning, true, true},
		{"the command line wins over the config", Check, Flags{Labs: []string{"docker"}, FailOn: "none"}, []finding.Lab{finding.Docker}, "", true, true},
		{"a Classroom result is a grade", Check, Flags{Classroom: true}, []finding.Lab{finding.Kubernetes}, finding.Warning, false, true},
		{"grade never reads a submission's config", Grade, Flags{}, nil, finding.Error, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Resolve(ctx, tc.mode, tc.flags, []string{root})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.Labs, tc.labs) || s.FailOn != tc.failOn || s.AllowWaivers != tc.waivers || (s.Config.Path != "") != tc.hasConfig {
				t.Errorf("labs %v, failOn %q, waivers %v, config %q", s.Labs, s.FailOn, s.AllowWaivers, s.Config.Path)
			}
		})
	}
	instructor := filepath.Join(t.TempDir(), "instructor.yaml")
	if err := os.WriteFile(instructor, []byte("grading:\n  allowWaivers: true\nrubric: module02-static\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Resolve(ctx, Grade, Flags{Config: instructor}, []string{root})
	if err != nil {
		t.Fatal(err)
	}
	if !s.AllowWaivers || s.Rubric.Name != "module02-static" {
		t.Errorf("the instructor's config: waivers %v, rubric %s", s.AllowWaivers, s.Rubric.Name)
	}
	if _, err := Resolve(ctx, Check, Flags{Labs: []string{"podman"}}, []string{root}); err == nil {
		t.Error("an unknown --lab was accepted")
	}
}

func TestScope(t *testing.T) {
	ctx := context.Background()
	root := submission(t, "")
	labs := filepath.Join(root, "labs")
	for _, tc := range []struct {
		name  string
		mode  Mode
		paths []string
		want  []finding.Lab
		whole bool
	}{
		{"the repository", Check, []string{root}, finding.Labs, true},
		{"its labs folder", Check, []string{labs}, finding.Labs, true},
		{"one lab's folder", Check, []string{filepath.Join(labs, "kubernetes")}, []finding.Lab{finding.Kubernetes}, false},
		{"an empty lab folder is still that lab", Check, []string{filepath.Join(labs, "istio")}, []finding.Lab{finding.Istio}, false},
		{"a chart", Check, []string{filepath.Join(labs, "helm", "minio")}, []finding.Lab{finding.Helm}, false},
		{"a single Dockerfile", Check, []string{filepath.Join(labs, "docker", "Dockerfile")}, []finding.Lab{finding.Docker}, false},
		{"two labs' folders", Check, []string{filepath.Join(labs, "helm"), filepath.Join(labs, "docker")}, []finding.Lab{finding.Docker, finding.Helm}, false},
		{"under grade every folder is a whole submission", Grade, []string{filepath.Join(labs, "docker")}, finding.Labs, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Resolve(ctx, tc.mode, Flags{}, tc.paths)
			if err != nil {
				t.Fatal(err)
			}
			c, err := s.Check(ctx, tc.paths)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.Scope.Labs, tc.want) || c.Scope.Whole != tc.whole {
				t.Errorf("scope = %+v, want labs %v, whole %v", c.Scope, tc.want, tc.whole)
			}
			for _, f := range c.Result.Findings {
				if !slices.Contains(tc.want, f.Lab) {
					t.Errorf("a finding of lab %s, which was not judged: %+v", f.Lab, f)
				}
			}
		})
	}
}

func TestChangedFilesJudgeTheirLabs(t *testing.T) {
	ctx := context.Background()
	root := submission(t, "")
	t.Chdir(root)
	for _, tc := range []struct {
		changed []string
		want    []finding.Lab
	}{
		{[]string{"labs/docker/Dockerfile"}, []finding.Lab{finding.Docker}},
		{[]string{"labs/helm/minio/values.yaml", "labs/docker/Dockerfile"}, []finding.Lab{finding.Docker, finding.Helm}},
		{[]string{"labs/kubernetes/README.md"}, nil},
		{[]string{".labcheck.yaml"}, finding.Labs},
	} {
		s, err := Resolve(ctx, Check, Flags{Changed: true}, tc.changed)
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Check(ctx, tc.changed)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.Scope.Labs, tc.want) {
			t.Errorf("changed %v: labs judged %v, want %v", tc.changed, c.Scope.Labs, tc.want)
		}
	}
}

// Every dynamic check the catalog grades is in the default rubric, and the
// rubric's dynamic checks are the catalog's (ParseRubric refuses unknown
// ids): labcheck-verify cannot report a graded check the rubric lacks.
func TestDefaultRubricCoversTheCatalog(t *testing.T) {
	s, err := Resolve(context.Background(), Grade, Flags{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	inRubric := map[string]finding.Lab{}
	for _, l := range s.Rubric.Labs {
		for _, c := range l.Checks {
			inRubric[c.Rule] = l.ID
		}
	}
	checks, err := dynamic.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		lab, ok := inRubric[c.ID]
		switch {
		case c.Severity == finding.Info:
			if ok {
				t.Errorf("%s is informational (what labcheck changed) but the rubric gives it points", c.ID)
			}
		case !ok:
			t.Errorf("%s (%s) is not in the default rubric", c.ID, c.Title)
		case lab != c.Lab:
			t.Errorf("%s is a %s check but the rubric grades it under %s", c.ID, c.Lab, lab)
		}
	}
}

// TestDynamicFailureQuotesItsStaticCause: a failing dynamic check says
// which static finding of the same run explains it, at the line to fix;
// a check whose causes the static phase did not find, and an
// informational finding, are left as the cluster described them.
func TestDynamicFailureQuotesItsStaticCause(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join("..", "..", "fixtures", "k8s-not-headless", "labs")
	s, err := Resolve(ctx, Check, Flags{NoCache: true}, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Check(ctx, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var cause *finding.Finding
	for i, f := range c.Result.Findings {
		if f.Rule == "K8S-004" {
			cause = &c.Result.Findings[i]
		}
	}
	if cause == nil {
		t.Fatal("the fixture no longer raises K8S-004")
	}
	sts := filepath.Join(dir, "kubernetes", "05-statefulset.yaml")
	dyn := &dynamic.Result{Version: 1, Findings: []dynamic.Finding{
		{Rule: "DYN-012", Lab: finding.Kubernetes, Message: "StatefulSet minio: 0/4 pods Ready", File: sts, Line: 1},
		{Rule: "DYN-015", Lab: finding.Kubernetes, Message: "minio-1 came back without its objects", File: sts, Line: 1},
		{Rule: "DYN-019", Lab: finding.Kubernetes, Message: "labcheck set imagePullPolicy", File: sts, Line: 1},
	}}
	rep, err := s.Report(c, dyn)
	if err != nil {
		t.Fatal(err)
	}
	msgs := map[string]string{}
	for _, f := range rep.Findings {
		if f.Phase == finding.Dynamic {
			msgs[f.Rule] = f.Message
		}
	}
	want := fmt.Sprintf("StatefulSet minio: 0/4 pods Ready\n  why: the static phase found K8S-004 at %s:%d: %s", cause.File, cause.Line, cause.Message)
	if msgs["DYN-012"] != want {
		t.Errorf("DYN-012:\n got %q\nwant %q", msgs["DYN-012"], want)
	}
	if msgs["DYN-015"] != "minio-1 came back without its objects" {
		t.Errorf("DYN-015 (its cause, K8S-024, was not found) gained %q", msgs["DYN-015"])
	}
	if msgs["DYN-019"] != "labcheck set imagePullPolicy" {
		t.Errorf("DYN-019 (informational) gained %q", msgs["DYN-019"])
	}
}

// TestExplainedByNamesStaticRulesOfTheLab: a dynamic check's causes are
// static rules that exist, and can be raised in the check's lab (a Helm
// check's may be Kubernetes rules, which the derived stage runs on the
// rendered chart).
func TestExplainedByNamesStaticRulesOfTheLab(t *testing.T) {
	eng, err := Engine()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eng.Rules() {
		for _, id := range r.ExplainedBy {
			cause, ok := eng.Rule(id)
			switch {
			case !ok:
				t.Errorf("%s is explained by %s, which no rule defines", r.ID, id)
			case cause.Phase != finding.Static:
				t.Errorf("%s is explained by %s, which is not a static rule", r.ID, id)
			case cause.Lab != r.Lab && !(r.Lab == finding.Helm && cause.Lab == finding.Kubernetes):
				t.Errorf("%s (%s) is explained by %s of lab %s: its findings never fall in %s", r.ID, r.Lab, id, cause.Lab, r.Lab)
			}
		}
	}
}

func TestWithWhy(t *testing.T) {
	why := []string{"  why: the static phase found K8S-004 at a.yaml:9: x"}
	for _, tc := range []struct{ msg, want string }{
		{"0/4 Ready", "0/4 Ready\n" + why[0]},
		{"0/4 Ready\n  why: no DNS\n  pod minio-0: Running\n  events:", "0/4 Ready\n  why: no DNS\n" + why[0] + "\n  pod minio-0: Running\n  events:"},
		{"0/4 Ready\n  pod minio-0: Running", "0/4 Ready\n" + why[0] + "\n  pod minio-0: Running"},
	} {
		if got := withWhy(tc.msg, why); got != tc.want {
			t.Errorf("withWhy(%q):\n got %q\nwant %q", tc.msg, got, tc.want)
		}
	}
	if got := withWhy("a\nb", nil); got != "a\nb" {
		t.Errorf("no why lines changed the message: %q", got)
	}
}
