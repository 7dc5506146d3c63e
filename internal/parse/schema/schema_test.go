package schema

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/parse/manifest"
)

const statefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: minio
spec:
  serviceName: minio-headless
  replicas: 4
  selector:
    matchLabels: {app: minio}
  template:
    metadata:
      labels: {app: minio}
    spec:
      containers:
        - name: minio
          image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
          ports:
            - containerPort: 9000
          resources:
            limits: {memory: 1Gi}
`

func validate(t *testing.T, src string) []Error {
	t.Helper()
	objs, probs := manifest.Parse("m.yaml", []byte(src), manifest.DefaultLimits)
	if len(probs) > 0 || len(objs) != 1 {
		t.Fatalf("parse: %v %v", objs, probs)
	}
	return Validate(objs[0])
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Error
	}{
		{"valid", statefulSet, nil},
		{"unknown field with suggestion", replace(statefulSet, "  replicas: 4", "  replica: 4"), []Error{
			{Path: "spec.replica", Line: 7, Message: "unknown field spec.replica; did you mean replicas? (kubectl apply rejects unknown fields)"},
		}},
		{"unknown field in a list item", replace(statefulSet, "          image: quay", "          imagee: quay"), []Error{
			{Path: "spec.template.spec.containers[0].image", Line: 15, Message: "container minio has no image (spec.template.spec.containers[0].image is required)"},
			{Path: "spec.template.spec.containers[0].imagee", Line: 16, Message: "unknown field spec.template.spec.containers[0].imagee; did you mean image? (kubectl apply rejects unknown fields)"},
		}},
		{"wrong type and unknown field together", replace(replace(statefulSet, "  replicas: 4", `  replicas: "four"`), "  serviceName:", "  servicename:"), []Error{
			{Path: "spec.servicename", Line: 6, Message: "unknown field spec.servicename; did you mean serviceName? (kubectl apply rejects unknown fields)"},
			{Path: "spec.replicas", Line: 7, Message: `spec.replicas must be an integer, not the string "four"`},
		}},
		{"quoted number", replace(statefulSet, "- containerPort: 9000", `- containerPort: "9000"`), []Error{
			{Path: "spec.template.spec.containers[0].ports[0].containerPort", Line: 18, Message: `spec.template.spec.containers[0].ports[0].containerPort must be an integer, not the string "9000"; remove the quotes`},
		}},
		{"bad quantity", replace(statefulSet, "memory: 1Gi", "memory: 1GB"), []Error{
			{Path: `spec.template.spec.containers[0].resources.limits.memory`, Line: 20, Message: `spec.template.spec.containers[0].resources.limits.memory must be a quantity such as 500m, 2 or 1Gi, not the string "1GB"`},
		}},
		{"list where a mapping belongs", replace(statefulSet, "    matchLabels: {app: minio}", "    - app: minio"), []Error{
			{Path: "spec.selector", Line: 8, Message: "spec.selector must be a mapping of fields, not a list"},
		}},
		{"removed apiVersion", replace(statefulSet, "apps/v1", "apps/v1beta1"), []Error{
			{Path: "apiVersion", Line: 1, Message: "StatefulSet is served as apiVersion apps/v1, not apps/v1beta1 (removed or misspelt)"},
		}},
		{"kind typo", replace(statefulSet, "kind: StatefulSet", "kind: Statefulset"), []Error{
			{Path: "kind", Line: 2, Message: "unknown kind Statefulset; did you mean StatefulSet (apiVersion apps/v1)?"},
		}},
		{"custom resource", "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes: [{role: control-plane}]\n", nil},
		{"istio resource", "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec: {bogus: 1}\n", nil},
		{"no apiVersion", "kind: Service\nmetadata: {name: s}\n", []Error{
			{Path: "kind", Line: 1, Message: "Service has no apiVersion; write apiVersion: v1"},
		}},
		{"service port without port", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n    - name: http\n      targetPort: 9000\n", []Error{
			{Path: "spec.ports[0].port", Line: 6, Message: "spec.ports[0].port is required: the port number the Service listens on"},
		}},
		{"unknown field without a near name", replace(statefulSet, "  replicas: 4", "  size: 4"), []Error{
			{Path: "spec.size", Line: 7, Message: `unknown field spec.size: spec has no field "size" (kubectl apply rejects unknown fields)`},
		}},
		{"unknown field at the top", statefulSet + "specs: {}\n", []Error{
			{Path: "specs", Line: 21, Message: `unknown field specs; did you mean spec? (kubectl apply rejects unknown fields)`},
		}},
		{"annotation keys with dots", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    labcheck.dev/ignore: K8S-010=x\nstringdata: {a: b}\n", []Error{
			{Path: "stringdata", Line: 7, Message: "unknown field stringdata; did you mean stringData? (kubectl apply rejects unknown fields)"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, validate(t, tt.src)); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}

func TestLine(t *testing.T) {
	objs, _ := manifest.Parse("m.yaml", []byte(statefulSet), manifest.DefaultLimits)
	for path, want := range map[string]int{
		"spec.replicas": 7,
		"spec.template.spec.containers[0].resources.requests.cpu": 19,
		"spec.template.spec.containers[3]":                        14,
		`metadata.annotations["a.b/c"]`:                           3,
		"":                                                        1,
	} {
		if got := Line(objs[0], path); got != want {
			t.Errorf("Line(%s) = %d, want %d", path, got, want)
		}
	}
}

func replace(s, old, new string) string {
	out := ""
	found := false
	for i := 0; i < len(s); {
		if !found && len(s)-i >= len(old) && s[i:i+len(old)] == old {
			out += new
			i += len(old)
			found = true
			continue
		}
		out += string(s[i])
		i++
	}
	if !found {
		panic("replace: " + old + " not found")
	}
	return out
}
