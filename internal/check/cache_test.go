package check

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/cache"
	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/policies"
)

// copyTree copies the full-marks submission into a temporary folder that
// a test may change.
func copyTree(t *testing.T) string {
	t.Helper()
	src, _ := filepath.Abs("../../fixtures/passing/labs")
	dst := filepath.Join(t.TempDir(), "labs")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func walk(t *testing.T, dir string) []*discover.Tree {
	t.Helper()
	tree, err := discover.Walk(dir, discover.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return []*discover.Tree{tree}
}

func keys(t *testing.T, eng *engine.Engine, dir string, opts Options) map[finding.Lab]cache.Key {
	t.Helper()
	sub := &submission{trees: walk(t, dir), eng: eng}
	out := map[finding.Lab]cache.Key{}
	for _, lab := range finding.Labs {
		out[lab] = labKey(sub, lab, opts)
	}
	return out
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// Every input a lab's result depends on changes its key, and an input it
// does not read leaves the key as it was (so that lab is not checked
// again).
func TestCacheKeyCoversEveryInput(t *testing.T) {
	eng := testEngine(t)
	base := Options{CacheSalt: "build-1"}
	for _, tc := range []struct {
		name    string
		change  func(t *testing.T, dir string, eng **engine.Engine, opts *Options)
		changed []finding.Lab // the labs whose key must change; the others must not
	}{
		{"Dockerfile", func(t *testing.T, dir string, _ **engine.Engine, _ *Options) {
			appendTo(t, filepath.Join(dir, "docker/Dockerfile"), "\n# changed\n")
		}, []finding.Lab{finding.Docker}},
		{"build script", func(t *testing.T, dir string, _ **engine.Engine, _ *Options) {
			appendTo(t, filepath.Join(dir, "docker/build.sh"), "\n# changed\n")
		}, []finding.Lab{finding.Docker}},
		{".dockerignore removed", func(t *testing.T, dir string, _ **engine.Engine, _ *Options) {
			os.Remove(filepath.Join(dir, "docker/.dockerignore"))
		}, []finding.Lab{finding.Docker}},
		{"Kubernetes manifest, which the Istio lab reads too", func(t *testing.T, dir string, _ **engine.Engine, _ *Options) {
			appendTo(t, filepath.Join(dir, "kubernetes/04-services.yaml"), "\n# changed\n")
		}, []finding.Lab{finding.Kubernetes, finding.Istio}},
		{"Kubernetes file renamed", func(t *testing.T, dir string, _ **engine.Engine, _ *Options) {
			os.Rename(filepath.Join(dir, "kubernetes/06-pdb.yaml"), filepath.Join(dir, "kubernetes/07-pdb.yaml"))
		}, []finding.Lab{finding.Kubernetes, finding.Istio}},
		{"chart values, which the Istio lab reads rendered", func(t *testing.T, dir string, _ **engine.Engine, _ *Options) {
			appendTo(t, filepath.Join(dir, "helm/minio/values.yaml"), "\n# changed\n")
		}, []finding.Lab{finding.Helm, finding.Istio}},
		{"Istio manifest", func(t *testing.T, dir string, _ **engine.Engine, _ *Options) {
			appendTo(t, filepath.Join(dir, "istio/gateway.yaml"), "\n# changed\n")
		}, []finding.Lab{finding.Istio}},
		{"oversized file refused", func(t *testing.T, dir string, _ **engine.Engine, o *Options) {
			o.Limits = discover.Limits{MaxFileSize: 2000, MaxFiles: discover.DefaultLimits.MaxFiles}
		}, finding.Labs},
		{"salt (labcheck's build, config, rubric)", func(t *testing.T, _ string, _ **engine.Engine, o *Options) {
			o.CacheSalt = "build-2"
		}, finding.Labs},
		{"policies", func(t *testing.T, _ string, e **engine.Engine, _ *Options) {
			fsys := fstest.MapFS{}
			for _, p := range []string{"lib/docker.rego", "docker/dockerfile_present.rego"} {
				data, err := policies.FS.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				fsys[p] = &fstest.MapFile{Data: data}
			}
			other, err := engine.Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			*e = other
		}, finding.Labs},
		{"custom policies", func(t *testing.T, _ string, _ **engine.Engine, o *Options) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "p.rego"), []byte("package main\n\ndeny contains \"no\" if input.kind == \"Secret\"\n"), 0o644)
			c, err := engine.LoadCustom(context.Background(), []string{dir}, nil)
			if err != nil {
				t.Fatal(err)
			}
			o.Custom = c
		}, finding.Labs},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyTree(t)
			before := keys(t, eng, dir, base)
			e, opts := eng, base
			tc.change(t, dir, &e, &opts)
			after := keys(t, e, dir, opts)
			for _, lab := range finding.Labs {
				want := false
				for _, l := range tc.changed {
					want = want || l == lab
				}
				if got := before[lab] != after[lab]; got != want {
					t.Errorf("%s: key changed = %v, want %v", lab, got, want)
				}
			}
		})
	}
}

