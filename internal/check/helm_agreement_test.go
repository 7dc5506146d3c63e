package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/render"
)

// helmTemplate renders a chart folder the way `helm template minio DIR
// --namespace minio --kube-version v1.34.0 --api-versions ...` does, with
// Helm's own packages (its action package is for tests only: the static
// binary does not link it). It returns Helm's error, or nil.
func helmTemplate(dir string) error {
	ch, err := loader.Load(dir)
	if err != nil {
		return err
	}
	if t := ch.Metadata.Type; t != "" && t != "application" {
		return errorString(t + " charts are not installable")
	}
	if req := ch.Metadata.Dependencies; req != nil {
		if err := action.CheckDependencies(ch, req); err != nil {
			return err
		}
	}
	cfg := &action.Configuration{Log: func(string, ...any) {}}
	inst := action.NewInstall(cfg)
	inst.DryRun, inst.DryRunOption, inst.Replace, inst.ClientOnly, inst.IncludeCRDs = true, "true", true, true, true
	inst.ReleaseName, inst.Namespace = render.ReleaseName, render.Namespace
	kv, err := chartutil.ParseKubeVersion(render.KubeVersion)
	if err != nil {
		return err
	}
	inst.KubeVersion = kv
	inst.APIVersions = render.APIVersions()
	_, err = inst.RunWithContext(context.Background(), ch, map[string]any{})
	return err
}

type errorString string

func (e errorString) Error() string { return string(e) }

// TestRendersAsHelmTemplateDoes renders every chart of the fixtures both
// with Helm (as `helm template` does) and with labcheck's sandbox, and
// requires them to agree on whether the chart renders with its default
// values: labcheck reports HELM-000 (or, for a Chart.yaml name or version
// Helm refuses, HELM-003/HELM-004) exactly when helm template fails.
// Charts the sandbox stops at a limit (HELM-011) are left out: Helm would
// run them out of memory or time.
func TestRendersAsHelmTemplateDoes(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every fixture chart twice")
	}
	dirs, err := filepath.Glob("../../fixtures/*/labs/helm/*/Chart.yaml")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixture charts: %v", err)
	}
	// Charts of your own to compare too (a glob of Chart.yaml files), for
	// trials on charts that are not ours to commit.
	if g := os.Getenv("LABCHECK_EXTRA_CHARTS"); g != "" {
		extra, _ := filepath.Glob(g)
		dirs = append(dirs, extra...)
	}
	for _, cy := range dirs {
		dir := filepath.Dir(cy)
		name := strings.TrimPrefix(strings.TrimPrefix(filepath.ToSlash(dir), "../../fixtures/"), "/")
		t.Run(name, func(t *testing.T) {
			tree, err := discover.Walk(dir, discover.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			s := &submission{trees: []*discover.Tree{tree}}
			in, err := helmInput(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			hl := in.input.(helmLab)
			if len(hl.Limits) > 0 {
				t.Skipf("stopped by a sandbox limit: %s", hl.Limits[0].Message)
			}
			// A name or version Helm refuses is stood in for so that the
			// templates are still judged: labcheck reports that failure
			// with the Chart.yaml rules (HELM-003, HELM-004), not HELM-000.
			ours := hl.Problems
			for _, rc := range s.rendered(context.Background()) {
				for _, p := range rc.Renders[0].Problems {
					if p.Kind == render.Repaired {
						ours = append(ours, Problem{File: p.File, Message: p.Message})
					}
				}
			}
			theirs := helmTemplate(dir)
			switch {
			case theirs == nil && len(ours) > 0:
				t.Errorf("helm template renders the chart, labcheck says it fails: %+v", ours)
			case theirs != nil && len(ours) == 0:
				t.Errorf("helm template fails (%v), labcheck says the chart renders", theirs)
			}
		})
	}
	if _, err := os.Stat("../../fixtures/passing/labs/helm/minio/Chart.yaml"); err != nil {
		t.Errorf("the passing fixture's chart is not among them: %v", err)
	}
}
