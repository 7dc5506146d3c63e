//go:build e2e

// Lab 1 against a real Docker engine, offline: it needs only the engine
// and the Go base image `make e2e-env` makes (test/e2e/images.sh), no
// cluster. Run it with
//
//	go test -tags e2e -count 1 -run TestBuild -v ./internal/imagebuild/
package imagebuild

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const goBase = "labcheck.local/e2e-golang:local"

// needEngine skips, saying why, where no engine or base image is.
func needEngine(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("docker", "image", "inspect", "--format", "{{.Id}}", goBase).CombinedOutput(); err != nil {
		t.Skipf("needs a Docker engine holding %s (make e2e-env): %s", goBase, strings.TrimSpace(string(out)))
	}
}

// lab writes a Lab 1 folder: the Dockerfile and a Go program with no
// imports (quick to compile).
func lab(t *testing.T, dockerfile string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"Dockerfile":  dockerfile,
		"app/go.mod":  "module example.com/job\n\ngo 1.22\n",
		"app/main.go": "package main\n\nfunc main() { println(\"done\") }\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "Dockerfile")
}

func runLab(t *testing.T, path string) Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	id := "e2e" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	res, err := Run(ctx, Options{Dockerfile: path, Data: data, RunID: id, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := exec.Command("docker", "images", "-q", "--filter", "label="+Label+"="+id).Output(); len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("images left behind: %s", out)
	}
	return res
}

// TestBuildKitOnlyDockerfile: a multi-stage build that uses what only
// BuildKit knows (a cache mount, COPY --link) builds, runs as its USER and
// is measured against its builder stage.
func TestBuildKitOnlyDockerfile(t *testing.T) {
	needEngine(t)
	res := runLab(t, lab(t, `FROM `+goBase+` AS build
WORKDIR /src
COPY app/ ./
RUN --mount=type=cache,target=/root/.cache/go-build ["/usr/local/go/bin/go", "build", "-o", "/out/job", "."]

FROM scratch
COPY --link --from=build /out/job /job
USER 10001:10001
ENTRYPOINT ["/job"]
`))
	for name, c := range map[string]Check{"build": res.Build, "non-root": res.NonRoot, "size": res.Size} {
		t.Logf("%s: %s%s", name, c.Detail, c.Message)
		if c.Failed || c.Skipped || c.Unjudged {
			t.Errorf("%s: %+v", name, c)
		}
	}
	if res.BuilderStage != "build" || res.FinalBytes <= 0 || res.FinalBytes >= res.BuilderBytes {
		t.Errorf("sizes: final %d, builder %q %d", res.FinalBytes, res.BuilderStage, res.BuilderBytes)
	}
}

// TestBuildFailures: a failing step is reported at its line, with its
// own output, in the student's terms.
func TestBuildFailures(t *testing.T) {
	needEngine(t)
	for _, tc := range []struct {
		name, dockerfile string
		line             int
		wants            []string
		not              string
	}{
		{"run", "FROM " + goBase + " AS build\nWORKDIR /src\nCOPY app/ ./\nENV CGO_ENABLED=0\nRUN [\"/usr/local/go/bin/go\", \"vet\", \"./nowhere\"]\nFROM scratch\nCOPY --from=build /src /src\n",
			5, []string{"docker build failed at line 5 ([build 4/4] RUN", "exit code: 1", "build output (last lines):", "nowhere"}, ""},
		{"copy-source", "FROM " + goBase + "\nWORKDIR /src\nCOPY missing/ ./\n",
			3, []string{"docker build failed at line 3 ([3/3] COPY missing/ ./)", `"/missing": not found`}, "checksum of ref"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runLab(t, lab(t, tc.dockerfile))
			t.Logf("line %d: %s", res.Build.Line, res.Build.Message)
			if !res.Build.Failed || res.Build.Line != tc.line {
				t.Fatalf("build %+v, want a failure at line %d", res.Build, tc.line)
			}
			for _, w := range tc.wants {
				if !strings.Contains(res.Build.Message, w) {
					t.Errorf("message lacks %q:\n%s", w, res.Build.Message)
				}
			}
			if tc.not != "" && strings.Contains(res.Build.Message, tc.not) {
				t.Errorf("message has %q:\n%s", tc.not, res.Build.Message)
			}
			if !res.NonRoot.Skipped || !res.Size.Skipped {
				t.Errorf("checks after a failed build: %+v %+v", res.NonRoot, res.Size)
			}
		})
	}
}

// TestBuildOfflineSyntaxDirective: offline, a syntax directive whose
// frontend image is not local skips the lab (nothing can be pulled), at
// the directive's line, instead of failing the student.
func TestBuildOfflineSyntaxDirective(t *testing.T) {
	needEngine(t)
	if exec.Command("docker", "image", "inspect", "docker/dockerfile:1").Run() == nil {
		t.Skip("the engine holds docker/dockerfile:1: nothing is missing to skip for")
	}
	res := runLab(t, lab(t, "# syntax=docker/dockerfile:1\nFROM "+goBase+"\nCOPY app/ /src/\n"))
	if !res.Build.Skipped || res.Build.Line != 1 || !strings.Contains(res.Build.Message, "syntax directive's Dockerfile frontend docker/dockerfile:1 (line 1) is not available locally") {
		t.Errorf("build %+v", res.Build)
	}
}
