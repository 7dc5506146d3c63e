package imagebuild

import (
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
