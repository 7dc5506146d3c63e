package mesh

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/labcheck/labcheck/internal/deploy"
	"github.com/labcheck/labcheck/internal/parse/manifest"
)

func TestCRDs(t *testing.T) {
	crds, err := CRDs()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, c := range crds {
		names[c.GetName()] = true
	}
	for _, want := range []string{"virtualservices.networking.istio.io", "gateways.networking.istio.io", "destinationrules.networking.istio.io",
		"peerauthentications.security.istio.io", "authorizationpolicies.security.istio.io"} {
		if !names[want] {
			t.Errorf("embedded CRDs lack %s (have %d)", want, len(crds))
		}
	}
}

func TestServiceOf(t *testing.T) {
	for host, want := range map[string]string{
		"minio":                           "minio/app",
		"minio.storage":                   "minio/storage",
		"minio.storage.svc":               "minio/storage",
		"minio.storage.svc.cluster.local": "minio/storage",
		"minio.example.com":               "",
	} {
		name, ns, ok := serviceOf(host, "app")
		got := ""
		if ok {
			got = name + "/" + ns
		}
		if got != want {
			t.Errorf("serviceOf(%q) = %q, want %q", host, got, want)
		}
	}
}

const routes = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: minio, namespace: minio}
spec:
  hosts: [minio.example.com]
  http:
    - route:
        - destination:
            host: minio.minio.svc.cluster.local
            port: {number: 9000}
    - route:
        - destination:
            host: minio
            port: {number: 9999}
    - route:
        - destination:
            host: console.other.svc.cluster.local
    - route:
        - destination:
            host: s3.amazonaws.com
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: s3, namespace: minio}
spec:
  hosts: [s3.amazonaws.com]
`

func TestCrossCheck(t *testing.T) {
	ms, probs := manifest.Parse("labs/istio/vs.yaml", []byte(routes), manifest.DefaultLimits)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	objs, err := deploy.FromManifests(ms)
	if err != nil {
		t.Fatal(err)
	}
	kube := fake.NewClientset(&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "minio", Namespace: "minio"},
		Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 9000}, {Port: 9001}}}})
	checked, notes, err := CrossCheck(context.Background(), &deploy.Clients{Kube: kube}, objs)
	if err != nil {
		t.Fatal(err)
	}
	if checked != 2 || len(notes) != 2 {
		t.Fatalf("checked %d, notes %v", checked, notes)
	}
	if notes[0].Line != 13 || !strings.Contains(notes[0].Message, `host "minio": the deployed Service minio/minio has no port 9999 (it has 9000, 9001)`) {
		t.Errorf("port note %+v", notes[0])
	}
	if notes[1].Line != 17 || !strings.Contains(notes[1].Message, "no Service other/console is deployed") {
		t.Errorf("service note %+v", notes[1])
	}
}

// TestCRDsMatchTheModule: the embedded CRDs are the istio.io/api version
// go.mod requires (refresh with go generate ./internal/mesh).
func TestCRDsMatchTheModule(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "istio.io/api").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("istio.io/api is not in the module cache (%v): cannot compare", err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "kubernetes", "customresourcedefinitions.gen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(istioCRDs, want) {
		t.Error("crds/istio-crds.gen.yaml differs from the istio.io/api module's CRDs: run go generate ./internal/mesh")
	}
}
