package check

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/parse/manifest"
	"github.com/labcheck/labcheck/policies"
)

const meshService = `apiVersion: v1
kind: Service
metadata:
  name: minio
  namespace: minio
spec:
  ports:
    - name: http-api
      port: 9000
`

func virtualService(host string) string {
	return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: minio
  namespace: minio
  annotations:
    labcheck.dev/ignore: "ISTIO-002=bound in the next lab"
spec:
  hosts: [minio.example.com]
  htpp: []
  http:
    - route:
        - destination:
            host: ` + host + `
`
}

// writeTree writes files (slash paths) under a temp folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
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

func TestIstioInputReadsTheWholeSubmission(t *testing.T) {
	root := writeTree(t, map[string]string{
		"labs/istio/vs.yaml":           virtualService("minio"),
		"labs/kubernetes/service.yaml": meshService,
	})
	tree, err := discover.Walk(root, discover.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	li, err := istioInput(context.Background(), &submission{trees: []*discover.Tree{tree}})
	if err != nil {
		t.Fatal(err)
	}
	in := li.input.(istioLab)
	if !li.submitted {
		t.Error("the lab has an Istio object but is not marked submitted")
	}
	kinds := func(objs []manifest.Object) []string {
		var out []string
		for _, o := range objs {
			out = append(out, o.Kind)
		}
		return out
	}
	if diff := cmp.Diff([]string{"VirtualService"}, kinds(in.Objects)); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Service"}, kinds(in.Kubernetes)); diff != "" {
		t.Errorf("kubernetes objects (-want +got):\n%s", diff)
	}
	if len(in.SchemaErrors) != 1 || in.SchemaErrors[0].Line != 10 || in.SchemaErrors[0].Path != "spec.htpp" {
		t.Errorf("schema errors = %+v, want spec.htpp at line 10", in.SchemaErrors)
	}
	if !strings.HasSuffix(in.Expected.Dir, "labs/istio") {
		t.Errorf("expected dir = %q", in.Expected.Dir)
	}
	if !slices.ContainsFunc(li.waivers, func(w Waiver) bool { return w.Rule == "ISTIO-002" && w.Reason == "bound in the next lab" }) {
		t.Errorf("waivers = %+v, want ISTIO-002 from the annotation", li.waivers)
	}
}

// TestIstioLabAloneSeesKubernetesServices checks --lab istio: only the
// istio lab is judged, but its routes resolve against the kubernetes lab.
func TestIstioLabAloneSeesKubernetesServices(t *testing.T) {
	eng, err := engine.Load(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		host string
		want bool
	}{{"minio", false}, {"minio.minio.svc.cluster.local", false}, {"minio-svc", true}} {
		root := writeTree(t, map[string]string{
			"labs/istio/vs.yaml":           virtualService(tt.host),
			"labs/kubernetes/service.yaml": meshService,
		})
		res, err := Run(context.Background(), eng, []string{root}, Options{Labs: []finding.Lab{finding.Istio}})
		if err != nil {
			t.Fatal(err)
		}
		got := slices.ContainsFunc(res.Findings, func(f finding.Finding) bool { return f.Rule == "ISTIO-004" })
		if got != tt.want {
			t.Errorf("host %s: ISTIO-004 reported = %v, want %v; findings: %v", tt.host, got, tt.want, res.Findings)
		}
		for _, f := range res.Findings {
			if f.Lab != finding.Istio {
				t.Errorf("--lab istio reported a %s finding: %v", f.Lab, f)
			}
		}
	}
}

// TestIstioInputIncludesRenderedChart: the mesh may route to the Services
// of the Helm chart, rendered in the release namespace.
func TestIstioInputIncludesRenderedChart(t *testing.T) {
	tree, err := discover.Walk("../../fixtures/passing/labs", discover.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	li, err := istioInput(context.Background(), &submission{trees: []*discover.Tree{tree}})
	if err != nil {
		t.Fatal(err)
	}
	var services []string
	for _, o := range li.input.(istioLab).Rendered {
		if o.Kind == "Service" {
			services = append(services, o.Namespace+"/"+o.Name+" from "+o.File)
		}
	}
	if len(services) == 0 {
		t.Fatal("no rendered Service in the istio input")
	}
	for _, s := range services {
		if !strings.HasPrefix(s, "minio/") || !strings.Contains(s, "labs/helm/minio/templates/") {
			t.Errorf("rendered Service %s: want namespace minio and a template file", s)
		}
	}
	t.Log(services)
}

// BenchmarkIstioLab is the istio lab alone on the full-marks submission,
// policies compiled: discover, parse (and render the chart it routes to),
// validate against Istio's types, evaluate.
func BenchmarkIstioLab(b *testing.B) {
	eng, err := engine.Load(policies.FS)
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Labs: []finding.Lab{finding.Istio}}
	for b.Loop() {
		if _, err := Run(context.Background(), eng, []string{"../../fixtures/passing/labs"}, opts); err != nil {
			b.Fatal(err)
		}
	}
}
