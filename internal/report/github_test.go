package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGitHubAnnotationsNameOnlyFilesThatExist(t *testing.T) {
	submissionDir(t)
	var buf bytes.Buffer
	if err := (githubRenderer{}).Render(&buf, &Report{Findings: locationFindings}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{
		"::error file=labs/docker/Dockerfile,line=1,col=1,title=DOCKER-001 base-image-tagged::untagged",
		"::error title=ISTIO-012 istio-objects-present::labs/istio: no Istio objects found in labs/istio",
		"::error title=K8S-002 minio-statefulset::labs/kubernetes: no Kubernetes manifests found",
		"::warning title=HELM-001 chart-present::elsewhere/helm: no chart",
		"::notice title=labcheck::Score 0/0",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("annotations (-want +got):\n%s", diff)
	}
}
