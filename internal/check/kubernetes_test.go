package check

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/parse/manifest"
	"github.com/labcheck/labcheck/policies"
)

const typoStatefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: minio
  annotations:
    labcheck.dev/ignore: "K8S-003=scaled in the next lab; K8S-009"
spec:
  replica: 4
  serviceName: minio-headless
  selector:
    matchLabels: {app: minio}
  template:
    metadata:
      labels: {app: minio}
    spec:
      containers:
        - name: minio
          image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
`

func parseManifest(t testing.TB, file, src string) ([]manifest.Object, []manifest.Problem) {
	t.Helper()
	return manifest.Parse(file, []byte(src), manifest.DefaultLimits)
}

func TestKubernetesObjectsInput(t *testing.T) {
	objs, probs := parseManifest(t, "labs/kubernetes/sts.yaml", typoStatefulSet+"---\nkind: [\n")
	in := kubernetesObjectsInput(objs, probs, "labs/kubernetes").(kubernetesLab)
	want := []schemaError{{
		File: "labs/kubernetes/sts.yaml", Line: 8, Kind: "StatefulSet", Name: "minio", Path: "spec.replica",
		Message: "unknown field spec.replica; did you mean replicas? (kubectl apply rejects unknown fields)",
	}}
	if diff := cmp.Diff(want, in.SchemaErrors); diff != "" {
		t.Errorf("schema errors (-want +got):\n%s", diff)
	}
	if len(in.Problems) != 1 || in.Problems[0].Line != 20 {
		t.Errorf("problems = %+v, want the invalid second document at line 20", in.Problems)
	}
	if in.Expected.Dir != "labs/kubernetes" || len(in.Objects) != 1 {
		t.Errorf("expected %q, %d objects", in.Expected.Dir, len(in.Objects))
	}
}

// The policies rely on every list being present, even when empty.
func TestKubernetesObjectsInputEmptyIsJSONLists(t *testing.T) {
	data, err := json.Marshal(kubernetesObjectsInput(nil, nil, "labs/kubernetes"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"objects":[],"problems":[],"schema_errors":[],"expected":{"dir":"labs/kubernetes"}}`
	if string(data) != want {
		t.Errorf("got %s, want %s", data, want)
	}
}

