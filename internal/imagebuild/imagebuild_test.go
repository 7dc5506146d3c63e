package imagebuild

import (
	"strings"
	"testing"

	"github.com/labcheck/labcheck/internal/parse/dockerfile"
)

const multiStage = `# syntax=docker/dockerfile:1.7
ARG GO=1.23
ARG ALPINE=3.20
FROM golang:${GO}-alpine AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM alpine:${ALPINE}
COPY --from=build /out/app /usr/local/bin/app
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
`

func TestFailingStep(t *testing.T) {
	df := dockerfile.Parse("Dockerfile", []byte(multiStage))
	log := "Step 1/16 : ARG GO=1.23\nStep 2/16 : ARG ALPINE=3.20\nStep 3/16 : FROM golang:1.23-alpine AS build\n ---> 1\n" +
		"Step 4/16 : WORKDIR /src\nStep 5/16 : COPY . .\nStep 6/16 : RUN go build -o /out/app .\n ---> Running in 3\n\x1b[91mno Go files\x1b[0m\n"
	step, line := failingStep(cleanLog(log), []byte(multiStage), df)
	if line != 7 || step != "step 6/16 (line 7: RUN go build -o /out/app .)" {
		t.Errorf("got %q at line %d", step, line)
	}
	if got := buildOutput(cleanLog(log)); got == "" || got[len(got)-len("no Go files"):] != "no Go files" {
		t.Errorf("build output %q", got)
	}
	step, line = failingStep("pull access denied", []byte(multiStage), df)
	if line != 4 || step != "the start of the build" {
		t.Errorf("no step: got %q at line %d", step, line)
	}
}

func TestBuilderStage(t *testing.T) {
	for src, want := range map[string]string{
		multiStage: "build",
		"FROM a:1 AS deps\nFROM b:1 AS compile\nFROM c:1\nCOPY --from=compile /x /x\n": "compile",
		"FROM a:1 AS first\nFROM c:1\nCOPY x /x\n":                                     "first",
		"FROM a:1\nFROM c:1\nCOPY --from=0 /x /x\n":                                    "",
		"FROM a:1\n": "",
	} {
		if got, _ := builderStage(dockerfile.Parse("Dockerfile", []byte(src))); got != want {
			t.Errorf("builderStage(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestGlobalArgs(t *testing.T) {
	if n := globalArgs([]byte(multiStage)); n != 2 {
		t.Errorf("globalArgs = %d, want 2", n)
	}
}

func TestIntermediateImages(t *testing.T) {
	log := `Step 1/5 : FROM labcheck.local/e2e-golang:1.26.8 AS build
 ---> 18ef857cd216
Step 2/5 : WORKDIR /src
 ---> Running in 0a1b2c3d4e5f
 ---> Removed intermediate container 0a1b2c3d4e5f
 ---> bf372590e775
Step 3/5 : COPY go.mod ./
 ---> Using cache
 ---> 111111111111
Step 4/5 : COPY app/ ./
 ---> ad0877fc4bac
Step 5/5 : RUN ["go", "build"]
 ---> Running in 222222222222
`
	got := intermediateImages(log)
	if strings.Join(got, " ") != "bf372590e775 ad0877fc4bac" {
		t.Errorf("got %v", got)
	}
}

// TestRegistryUnreachable: a base image whose registry cannot be reached
// is the environment's problem; one that does not exist is the
// Dockerfile's.
func TestRegistryUnreachable(t *testing.T) {
	for msg, want := range map[string]bool{
		`Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host`: true,
		`Get "https://quay.io/v2/": net/http: TLS handshake timeout`:                                                      true,
		`toomanyrequests: You have reached your pull rate limit`:                                                          true,
		`received unexpected HTTP status: 503 Service Unavailable`:                                                        true,
		`manifest for golang:1.99-alpine not found: manifest unknown: manifest unknown`:                                   false,
		`pull access denied for myorg/private, repository does not exist or may require 'docker login'`:                   false,
		`The command '/bin/sh -c go build' returned a non-zero code: 1`:                                                   false,
	} {
		if got := registryUnreachable(msg); got != want {
			t.Errorf("registryUnreachable(%q) = %v, want %v", msg, got, want)
		}
	}
	df := dockerfile.Parse("Dockerfile", []byte(multiStage))
	if !isFromLine(df, 4) || !isFromLine(df, 9) || isFromLine(df, 7) {
		t.Error("isFromLine: FROM lines are 4 and 9, line 7 is a RUN")
	}
}

// TestJournaledRecordsAsTheBuildGoes: each intermediate image is recorded
// once, as soon as the log shows it (an interrupted build's images are
// then known), never a base image or one taken from the cache.
func TestJournaledRecordsAsTheBuildGoes(t *testing.T) {
	var got [][]string
	j := &journaled{seen: map[string]bool{}, record: func(ids ...string) error {
		got = append(got, ids)
		return nil
	}}
	chunks := []string{
		"Step 1/4 : FROM labcheck.local/e2e-golang:local AS build\n ---> 18ef857cd216\nStep 2/4 : WORKDIR /src\n",
		" ---> Running in 0a1b2c3d4e5f\n ---> bf372590e775\nStep 3/4 : COPY go.mod ./\n ---> Using cache\n ---> 111111111111\n",
		"Step 4/4 : COPY app/ ./\n ---> ad08",
		"77fc4bac\n",
	}
	for _, c := range chunks {
		if _, err := j.Write([]byte(c)); err != nil {
			t.Fatal(err)
		}
	}
	want := [][]string{{"bf372590e775"}, {"ad0877fc4bac"}}
	if len(got) != len(want) || strings.Join(got[0], ",") != "bf372590e775" || strings.Join(got[1], ",") != "ad0877fc4bac" {
		t.Errorf("recorded %v, want %v", got, want)
	}
	if j.String() != strings.Join(chunks, "") {
		t.Error("the log is not kept whole")
	}
}