func TestCacheKeyIsStable(t *testing.T) {
	eng := testEngine(t)
	dir := copyTree(t)
	if diff := cmp.Diff(keys(t, eng, dir, Options{}), keys(t, eng, dir, Options{})); diff != "" {
		t.Fatal(diff)
	}
}

// A second run answers from the cache with the same result; a run
// whose input changed does not.
func TestCachedRunEqualsUncached(t *testing.T) {
	ctx := context.Background()
	dir := copyTree(t)
	appendTo(t, filepath.Join(dir, "docker/Dockerfile"), "\nADD app /app\n") // some findings to carry
	c := cache.Open(t.TempDir(), 0)
	uncached, err := Trees(ctx, testEngine(t), walk(t, dir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(uncached.Findings) == 0 {
		t.Fatal("no findings to compare")
	}
	for run := range 2 {
		eng, err := engine.Load(policies.FS) // a new process
		if err != nil {
			t.Fatal(err)
		}
		got, err := Trees(ctx, eng, walk(t, dir), Options{Cache: c})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(uncached, got); diff != "" {
			t.Fatalf("run %d differs from an uncached one (-uncached +cached):\n%s", run, diff)
		}
	}
}

// What a run reads from the cache is what the cache holds: an entry
// planted under the key of the submission as it is answers; once the
// input changes, the entry no longer applies.
func TestCacheAnswersOnlyForItsInput(t *testing.T) {
	ctx := context.Background()
	eng := testEngine(t)
	dir := copyTree(t)
	c := cache.Open(t.TempDir(), 0)
	planted := outcome{Findings: []finding.Finding{{Rule: "DOCKER-999", Lab: finding.Docker, Severity: finding.Error, Phase: finding.Static, Message: "planted", File: "x"}}, Submitted: true}
	data, _ := json.Marshal(planted)
	sub := &submission{trees: walk(t, dir), eng: eng}
	if err := c.Put(labKey(sub, finding.Docker, Options{Cache: c}), data); err != nil {
		t.Fatal(err)
	}
	opts := Options{Cache: c, Labs: []finding.Lab{finding.Docker}}
	res, err := Trees(ctx, eng, walk(t, dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Message != "planted" {
		t.Fatalf("findings %+v, want the planted entry", res.Findings)
	}
	appendTo(t, filepath.Join(dir, "docker/Dockerfile"), "\n# changed\n")
	res, err = Trees(ctx, eng, walk(t, dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Message == "planted" {
			t.Fatal("the entry of the old input answered for the new one")
		}
	}
}

// A corrupt entry is checked afresh and replaced.
func TestCorruptEntryIsCheckedAgain(t *testing.T) {
	ctx := context.Background()
	eng := testEngine(t)
	dir := copyTree(t)
	cdir := t.TempDir()
	c := cache.Open(cdir, 0)
	opts := Options{Cache: c, Labs: []finding.Lab{finding.Docker}}
	want, err := Trees(ctx, eng, walk(t, dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := filepath.Glob(filepath.Join(cdir, "*", "*"))
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one entry", entries)
	}
	data, _ := os.ReadFile(entries[0])
	data[len(data)-2] ^= 0x20
	os.WriteFile(entries[0], data, 0o644)
	got, err := Trees(ctx, eng, walk(t, dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("after corruption (-want +got):\n%s", diff)
	}
	if fixed, _ := os.ReadFile(entries[0]); string(fixed) == string(data) {
		t.Fatal("the corrupt entry was not replaced")
	}
}

func testEngine(t testing.TB) *engine.Engine {
	t.Helper()
	eng, err := helmEngineOnce()
	if err != nil {
		t.Fatal(err)
	}
	return eng
}
