package check

import (
	"context"
	"slices"
	"testing"

	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/policies"
)

// releaseDockerfile is a correct two-stage Dockerfile.
const releaseDockerfile = `# syntax=docker/dockerfile:1
FROM golang:1.23-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM alpine:3.20
COPY --from=build /out/app /usr/local/bin/app
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
`

// TestDockerfileGivenAsPath: a file passed on the command line is judged
// as the Dockerfile it is, whatever its name, and findings name it as
// given, never an invented labs/docker/Dockerfile.
func TestDockerfileGivenAsPath(t *testing.T) {
	eng, err := engine.Load(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	root := writeTree(t, map[string]string{
		"images/api.build":     releaseDockerfile,
		"images/.dockerignore": ".git\n",
		"images/build.sh":      "docker build -f api.build -t api:1.0.0 .\n",
	})
	t.Chdir(root)
	res, err := Run(context.Background(), eng, []string{"images/api.build"}, Options{Labs: []finding.Lab{finding.Docker}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Submitted[finding.Docker] {
		t.Errorf("the docker lab is not counted as handed in")
	}
	for _, f := range res.Findings {
		if f.Rule == "DOCKER-020" {
			t.Errorf("DOCKER-020 on a Dockerfile given as PATH: %v", f)
		}
		if f.File != "images/api.build" && f.File != "images" && f.File != "images/build.sh" {
			t.Errorf("finding names %s, which is not what was given: %v", f.File, f)
		}
		if f.Severity == finding.Error && !f.Suppressed {
			t.Errorf("a correct Dockerfile got an error: %v", f)
		}
	}
}

// TestFileGivenAsPathThatIsNoDockerfile: a README given as PATH is not
// taken for a Dockerfile (and so not charged with its rules).
func TestFileGivenAsPathThatIsNoDockerfile(t *testing.T) {
	eng, err := engine.Load(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	root := writeTree(t, map[string]string{"notes/README": "Build the image with docker build.\n"})
	t.Chdir(root)
	res, err := Run(context.Background(), eng, []string{"notes/README"}, Options{Labs: []finding.Lab{finding.Docker}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Submitted[finding.Docker] {
		t.Errorf("a README is counted as a Docker lab")
	}
	if slices.ContainsFunc(res.Findings, func(f finding.Finding) bool { return f.Rule != "DOCKER-020" && f.File == "notes/README" }) {
		t.Errorf("rules ran on a README: %v", res.Findings)
	}
}
