package check

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/parse/manifest"
	"github.com/labcheck/labcheck/internal/render"
	"github.com/labcheck/labcheck/policies"
)

var helmEngineOnce = sync.OnceValues(func() (*engine.Engine, error) { return engine.Load(policies.FS) })

func helmEngine(t testing.TB) *engine.Engine {
	t.Helper()
	eng, err := helmEngineOnce()
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

func findingsOf(fs []finding.Finding, rule string) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

const minimalChart = "apiVersion: v2\nname: minio\nversion: 0.1.0\nappVersion: \"1\"\n"

// TestRunawayChartIsBounded proves the sandbox's time limit end to end: a
// chart whose template loops for about a second against a 100ms limit is
// reported, and the other labs are still checked. It asserts the finding,
// not a duration.
func TestRunawayChartIsBounded(t *testing.T) {
	defer func(l render.Limits) { render.DefaultLimits = l }(render.DefaultLimits)
	render.DefaultLimits.Timeout = 100 * time.Millisecond
	root := writeTree(t, map[string]string{
		"labs/helm/minio/Chart.yaml":          minimalChart,
		"labs/helm/minio/templates/cm.yaml":   "a: 1\n{{- range until 3000 }}{{- range until 3000 }}{{- end }}{{- end }}\n",
		"labs/helm/minio/ci/more-values.yaml": "a: 2\n",
		"labs/docker/Dockerfile":              "FROM alpine:latest\n",
	})
	res, err := Run(context.Background(), helmEngine(t), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	limits := findingsOf(res.Findings, "HELM-011")
	if len(limits) != 1 || !strings.HasSuffix(limits[0].File, "labs/helm/minio/templates/cm.yaml") || limits[0].Line != 2 {
		t.Errorf("want one HELM-011 at templates/cm.yaml:2, got %v", limits)
	}
	if len(findingsOf(res.Findings, "DOCKER-002")) != 1 {
		t.Errorf("the docker lab was not checked alongside the runaway chart: %v", res.Findings)
	}
}

// TestKubernetesRulesOnRenderedChart checks that the Kubernetes rules run on
// rendered manifests, that their findings land under the helm lab with
// their K8S ids at template lines, that a finding only a ci values file
// causes says so, and that HELM-012 sums them up.
func TestKubernetesRulesOnRenderedChart(t *testing.T) {
	root := writeTree(t, map[string]string{
		"labs/helm/minio/Chart.yaml":           minimalChart,
		"labs/helm/minio/values.yaml":          "replicaCount: 4\nimage: {repository: quay.io/minio/minio, tag: RELEASE.2025-04-22T22-12-26Z}\n",
		"labs/helm/minio/ci/small-values.yaml": "replicaCount: 2\n",
		"labs/helm/minio/templates/sts.yaml": `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels: {app: minio}
  template:
    metadata:
      labels: {app: minio}
    spec:
      containers:
        - name: minio
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          args: [server, /data]
`,
	})
	res, err := Run(context.Background(), helmEngine(t), []string{root}, Options{Labs: []finding.Lab{finding.Helm}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findingsOf(res.Findings, "K8S-003") {
		got = append(got, strings.TrimPrefix(f.File, filepath.ToSlash(root)+"/")+":"+strconv.Itoa(f.Line)+" "+string(f.Severity)+" "+lastWords(f.Message))
	}
	want := []string{"labs/helm/minio/templates/sts.yaml:6 info (with ci/small-values.yaml); counted by HELM-012"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("K8S-003 findings (-want +got):\n%s", diff)
	}
	if sums := findingsOf(res.Findings, "HELM-012"); len(sums) != 1 || sums[0].Severity != finding.Error {
		t.Errorf("want one HELM-012 error summing up the Kubernetes findings, got %v", sums)
	}
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Rule, "K8S-") && (f.Lab != finding.Helm || f.Severity != finding.Info) {
			t.Errorf("%s on the chart is a %s of the %s lab; one defect is one error, HELM-012's", f.Rule, f.Severity, f.Lab)
		}
	}
}

// TestChartIsNotChargedForItsNamespace: a chart that ships no
// ResourceQuota is installed into a namespace whose quota is someone
// else's (K8S-022 does not judge it); a quota the chart does ship is
// judged.
func TestChartIsNotChargedForItsNamespace(t *testing.T) {
	sts := "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: minio\nspec:\n  replicas: 4\n  selector: {matchLabels: {app: minio}}\n  template:\n    metadata: {labels: {app: minio}}\n    spec:\n      containers:\n        - {name: minio, image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z, args: [server, /data]}\n"
	for _, tc := range []struct {
		name  string
		quota string
		want  int
	}{
		{"no quota shipped", "", 0},
		{"a quota that caps nothing", "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: minio\nspec:\n  hard:\n    pods: \"10\"\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"labs/helm/minio/Chart.yaml": minimalChart, "labs/helm/minio/templates/sts.yaml": sts}
			if tc.quota != "" {
				files["labs/helm/minio/templates/quota.yaml"] = tc.quota
			}
			res, err := Run(context.Background(), helmEngine(t), []string{writeTree(t, files)}, Options{Labs: []finding.Lab{finding.Helm}})
			if err != nil {
				t.Fatal(err)
			}
			if got := findingsOf(res.Findings, "K8S-022"); len(got) != tc.want {
				t.Errorf("want %d K8S-022, got %v", tc.want, got)
			}
			for _, f := range findingsOf(res.Findings, "HELM-012") {
				if strings.Contains(f.Message, "K8S-022") != (tc.want > 0) {
					t.Errorf("HELM-012 %q", f.Message)
				}
			}
		})
	}
}

func lastWords(s string) string {
	if i := strings.LastIndex(s, "("); i > 0 {
		return s[i:]
	}
	return ""
}

func TestSymlinkOutOfChartIsRefused(t *testing.T) {
	root := writeTree(t, map[string]string{
		"labs/helm/minio/Chart.yaml": minimalChart,
		"labs/kubernetes/sts.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: borrowed\n",
	})
	link := filepath.Join(root, "labs/helm/minio/templates/borrowed.yaml")
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../kubernetes/sts.yaml", link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	tree, err := discover.Walk(root, discover.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	s := &submission{trees: []*discover.Tree{tree}}
	charts := s.rendered(context.Background())
	if len(charts) != 1 || len(charts[0].Refused) != 1 || !strings.Contains(charts[0].Refused[0].Message, "leads outside the chart") {
		t.Fatalf("want the symlink refused, got %+v", charts)
	}
	for _, r := range charts[0].Renders {
		if len(r.Manifests) > 0 {
			t.Errorf("the refused file was rendered: %+v", r.Manifests)
		}
	}
}

func TestRenderedOncePerSubmission(t *testing.T) {
	root := writeTree(t, map[string]string{"labs/helm/minio/Chart.yaml": minimalChart, "labs/helm/minio/templates/a.yaml": "a: 1\n"})
	tree, err := discover.Walk(root, discover.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	s := &submission{trees: []*discover.Tree{tree}}
	var wg sync.WaitGroup
	got := make([][]renderedChart, 4)
	for i := range got {
		wg.Go(func() { got[i] = s.rendered(context.Background()) })
	}
	wg.Wait()
	for _, g := range got[1:] {
		if &g[0] != &got[0][0] {
			t.Fatal("the submission's charts were rendered more than once")
		}
	}
	if objs := got[0][0].Renders[0].Manifests; len(objs) != 1 {
		t.Errorf("want the one template rendered, got %+v", objs)
	}
}

func TestSubchartsRenderWithTheirParent(t *testing.T) {
	root := writeTree(t, map[string]string{
		"labs/helm/minio/Chart.yaml":                      minimalChart,
		"labs/helm/minio/templates/a.yaml":                "a: 1\n",
		"labs/helm/minio/charts/console/Chart.yaml":       "apiVersion: v2\nname: console\nversion: 1.0.0\n",
		"labs/helm/minio/charts/console/templates/b.yaml": "b: {{ .Release.Name }}\n",
	})
	// PATH may be the submission, or the chart folder itself.
	for _, arg := range []string{root, filepath.Join(root, "labs/helm/minio")} {
		tree, err := discover.Walk(arg, discover.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		s := &submission{trees: []*discover.Tree{tree}}
		charts := s.rendered(context.Background())
		if len(charts) != 1 {
			t.Fatalf("%s: want the subchart rendered inside its parent, got %d charts", arg, len(charts))
		}
		var templates []string
		for _, m := range charts[0].Renders[0].Manifests {
			templates = append(templates, m.Template)
		}
		if diff := cmp.Diff([]string{"charts/console/templates/b.yaml", "templates/a.yaml"}, templates); diff != "" {
			t.Errorf("%s: rendered templates (-want +got):\n%s", arg, diff)
		}
	}
}

// TestHelmIgnoreAppliesFirst: files the chart's .helmignore leaves out
// are neither read as templates nor reported (a binary image under an
// ignored folder is no HELM-000); ci values stay, as chart-testing reads
// them whatever .helmignore says.
func TestHelmIgnoreAppliesFirst(t *testing.T) {
	root := writeTree(t, map[string]string{
		"labs/helm/minio/Chart.yaml":         minimalChart,
		"labs/helm/minio/.helmignore":        "img/\nci/\n*.md\n",
		"labs/helm/minio/img/topology.png":   "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
		"labs/helm/minio/templates/notes.md": "{{ .Broken",
		"labs/helm/minio/templates/cm.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  n: {{ .Values.n | quote }}\n",
		"labs/helm/minio/ci/two-values.yaml": "n: 2\n",
		"labs/helm/minio/docs/diagram.png":   "\x89PNG\r\n\x1a\n\x00\x00",
	})
	res, err := Run(context.Background(), helmEngine(t), []string{root}, Options{Labs: []finding.Lab{finding.Helm}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findingsOf(res.Findings, "HELM-000") {
		got = append(got, strings.TrimPrefix(f.File, filepath.ToSlash(root)+"/"))
	}
	// docs/ is not ignored: Helm would read the binary file into the chart
	// and render it all the same; labcheck says it did not read it.
	if len(got) != 0 {
		t.Errorf("HELM-000 on a chart helm template renders: %v", got)
	}
	if w := findingsOf(res.Findings, "HELM-013"); len(w) != 1 || !strings.HasSuffix(w[0].File, "docs/diagram.png") || w[0].Severity != finding.Info {
		t.Errorf("want one HELM-013 about docs/diagram.png, got %v", w)
	}
	tree, err := discover.Walk(root, discover.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	charts := (&submission{trees: []*discover.Tree{tree}}).rendered(context.Background())
	if n := len(charts[0].Renders); n != 2 {
		t.Errorf("want the defaults and ci/two-values.yaml rendered, got %d renders", n)
	}
	for _, f := range charts[0].Files {
		if strings.HasSuffix(f.Rel, ".md") || strings.HasPrefix(f.Rel, "img/") {
			t.Errorf("ignored file %s was kept", f.Rel)
		}
	}
}

func TestCandidateLines(t *testing.T) {
	objs := []manifest.Object{{
		File: "t.yaml", Line: 1,
		Lines: map[string]int{
			"apiVersion": 1, "spec": 5, "spec.template": 9, "spec.template.spec": 12,
			"spec.template.spec.containers": 13, "spec.template.spec.containers[0]": 14,
			"spec.template.spec.containers[0].name": 14, "spec.template.spec.containers[0].resources": 16,
			"spec.template.spec.containers[0].resources.limits": 17, "spec.template.spec.containers[0].resources.limits.cpu": 18,
		},
	}}
	got := candidateLines(objs, "t.yaml", 18)
	if diff := cmp.Diff([]int{18, 17, 16, 14, 13, 12, 9, 5, 1}, got); diff != "" {
		t.Errorf("candidate lines (-want +got):\n%s", diff)
	}
	if got := candidateLines(objs, "other.yaml", 18); !slices.Equal(got, []int{18}) {
		t.Errorf("another file's line: %v", got)
	}
}

func TestParentPath(t *testing.T) {
	for p, want := range map[string]string{
		"spec.template.spec.containers[0].image":    "spec.template.spec.containers[0]",
		"spec.template.spec.containers[0]":          "spec.template.spec.containers",
		`metadata.labels["app.kubernetes.io/name"]`: "metadata.labels",
		"spec": "",
	} {
		if got := parentPath(p); got != want {
			t.Errorf("parentPath(%q) = %q, want %q", p, got, want)
		}
	}
}

// BenchmarkHelmLab measures the helm lab on the full-marks chart: discovery,
// rendering (defaults and ci values), the Kubernetes rules on both renders
// and the Helm rules.
//
//	go test ./internal/check -run '^$' -bench HelmLab -benchmem
func BenchmarkHelmLab(b *testing.B) {
	eng := helmEngine(b)
	opts := Options{Labs: []finding.Lab{finding.Helm}}
	for b.Loop() {
		res, err := Run(context.Background(), eng, []string{"../../fixtures/passing/labs"}, opts)
		if err != nil || len(res.Findings) != 0 {
			b.Fatalf("%v %v", err, res.Findings)
		}
	}
}

func TestHelmInputFacts(t *testing.T) {
	tree, err := discover.Walk("../../fixtures/passing/labs", discover.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	li, err := helmInput(context.Background(), &submission{trees: []*discover.Tree{tree}})
	if err != nil {
		t.Fatal(err)
	}
	in := li.input.(helmLab)
	if len(in.Charts) != 1 || len(in.Problems)+len(in.CIProblems)+len(in.Limits)+len(in.Withheld) != 0 || !li.submitted {
		t.Fatalf("want one clean chart, got %+v", in)
	}
	c := in.Charts[0]
	type facts struct {
		Dir, Values       string
		Version           chartVersion
		ImageTagLine      int
		Helpers           bool
		StatefulSetUses   []named
		ReplicasValue     string
		Renders           []chartRender
		KubernetesChecked bool
	}
	var sts chartTemplate
	for _, tpl := range c.Templates {
		if tpl.Path == "templates/statefulset.yaml" {
			sts = tpl
		}
	}
	var replicas string
	for _, k := range sts.Keys {
		if k.Key == "replicas" {
			replicas = k.Value
		}
	}
	got := facts{c.Dir, c.Values.File, c.Version, c.Values.Lines["image.tag"], c.Helpers.Present, sts.Includes[:2], replicas, c.Renders, c.Kubernetes != nil}
	want := facts{
		Dir: "../../fixtures/passing/labs/helm/minio", Values: "../../fixtures/passing/labs/helm/minio/values.yaml",
		Version: chartVersion{Helm: true, Semver: true}, ImageTagLine: 6, Helpers: true,
		StatefulSetUses: []named{{"minio.fullname", 4}, {"minio.labels", 7}},
		ReplicasValue:   "{{ .Values.replicaCount }}",
		Renders: []chartRender{
			{Values: "../../fixtures/passing/labs/helm/minio/values.yaml", Rendered: true, Objects: 7},
			{Values: "../../fixtures/passing/labs/helm/minio/ci/six-nodes-values.yaml", Rendered: true, Objects: 7},
		},
		KubernetesChecked: true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("helm input facts (-want +got):\n%s", diff)
	}
}

// TestWaivedKubernetesFindingsWaiveTheSummary: a K8S finding waived in a
// template (the labcheck.dev/ignore annotation) is suppressed, and so is
// HELM-012 when it sums up nothing else, so the grader's waiver policy
// decides for both.
func TestWaivedKubernetesFindingsWaiveTheSummary(t *testing.T) {
	chart := map[string]string{}
	dir := "../../fixtures/passing/labs/helm/minio"
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		chart["labs/helm/minio/"+filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sts := chart["labs/helm/minio/templates/statefulset.yaml"]
	sts = strings.Replace(sts, "  podManagementPolicy: Parallel\n", "", 1)
	for _, tc := range []struct {
		name, annotation string
		waived           bool
	}{
		{"all waived", "K8S-009=the lab cluster starts pods one by one", true},
		{"another rule waived", "K8S-003=not this one", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chart["labs/helm/minio/templates/statefulset.yaml"] = strings.Replace(sts, "  labels:\n", "  annotations:\n    labcheck.dev/ignore: \""+tc.annotation+"\"\n  labels:\n", 1)
			res, err := Run(context.Background(), helmEngine(t), []string{writeTree(t, chart)}, Options{Labs: []finding.Lab{finding.Helm}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Rule+" suppressed="+strconv.FormatBool(f.Suppressed))
			}
			want := []string{"HELM-012 suppressed=" + strconv.FormatBool(tc.waived), "K8S-009 suppressed=" + strconv.FormatBool(tc.waived)}
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVersionFactsNameTheDefect(t *testing.T) {
	for v, want := range map[string]chartVersion{
		"0.1.0":     {Helm: true, Semver: true},
		"1.0":       {Helm: true, Why: "is a shorthand", Suggestion: "1.0.0"},
		"v1.2.3":    {Helm: true, Why: "starts with v", Suggestion: "1.2.3"},
		"2023.04.1": {Helm: true, Why: "has a leading zero in 04, which SemVer 2 forbids", Suggestion: "2023.4.1"},
		"first":     {},
	} {
		if diff := cmp.Diff(want, versionFacts(v)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", v, diff)
		}
	}
}

// TestChartRuleTableIsDocumented keeps internal/render/README.md's table of
// the Kubernetes rules on rendered charts in step with chartRules and with
// the rules that exist.
func TestChartRuleTableIsDocumented(t *testing.T) {
	data, err := os.ReadFile("../render/README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]string{}
	for _, l := range strings.Split(string(data), "\n") {
		cells := strings.Split(l, "|")
		if len(cells) > 3 && strings.HasPrefix(strings.TrimSpace(cells[1]), "K8S-") {
			documented[strings.TrimSpace(cells[1])] = strings.TrimSpace(cells[2])
		}
	}
	for _, r := range helmEngine(t).Rules() {
		if r.Lab != finding.Kubernetes || !strings.HasPrefix(r.ID, "K8S-") {
			continue // the dynamic phase's checks do not judge rendered text
		}
		doc, ok := documented[r.ID]
		if !ok {
			t.Errorf("%s is not in the README's table", r.ID)
			continue
		}
		cr, listed := chartRules[r.ID]
		want := "yes"
		switch {
		case listed && !cr.Applies:
			want = "no"
		case listed && cr.OnlyWith != "":
			want = "only when the chart ships a " + cr.OnlyWith
		}
		if doc != want {
			t.Errorf("%s: the README says %q, chartRules means %q", r.ID, doc, want)
		}
		delete(documented, r.ID)
	}
	for id := range documented {
		t.Errorf("the README's table lists %s, which is no Kubernetes rule", id)
	}
}
