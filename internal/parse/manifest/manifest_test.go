package manifest

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func TestLinesOfFields(t *testing.T) {
	src := `# a comment
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: minio
  namespace: minio
  annotations:
    labcheck.dev/ignore: "K8S-011=lab cluster"
spec:
  replicas: 4
  template:
    spec:
      containers:
        - name: minio
          resources:
            limits: {cpu: 500m}
`
	objs, probs := Parse("sts.yaml", []byte(src), DefaultLimits)
	if len(probs) != 0 {
		t.Fatalf("problems: %+v", probs)
	}
	o := objs[0]
	if o.Kind != "StatefulSet" || o.Name != "minio" || o.Namespace != "minio" || o.Line != 2 {
		t.Errorf("object header = %s %s/%s line %d", o.Kind, o.Namespace, o.Name, o.Line)
	}
	for path, line := range map[string]int{
		"spec.replicas": 10,
		`metadata.annotations["labcheck.dev/ignore"]`:           8,
		"spec.template.spec.containers[0]":                      14,
		"spec.template.spec.containers[0].resources":            15,
		"spec.template.spec.containers[0].resources.limits.cpu": 16,
	} {
		if got := o.Lines[path]; got != line {
			t.Errorf("line of %s = %d, want %d", path, got, line)
		}
	}
	if got := o.Object["spec"].(map[string]any)["replicas"]; got != 4 {
		t.Errorf("replicas = %#v, want int 4", got)
	}
}

func TestDocumentsAnchorsAndMerges(t *testing.T) {
	src := `defaults: &res
  cpu: 100m
  memory: 128Mi
---
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
data:
  <<: *res
  cpu: 200m
---
- just
- a list
---
key: [unclosed
`
	objs, probs := Parse("m.yaml", []byte(src), DefaultLimits)
	if len(objs) != 2 {
		t.Fatalf("objects = %d, want 2", len(objs))
	}
	want := map[string]any{"cpu": "200m", "memory": "128Mi"}
	if diff := cmp.Diff(want, objs[1].Object["data"]); diff != "" {
		t.Errorf("merged data (-want +got):\n%s", diff)
	}
	if objs[1].Doc != 2 {
		t.Errorf("doc index = %d, want 2 (empty documents count)", objs[1].Doc)
	}
	if len(probs) != 2 || !strings.Contains(probs[0].Message, "document 4 is a list") || probs[0].Line != 13 || !strings.HasPrefix(probs[1].Message, "invalid YAML") {
		t.Errorf("problems = %+v", probs)
	}
}

func TestDuplicateKeys(t *testing.T) {
	_, probs := Parse("d.yaml", []byte("kind: A\nspec:\n  replicas: 3\n  replicas: 4\n"), DefaultLimits)
	if len(probs) != 1 || probs[0].Line != 4 || !strings.Contains(probs[0].Message, "spec.replicas is defined twice (lines 3 and 4)") {
		t.Errorf("problems = %+v", probs)
	}
}

// TestHostileYAML: alias bombs and deep nesting are refused quickly.
func TestHostileYAML(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("a: &a [x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for i := range 12 {
		name := string(rune('b' + i))
		bomb.WriteString(name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 8) + "*" + prev + "]\n")
		prev = name
	}
	deep := "a: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"
	for name, src := range map[string]string{"alias bomb": bomb.String(), "deep nesting": deep} {
		t.Run(name, func(t *testing.T) {
			done := make(chan []Problem)
			go func() {
				_, probs := Parse("x.yaml", []byte(src), DefaultLimits)
				done <- probs
			}()
			select {
			case probs := <-done:
				if len(probs) != 1 {
					t.Errorf("problems = %+v, want one refusal", probs)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("Parse did not return: the limits do not bound the work")
			}
		})
	}
}

// FuzzParse checks that no input makes the reader panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n- x\n"))
	f.Add([]byte("a: &a {b: *a}\n"))
	f.Add([]byte("<<: [*x, {y: 1}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Parse("f.yaml", data, Limits{MaxDepth: 32, MaxNodes: 5000})
	})
}

// TestStringScalarsAreTheirText pins what Parse relies on to skip a
// decoder per scalar: a scalar yaml.v3 resolves to !!str decodes to its
// text, whatever its style or look.
func TestStringScalarsAreTheirText(t *testing.T) {
	src := `a: plain
b: "true"
c: 'yes'
d: yes
e: on
f: |
  literal
  block
g: >
  folded
  text
h: !!str 12
i: "0x1F"
j: 1.0.3
k: ""
l: "a\tb\u00e9"
m: 2026-12-01
n: ~x
o: =
`
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	strs := 0
	content := doc.Content[0].Content
	for i := 1; i < len(content); i += 2 {
		n := content[i]
		if n.ShortTag() != "!!str" {
			continue
		}
		strs++
		var v any
		if err := n.Decode(&v); err != nil || v != n.Value {
			t.Errorf("%q (%s): decodes to %#v (%v), not its text", n.Value, n.ShortTag(), v, err)
		}
	}
	if strs < 12 {
		t.Errorf("only %d string scalars: the test no longer covers the styles", strs)
	}
}
