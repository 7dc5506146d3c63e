package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/finding"
)

// submissionDir makes a working directory holding labs/docker/Dockerfile
// and an empty labs/istio folder, and moves the test into it: report
// paths are relative to where labcheck runs.
func submissionDir(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "labs", "docker"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "labs", "istio"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "labs", "docker", "Dockerfile"), []byte("FROM alpine:3.20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
}

// locationFindings are one finding on a file that exists, one about
// something missing in a folder that exists, one in a missing folder under
// an existing one, and one where nothing on the path exists.
var locationFindings = []finding.Finding{
	{Rule: "DOCKER-001", Name: "base-image-tagged", Lab: finding.Docker, Severity: finding.Error, Message: "untagged", File: "labs/docker/Dockerfile", Line: 1, Column: 1},
	{Rule: "ISTIO-012", Name: "istio-objects-present", Lab: finding.Istio, Severity: finding.Error, Message: "no Istio objects found in labs/istio", File: "labs/istio"},
	{Rule: "K8S-002", Name: "minio-statefulset", Lab: finding.Kubernetes, Severity: finding.Error, Message: "no Kubernetes manifests found", File: "labs/kubernetes"},
	{Rule: "HELM-001", Name: "chart-present", Lab: finding.Helm, Severity: finding.Warning, Message: "no chart", File: "elsewhere/helm"},
}

func TestSARIFLocationsExist(t *testing.T) {
	submissionDir(t)
	var buf bytes.Buffer
	if err := (sarifRenderer{}).Render(&buf, &Report{Findings: locationFindings}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	got := map[string][]string{}
	for _, r := range log.Runs[0].Results {
		got[r.RuleID] = []string{}
		for _, l := range r.Locations {
			where := l.PhysicalLocation.ArtifactLocation.URI
			if l.PhysicalLocation.Region != nil {
				where += ":" + strconv.Itoa(l.PhysicalLocation.Region.StartLine)
			}
			got[r.RuleID] = append(got[r.RuleID], where)
		}
	}
	want := map[string][]string{
		"DOCKER-001": {"labs/docker/Dockerfile:1"},
		"ISTIO-012":  {"labs/istio/"},
		"K8S-002":    {"labs/"},
		"HELM-001":   {},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result locations (-want +got):\n%s", diff)
	}
}
