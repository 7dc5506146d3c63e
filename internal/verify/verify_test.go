package verify

import (
	"bytes"
	"strings"
	"testing"

	"github.com/labcheck/labcheck/internal/deploy"
	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/parse/manifest"
)

func TestMinioStatefulSet(t *testing.T) {
	src := `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: cache}
spec:
  template:
    spec:
      containers: [{name: redis, image: redis, args: [--save, ""]}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: storage}
spec:
  template:
    spec:
      containers: [{name: minio, image: minio, args: [server, /data]}]
`
	ms, _ := manifest.Parse("s.yaml", []byte(src), manifest.DefaultLimits)
	objs, err := deploy.FromManifests(ms)
	if err != nil {
		t.Fatal(err)
	}
	if got := minioStatefulSet(objs); got == nil || got.GetName() != "storage" {
		t.Errorf("got %v, want storage", got)
	}
	if got := minioStatefulSet(objs[:1]); got == nil || got.GetName() != "cache" {
		t.Errorf("without a minio server: got %v, want the first StatefulSet", got)
	}
}

// TestSkippedChecksDoNotEarnPoints: a check that did not run reports a
// finding, so the rubric cannot count it as passed.
func TestSkippedChecksDoNotEarnPoints(t *testing.T) {
	var log bytes.Buffer
	r := newRunner(&log)
	r.skipChecks([]check{k8sReady, k8sReadWrite}, "the security gate refused the manifests", "labs/kubernetes/s.yaml", finding.Error)
	r.skipCheck(k8sNodeLoss, "the cluster has 1 nodes", "labs/kubernetes/s.yaml", finding.Info)
	if len(r.res.Steps) != 3 || r.res.Steps[0].Status != dynamic.Skip {
		t.Fatalf("steps %+v", r.res.Steps)
	}
	if len(r.res.Findings) != 3 {
		t.Fatalf("findings %+v", r.res.Findings)
	}
	f := r.res.Findings[0]
	if f.Rule != "DYN-012" || f.Severity != finding.Error || f.Message != "not run: the security gate refused the manifests" {
		t.Errorf("finding %+v", f)
	}
	if r.res.Findings[2].Severity != finding.Info {
		t.Errorf("an environment skip is not info: %+v", r.res.Findings[2])
	}
	if !strings.Contains(log.String(), "SKIP  DYN-012 "+k8sReady.title) {
		t.Errorf("progress:\n%s", log.String())
	}
}

// TestSkipAtALine: a check not run because of a line of the submission
// points at that line, not at file:0.
func TestSkipAtALine(t *testing.T) {
	r := newRunner(nil)
	r.skipAt(k8sGate, "labs/kubernetes/s.yaml:7 does not parse", "labs/kubernetes/s.yaml", 7, finding.Error)
	r.skipAt(k8sNodeLoss, "the cluster has 1 node", "labs/kubernetes/s.yaml", 3, finding.Info)
	if len(r.res.Findings) != 2 || r.res.Findings[0].Line != 7 || r.res.Findings[1].Line != 3 || r.res.Findings[1].Rule != "DYN-016" {
		t.Errorf("findings %+v", r.res.Findings)
	}
}