func TestParseIgnore(t *testing.T) {
	tests := []struct {
		text string
		want []Waiver
	}{
		{"", []Waiver{}},
		{"K8S-011=lab value", []Waiver{{Rule: "K8S-011", Reason: "lab value"}}},
		{"K8S-011=one, two; K8S-012", []Waiver{{Rule: "K8S-011", Reason: "one, two"}, {Rule: "K8S-012"}}},
		{"K8S-011, K8S-013 = why", []Waiver{{Rule: "K8S-011"}, {Rule: "K8S-013", Reason: "why"}}},
		{"no rule here", []Waiver{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, parseIgnore(tt.text)); diff != "" {
			t.Errorf("parseIgnore(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}

func TestKubernetesWaivers(t *testing.T) {
	objs, _ := parseManifest(t, "sts.yaml", typoStatefulSet)
	ws := kubernetesWaivers(objs)
	covers := func(rule string, line int) bool {
		return slices.ContainsFunc(ws, func(w Waiver) bool { return w.Rule == rule && w.File == "sts.yaml" && w.Line == line })
	}
	if !covers("K8S-003", 8) || !covers("K8S-009", 17) || !covers("K8S-003", 1) {
		t.Errorf("waivers do not cover the object's lines: %+v", ws)
	}
	if covers("K8S-003", 40) {
		t.Error("a waiver covers a line outside the object")
	}
	for _, w := range ws {
		if w.Rule == "K8S-003" && w.Reason != "scaled in the next lab" {
			t.Errorf("reason %q", w.Reason)
		}
	}
}

func kubernetesEngine(tb testing.TB) *engine.Engine {
	tb.Helper()
	eng, err := engine.Load(policies.FS)
	if err != nil {
		tb.Fatal(err)
	}
	return eng
}

func TestKubernetesLabOnFixtures(t *testing.T) {
	eng := kubernetesEngine(t)
	run := func(fixture string) []finding.Finding {
		res, err := Run(context.Background(), eng, []string{filepath.Join("..", "..", "fixtures", fixture, "labs")}, Options{Labs: []finding.Lab{finding.Kubernetes}})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Submitted[finding.Kubernetes] {
			t.Errorf("%s: the kubernetes lab is not marked submitted", fixture)
		}
		return res.Findings
	}
	if fs := run("passing"); len(fs) != 0 {
		t.Errorf("passing fixture: %v", fs)
	}
	fs := run("k8s-waiver")
	if len(fs) != 1 || !fs[0].Suppressed || fs[0].Rule != "K8S-014" {
		t.Errorf("k8s-waiver: want one suppressed K8S-014, got %+v", fs)
	}
}

// BenchmarkKubernetesLab measures the lab on the full-marks submission:
// discovery, YAML parsing, schema validation and policy evaluation, with
// the policies compiled once (as one process does).
func BenchmarkKubernetesLab(b *testing.B) {
	eng := kubernetesEngine(b)
	paths := []string{filepath.Join("..", "..", "fixtures", "passing", "labs")}
	opts := Options{Labs: []finding.Lab{finding.Kubernetes}}
	if _, err := Run(context.Background(), eng, paths, opts); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Run(context.Background(), eng, paths, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKubernetesInput measures building the input alone: YAML
// parsing and strict schema validation of the full-marks manifests.
func BenchmarkKubernetesInput(b *testing.B) {
	var objs []manifest.Object
	for _, f := range []string{"00-namespace.yaml", "01-resourcequota.yaml", "02-secret.yaml", "03-storageclass.yaml", "04-services.yaml", "05-statefulset.yaml", "06-pdb.yaml"} {
		data := kubernetesFixture(b, filepath.Join("passing", "labs", "kubernetes", f))
		o, _ := manifest.Parse(f, data, manifest.DefaultLimits)
		objs = append(objs, o...)
	}
	for b.Loop() {
		kubernetesObjectsInput(objs, nil, "labs/kubernetes")
	}
}

func kubernetesFixture(tb testing.TB, rel string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", rel))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// hostileManifests are valid YAML with values of every wrong shape in the
// places the policies read. None may make evaluation fail or blow up: each
// is at worst a finding.
var hostileManifests = []string{
	"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: minio}\nspec: [1, 2]\n",
	"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: minio\nspec: {replicas: four, template: x}\n",
	"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: minio}\nspec:\n  replicas: -1000000000\n  serviceName: 7\n  template: {spec: {containers: [{name: m, image: minio/minio:1, args: [server, 'http://minio-{0...99999999}.h.ns.svc/data{0...9999999}']}]}}\n",
	"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: minio}\nspec:\n  replicas: 1000000000000\n  template: {spec: {containers: [{name: m, image: minio/minio:1, args: [server, 'http://minio-{3...1}.h/data'], resources: {limits: {memory: lots}}}]}}\n  volumeClaimTemplates: [{metadata: {name: d}, spec: {storageClassName: 5, resources: {requests: {storage: [1]}}}}]\n",
	"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: minio}\nspec:\n  replicas: 2.5\n  selector: {matchLabels: [a], matchExpressions: {x: 1}}\n  template: {metadata: {labels: [x]}, spec: {containers: {name: m}, securityContext: [1], affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, podAffinityTerm: []}]}}}}\n",
	"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: minio}\nspec:\n  replicas: 0\n  template: {spec: {containers: [{name: m, image: 5, command: [7, {a: b}], env: [{name: MINIO_VOLUMES, value: 9}, {name: MINIO_STORAGE_CLASS_STANDARD, value: 'EC:99'}, {name: MINIO_ROOT_PASSWORD, valueFrom: {secretKeyRef: {name: 1, key: []}}}], ports: [{containerPort: x, hostPort: y}], livenessProbe: {httpGet: {path: 3, port: [1]}}, volumeMounts: [{name: 1, mountPath: 2}], securityContext: {runAsUser: root, capabilities: {add: [1, null]}}}]}}\n",
	"apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {clusterIP: 1, selector: [a], ports: {a: 1}}\n",
	"apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: x}, ports: [1, {targetPort: {}}]}\n",
	"apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {maxUnavailable: '%', minAvailable: x%, selector: {matchLabels: {app.kubernetes.io/name: minio}}}\n",
	"apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {requests.cpu: [1], limits.memory: -1, pods: x, 'a.storageclass.storage.k8s.io/requests.storage': 1}}\n",
	"apiVersion: v1\nkind: Secret\nmetadata: {name: s, annotations: {labcheck.dev/ignore: 5}}\ndata: [1]\n",
	"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: sc}\nprovisioner: [1]\nvolumeBindingMode: {}\n",
	"kind: 5\napiVersion: []\nmetadata: {namespace: [1]}\n",
}

func TestKubernetesHostileInput(t *testing.T) {
	eng := kubernetesEngine(t)
	base := "fixtures/passing/labs/kubernetes/"
	for i, doc := range hostileManifests {
		objs, probs := parseManifest(t, "hostile.yaml", doc)
		for _, f := range []string{"01-resourcequota.yaml", "04-services.yaml", "05-statefulset.yaml", "06-pdb.yaml"} {
			o, _ := manifest.Parse(base+f, kubernetesFixture(t, filepath.Join("passing", "labs", "kubernetes", f)), manifest.DefaultLimits)
			objs = append(objs, o...)
		}
		if _, err := eng.Evaluate(context.Background(), finding.Kubernetes, kubernetesObjectsInput(objs, probs, "labs/kubernetes")); err != nil {
			t.Errorf("document %d: %v", i, err)
		}
	}
}
