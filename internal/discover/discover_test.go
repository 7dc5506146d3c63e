package discover

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/finding"
)

func write(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

type got struct {
	Rel  string
	Kind Kind
	Lab  finding.Lab
}

func files(tr *Tree) []got {
	var out []got
	for _, f := range Sorted(tr.Files) {
		out = append(out, got{f.Rel, f.Kind, f.Lab})
	}
	return out
}

func TestClassification(t *testing.T) {
	root := t.TempDir()
	write(t, root, "labs/docker/Dockerfile", "FROM alpine:3.20\n")
	write(t, root, "labs/docker/.dockerignore", ".git\n")
	write(t, root, "labs/docker/build.sh", "docker build -t a:1 .\n")
	write(t, root, "labs/docker/app/api.Dockerfile", "FROM alpine:3.20\n")
	write(t, root, "labs/kubernetes/sts.yaml", "apiVersion: apps/v1\nkind: StatefulSet\n")
	write(t, root, "labs/kubernetes/broken.yaml", "this: [is not\n")
	write(t, root, "labs/istio/gw.yaml", "apiVersion: networking.istio.io/v1\nkind: Gateway\n")
	write(t, root, "labs/istio/svc.yml", "apiVersion: v1\nkind: Service\n")
	write(t, root, "labs/helm/minio/Chart.yaml", "apiVersion: v2\nname: minio\n")
	write(t, root, "labs/helm/minio/templates/sts.yaml", "kind: StatefulSet\n")
	write(t, root, "other/gateway.yaml", "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\n")
	write(t, root, ".github/workflows/ci.yml", "on: push\njobs: {}\n")
	write(t, root, "node_modules/x/Dockerfile", "FROM x\n")
	write(t, root, ".git/Dockerfile", "FROM x\n")
	write(t, root, "README.md", "# hi\n")

	tr, err := Walk(root, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := []got{
		{"labs/docker/.dockerignore", DockerIgnore, finding.Docker},
		{"labs/docker/Dockerfile", Dockerfile, finding.Docker},
		{"labs/docker/app/api.Dockerfile", Dockerfile, finding.Docker},
		{"labs/docker/build.sh", BuildScript, finding.Docker},
		{"labs/istio/gw.yaml", Manifest, finding.Istio},
		{"labs/istio/svc.yml", Manifest, finding.Istio},
		{"labs/kubernetes/broken.yaml", Manifest, finding.Kubernetes},
		{"labs/kubernetes/sts.yaml", Manifest, finding.Kubernetes},
		{"other/gateway.yaml", Manifest, finding.Istio},
	}
	if diff := cmp.Diff(want, files(tr)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(tr.Charts) != 1 || tr.Charts[0].Rel != "labs/helm/minio" || len(tr.Charts[0].Files) != 2 {
		t.Fatalf("charts = %+v", tr.Charts)
	}
	if got := tr.Charts[0].Files[1].Rel; got != "templates/sts.yaml" {
		t.Errorf("chart file rel = %q, want templates/sts.yaml", got)
	}
	if len(tr.Problems) != 0 {
		t.Errorf("problems: %+v", tr.Problems)
	}
}

func TestDisplayPathsFollowTheArgument(t *testing.T) {
	root := t.TempDir()
	write(t, root, "labs/docker/Dockerfile", "FROM alpine:3.20\n")
	t.Chdir(root)
	for _, arg := range []string{"labs", "./labs/", "labs/docker", "labs/docker/Dockerfile"} {
		tr, err := Walk(arg, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Files) != 1 || tr.Files[0].Path != "labs/docker/Dockerfile" {
			t.Errorf("Walk(%q) files = %+v, want labs/docker/Dockerfile", arg, tr.Files)
		}
		if got := tr.Expected(finding.Docker, "build.sh"); got != "labs/docker/build.sh" {
			t.Errorf("Walk(%q).Expected = %q", arg, got)
		}
		if got := tr.Expected(finding.Kubernetes, "x.yaml"); got != "labs/kubernetes/x.yaml" {
			t.Errorf("Walk(%q).Expected(kubernetes) = %q", arg, got)
		}
	}
}

func TestHostileInput(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	write(t, outside, "secret.yaml", "apiVersion: v1\nkind: Secret\n")
	write(t, root, "labs/docker/Dockerfile", "FROM alpine:3.20\n")
	must(t, os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(root, "labs/kubernetes-link.yaml")))
	must(t, os.MkdirAll(filepath.Join(root, "labs/kubernetes"), 0o755))
	must(t, os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(root, "labs/kubernetes/secret.yaml")))
	must(t, os.Symlink(outside, filepath.Join(root, "labs/kubernetes/more")))
	must(t, os.Symlink("../docker/Dockerfile", filepath.Join(root, "labs/kubernetes/inside.Dockerfile")))
	big, err := os.Create(filepath.Join(root, "labs/docker/big.Dockerfile"))
	must(t, err)
	must(t, big.Truncate(50<<20))
	must(t, big.Close())
	write(t, root, "labs/docker/bin/Dockerfile", "FROM \x00\x01\x02")

	tr, err := Walk(root, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, p := range tr.Problems {
		msgs = append(msgs, string(p.Lab)+": "+strings.TrimPrefix(p.Message, filepath.ToSlash(root)+"/"))
	}
	want := []string{
		"docker: labs/docker/big.Dockerfile is larger than 1 MiB; it was not read",
		"docker: labs/docker/bin/Dockerfile is a binary file, not text; it was not read",
		"kubernetes: labs/kubernetes/secret.yaml is a symlink that leads outside the submission; it was not read",
		"kubernetes: labs/kubernetes-link.yaml is a symlink that leads outside the submission; it was not read",
	}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	for _, f := range tr.Files {
		if strings.Contains(string(f.Data), "Secret") {
			t.Errorf("read %s from outside the tree", f.Path)
		}
	}
	// A link that stays inside the tree is read like any file.
	var inside bool
	for _, f := range tr.Files {
		inside = inside || f.Rel == "labs/kubernetes/inside.Dockerfile" && string(f.Data) == "FROM alpine:3.20\n"
	}
	if !inside {
		t.Error("symlink inside the tree was not read")
	}
}

func TestFileCountLimit(t *testing.T) {
	root := t.TempDir()
	for i := range 30 {
		write(t, root, "labs/docker/src/f"+string(rune('a'+i%26))+strings.Repeat("x", i/26)+".txt", "x")
	}
	write(t, root, "labs/docker/Dockerfile", "FROM alpine:3.20\n")
	tr, err := Walk(root, Limits{MaxFileSize: 1 << 20, MaxFiles: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Problems) != 1 || !strings.Contains(tr.Problems[0].Message, "more than 10 files") {
		t.Fatalf("problems = %+v, want one about the file limit", tr.Problems)
	}
}

func TestLabcheckIgnore(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".labcheckignore", "labs/old/\n*.bak.yaml\n")
	write(t, root, "labs/old/Dockerfile", "FROM x\n")
	write(t, root, "labs/kubernetes/a.bak.yaml", "apiVersion: v1\nkind: Service\n")
	write(t, root, "labs/kubernetes/a.yaml", "apiVersion: v1\nkind: Service\n")
	tr, err := Walk(root, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]got{{"labs/kubernetes/a.yaml", Manifest, finding.Kubernetes}}, files(tr)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestMissingPath(t *testing.T) {
	if _, err := Walk(filepath.Join(t.TempDir(), "nope"), DefaultLimits); err == nil {
		t.Fatal("Walk of a missing path succeeded")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestChartAtTheRootAndPackagedDependencies(t *testing.T) {
	root := t.TempDir()
	write(t, root, "Chart.yaml", "apiVersion: v2\nname: minio\nversion: 0.1.0\n")
	write(t, root, "templates/sts.yaml", "kind: StatefulSet\n")
	write(t, root, "charts/common-1.0.0.tgz", "\x1f\x8b\x08\x00binary")
	write(t, root, "charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n")
	write(t, root, "charts/sub/templates/cm.yaml", "kind: ConfigMap\n")
	tr, err := Walk(root, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Problems) != 0 || len(tr.Files) != 0 {
		t.Errorf("problems %+v, files %+v: a chart's files belong to the chart", tr.Problems, tr.Files)
	}
	got := map[string][]string{}
	for _, c := range tr.Charts {
		for _, f := range c.Files {
			got[c.Rel] = append(got[c.Rel], f.Rel)
		}
	}
	want := map[string][]string{
		".":          {"Chart.yaml", "charts/common-1.0.0.tgz", "templates/sts.yaml"},
		"charts/sub": {"Chart.yaml", "templates/cm.yaml"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("chart files (-want +got):\n%s", diff)
	}
}

func TestDockerfilesByTheirUsualNames(t *testing.T) {
	root := t.TempDir()
	write(t, root, "labs/docker/a/Dockerfile.release", "# syntax=docker/dockerfile:1\nFROM alpine:3.20\n")
	write(t, root, "labs/docker/b/prod.Dockerfile", "FROM alpine:3.20\n")
	write(t, root, "labs/docker/c/Containerfile", "FROM alpine:3.20\n")
	write(t, root, "labs/docker/d/Dockerfile.prod", "# a comment \\\nARG BASE=alpine \\\n    TAG=3.20\nFROM ${BASE}:${TAG}\n")
	write(t, root, "labs/docker/e/Dockerfile.notes", "Notes: build with docker build -f Dockerfile .\n")
	write(t, root, "labs/docker/f/Dockerfile.yaml", "apiVersion: v1\nkind: ConfigMap\n")
	write(t, root, "labs/docker/g/Containerfile.dev", "from alpine:3.20\n")
	write(t, root, "labs/docker/h/Dockerfile.broken", "FROM alpine:3.20\nRUN <<EOF\n")
	tr, err := Walk(root, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := []got{
		{"labs/docker/a/Dockerfile.release", Dockerfile, finding.Docker},
		{"labs/docker/b/prod.Dockerfile", Dockerfile, finding.Docker},
		{"labs/docker/c/Containerfile", Dockerfile, finding.Docker},
		{"labs/docker/d/Dockerfile.prod", Dockerfile, finding.Docker},
		{"labs/docker/f/Dockerfile.yaml", Manifest, finding.Docker},
		{"labs/docker/g/Containerfile.dev", Dockerfile, finding.Docker},
		{"labs/docker/h/Dockerfile.broken", Dockerfile, finding.Docker},
	}
	if diff := cmp.Diff(want, files(tr)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestFileGivenAsPathIsADockerfileIfItReadsAsOne(t *testing.T) {
	root := t.TempDir()
	write(t, root, "x/build.file", "FROM golang:1.23 AS build\nFROM alpine:3.20\n")
	write(t, root, "x/build.file.dockerignore", ".git\n")
	write(t, root, "x/README", "Build it with docker.\n")
	write(t, root, "x/other.yaml", "apiVersion: v1\nkind: Service\n")
	t.Chdir(root)
	tr, err := Walk("x/build.file", DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := []got{
		{"build.file", Dockerfile, finding.Docker},
		{"build.file.dockerignore", DockerIgnore, finding.Docker},
	}
	if diff := cmp.Diff(want, files(tr)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if tr.Files[0].Path != "x/build.file" {
		t.Errorf("path = %q, want x/build.file", tr.Files[0].Path)
	}
	tr, err = Walk("x/README", DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Files) != 0 {
		t.Errorf("a README given as PATH is not a Dockerfile; files = %+v", files(tr))
	}
}

func TestSeveralDockerfilesInOneFolder(t *testing.T) {
	root := t.TempDir()
	// The default build reads Dockerfile; Dockerfile.dev is not graded.
	write(t, root, "one/Dockerfile", "FROM alpine:3.20\n")
	write(t, root, "one/Dockerfile.dev", "FROM alpine:3.20\n")
	// build.sh names the one it builds.
	write(t, root, "two/Dockerfile", "FROM alpine:3.20\n")
	write(t, root, "two/Dockerfile.release", "FROM alpine:3.20\n")
	write(t, root, "two/build.sh", "#!/bin/sh\n# docker build -f Dockerfile .\ndocker build \\\n  --file=\"$(dirname \"$0\")/Dockerfile.release\" \\\n  -t minio-uploader:1.0.0 .\n")
	// Nothing says which: both are judged.
	write(t, root, "three/Dockerfile.dev", "FROM alpine:3.20\n")
	write(t, root, "three/Dockerfile.prod", "FROM alpine:3.20\n")
	tr, err := Walk(root, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var judged []string
	for _, f := range Sorted(tr.Files) {
		if f.Kind == Dockerfile {
			judged = append(judged, f.Rel)
		}
	}
	want := []string{"one/Dockerfile", "three/Dockerfile.dev", "three/Dockerfile.prod", "two/Dockerfile.release"}
	if diff := cmp.Diff(want, judged); diff != "" {
		t.Errorf("judged Dockerfiles (-want +got):\n%s", diff)
	}
	at := func(rel string) string { return filepath.ToSlash(filepath.Join(root, rel)) }
	unjudged := []Unjudged{
		{Path: at("one/Dockerfile.dev"), Judged: []string{at("one/Dockerfile")}, Why: "docker build reads it when no -f is given"},
		{Path: at("two/Dockerfile"), Judged: []string{at("two/Dockerfile.release")}, Why: "the build script names it with -f"},
	}
	if diff := cmp.Diff(unjudged, tr.Unjudged); diff != "" {
		t.Errorf("unjudged (-want +got):\n%s", diff)
	}
}
