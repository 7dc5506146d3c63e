package scaffold

import (
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestStudentWorkflowVerifiesPullRequests: the workflow `labcheck init`
// writes runs verify (the dynamic 40 % of the default rubric) on pull
// requests and the static checks alone on pushes to main.
func TestStudentWorkflowVerifiesPullRequests(t *testing.T) {
	data, err := Template("templates/workflow.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On   map[string]any `json:"on"`
		True map[string]any `json:"true"` // YAML 1.1 reads the key on as a boolean
		Jobs map[string]struct {
			TimeoutMinutes int `json:"timeout-minutes"`
			Steps          []struct {
				Uses string            `json:"uses"`
				With map[string]string `json:"with"`
			} `json:"steps"`
		} `json:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	if wf.On == nil {
		wf.On = wf.True
	}
	if _, ok := wf.On["pull_request"]; !ok {
		t.Fatalf("not run on pull requests: %v", wf.On)
	}
	job := wf.Jobs["labcheck"]
	if job.TimeoutMinutes == 0 {
		t.Error("no timeout-minutes: a hung cluster would hold the runner for 6 hours")
	}
	var verify string
	for _, s := range job.Steps {
		if strings.HasPrefix(s.Uses, "labcheck/labcheck@") {
			verify = s.With["verify"]
		}
	}
	if verify != "${{ github.event_name == 'pull_request' }}" {
		t.Errorf("verify = %q, want it on pull requests only", verify)
	}
}
