package release

import (
	"bytes"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	helmrelease "helm.sh/helm/v3/pkg/release"

	"github.com/labcheck/labcheck/internal/deploy"
	"github.com/labcheck/labcheck/internal/discover"
)

const tpl = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ include "minio.fullname" . }}
spec:
  template:
    spec:
      containers:
        - name: minio
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          securityContext:
            privileged: {{ .Values.privileged }}
`

const rendered = `---
# Source: minio/templates/statefulset.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: minio
spec:
  template:
    spec:
      containers:
        - name: minio
          image: "quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z"
          securityContext:
            privileged: true
`

func installer() *Installer {
	return &Installer{
		o: Options{
			Chart:     discover.Chart{Path: "labs/helm/minio"},
			Namespace: "labcheck-helm",
			Adapter:   &deploy.Adapter{Images: []deploy.ImageRule{{Local: "labcheck.local/minio:dev", Repository: "quay.io/minio/minio"}}},
		},
		chart: &chart.Chart{Metadata: &chart.Metadata{Name: "minio"}},
		files: map[string][]byte{"templates/statefulset.yaml": []byte(tpl)},
	}
}

// TestObjectsPointAtTemplates: what the gate refuses in a rendered chart
// is reported at the template file and the line that wrote it.
func TestObjectsPointAtTemplates(t *testing.T) {
	in := installer()
	objs, notes := in.objects(rendered)
	if len(notes) > 0 || len(objs) != 1 {
		t.Fatalf("objects %v, notes %v", objs, notes)
	}
	o := objs[0]
	if o.File != "labs/helm/minio/templates/statefulset.yaml" || o.Line != 2 {
		t.Errorf("object at %s:%d", o.File, o.Line)
	}
	refusals := deploy.Gate(objs)
	if len(refusals) != 1 || refusals[0].Line != 12 || !strings.Contains(refusals[0].Message, "container minio is privileged") {
		t.Errorf("refusals %+v", refusals)
	}
}

func TestPostRendererAdapts(t *testing.T) {
	in := installer()
	pr := &postRenderer{in: in}
	out, err := pr.Run(bytes.NewBufferString(strings.Replace(rendered, "privileged: true", "privileged: false", 1)))
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "image: labcheck.local/minio:dev") || !strings.Contains(s, "imagePullPolicy: IfNotPresent") || !strings.Contains(s, "namespace: labcheck-helm") {
		t.Errorf("post-rendered:\n%s", s)
	}
	if len(pr.notes) != 1 || pr.notes[0].File != "labs/helm/minio/templates/statefulset.yaml" || pr.notes[0].Line != 10 {
		t.Errorf("notes %+v", pr.notes)
	}
	if len(pr.objs) != 1 || len(deploy.Workloads(pr.objs)) != 1 {
		t.Errorf("workloads %v", pr.objs)
	}
}

func TestLastKey(t *testing.T) {
	for p, want := range map[string]string{
		"spec.template.spec.containers[0].securityContext.privileged": "privileged",
		"spec.template.spec.containers[0]":                            "",
		`metadata.annotations["helm.sh/hook"]`:                        "helm.sh/hook",
		"spec":                                                        "spec",
	} {
		if got := lastKey(p); got != want {
			t.Errorf("lastKey(%q) = %q, want %q", p, got, want)
		}
	}
}

// TestNoTestHooksFails: a chart without `helm test` hooks loses DYN-021's
// points (a failure with the fix), it is not a check the environment could
// not run.
func TestNoTestHooksFails(t *testing.T) {
	in := installer()
	in.rel = &helmrelease.Release{Name: "minio", Hooks: []*helmrelease.Hook{{Name: "pre", Events: []helmrelease.HookEvent{helmrelease.HookPreInstall}}}}
	c, err := in.Test(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if c.Skipped || !c.Failed || len(c.Notes) != 1 {
		t.Fatalf("got %+v, want one failure", c)
	}
	n := c.Notes[0]
	if n.File != "labs/helm/minio/Chart.yaml" || n.Line != 1 || !strings.Contains(n.Message, "helm.sh/hook: test") {
		t.Errorf("note %+v", n)
	}
}
