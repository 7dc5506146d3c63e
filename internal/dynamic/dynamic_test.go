package dynamic

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"
)

// TestArgsRoundTrip: what labcheck passes is what labcheck-verify reads.
func TestArgsRoundTrip(t *testing.T) {
	for _, o := range []Options{
		Defaults(),
		func() Options {
			o := Defaults()
			o.NodeImage, o.Workers, o.Keep, o.Offline, o.NoBuildCache = "labcheck.local/kind-node:v1.34.4", 0, true, true, true
			o.LoadImages = []string{"labcheck.local/minio:dev=quay.io/minio/minio", "labcheck.local/curl:1"}
			o.Timeout, o.ReadyTimeout, o.Objects = 10*time.Minute, 90*time.Second, 3
			o.KindConfig = "kind.yaml"
			return o
		}(),
	} {
		fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
		got := Defaults()
		got.Register(fs)
		if err := fs.Parse(o.Args()); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(o, got); diff != "" {
			t.Errorf("round trip of %v (-want +got):\n%s", o.Args(), diff)
		}
	}
	if args := Defaults().Args(); len(args) != 0 {
		t.Errorf("defaults pass flags: %v", args)
	}
}

func TestValidate(t *testing.T) {
	bad := map[string]func(*Options){
		"negative workers": func(o *Options) { o.Workers = -1 },
		"zero timeout":     func(o *Options) { o.Timeout = 0 },
		"objects":          func(o *Options) { o.Objects = 0 },
		"both clusters":    func(o *Options) { o.Kubeconfig, o.KindConfig = "a", "b" },
		"load-image":       func(o *Options) { o.LoadImages = []string{"=repo"} },
	}
	for name, mutate := range bad {
		o := Defaults()
		mutate(&o)
		if o.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := Defaults().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestEncodeDecode(t *testing.T) {
	res := &Result{Findings: []Finding{
		{Rule: "DYN-012", Lab: "kubernetes", Message: "b", File: "labs/kubernetes/s.yaml", Line: 9},
		{Rule: "DYN-001", Lab: "docker", Message: "a", File: "labs/docker/Dockerfile", Line: 4, Severity: "warning"},
	}}
	var buf bytes.Buffer
	if err := Encode(&buf, res); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got.Findings[0].Rule != "DYN-001" || got.Version != Version || got.Steps == nil {
		t.Errorf("decoded %+v", got)
	}
	in := got.Input()["findings"].([]map[string]any)
	if in[0]["severity"] != "warning" || in[1]["severity"] != nil || in[0]["msg"] != "a" {
		t.Errorf("input %v", in)
	}
	if _, err := Decode(strings.NewReader(`{"version": 99}`)); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("a result of another version was accepted: %v", err)
	}
}

// TestStaticPathStaysLean keeps the static `labcheck` from linking what
// only the dynamic phase needs: importing it costs ~80 ms of package
// initialisation at every start (PEERS.md), paid by every static run.
func TestStaticPathStaysLean(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(goBin, "list", "-deps", "github.com/labcheck/labcheck/cmd/labcheck").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	// Each entry forbids a package and everything below it.
	forbidden := []string{
		"sigs.k8s.io/kind",
		"github.com/testcontainers",
		"helm.sh/helm/v3/pkg/action",
		"k8s.io/client-go/kubernetes", // the clientset and its typed clients; kubernetes/scheme, which Helm's engine needs, is exempt
		"k8s.io/client-go/tools/portforward",
		"github.com/docker/docker/client",
		"github.com/moby/moby/client",
		"github.com/minio/minio-go",
		"github.com/labcheck/labcheck/internal/verify",
		"github.com/labcheck/labcheck/internal/cluster",
		"github.com/labcheck/labcheck/internal/deploy",
		"github.com/labcheck/labcheck/internal/probe",
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "k8s.io/client-go/kubernetes/scheme" {
			continue
		}
		for _, f := range forbidden {
			if pkg == f || strings.HasPrefix(pkg, f+"/") {
				t.Errorf("cmd/labcheck links %s (a dynamic-phase dependency); keep it in cmd/labcheck-verify", pkg)
			}
		}
	}
}
