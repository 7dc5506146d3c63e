package imagebuild

import (
	"encoding/json"
	"strings"
	"testing"

	controlapi "github.com/moby/buildkit/api/services/control"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/labcheck/labcheck/internal/parse/dockerfile"
)

// TestLineOf: each step BuildKit names leads to the line of its
// instruction: FROM counts as a stage's first step only when its base is
// an image, and only ADD, COPY, RUN and WORKDIR make the others.
func TestLineOf(t *testing.T) {
	df := dockerfile.Parse("Dockerfile", []byte(multiStage))
	scratch := dockerfile.Parse("Dockerfile", []byte("FROM scratch\nCOPY a /a\nENV X=1\nCOPY b /b\n"))
	fromStage := dockerfile.Parse("Dockerfile", []byte("FROM golang:1.23 AS base\nRUN go version\n\nFROM base AS test\nUSER 1000\nRUN go vet ./...\nFROM alpine:3.20\nCOPY --from=test /x /x\n"))
	for _, tc := range []struct {
		df   *dockerfile.Dockerfile
		name string
		want int
	}{
		{df, "[build 1/4] FROM docker.io/library/golang:1.23-alpine", 4},
		{df, "[build 2/4] WORKDIR /src", 5},
		{df, "[build 4/4] RUN go build -o /out/app .", 7},
		{df, "[stage-1 2/2] COPY --from=build /out/app /usr/local/bin/app", 10},
		{df, "[internal] load metadata for docker.io/library/alpine:3.20", 9},
		{df, "[internal] load metadata for docker.io/library/golang:1.23-alpine", 4},
		{df, "[internal] load build definition from Dockerfile", 0},
		{df, "[nosuchstage 1/1] RUN true", 0},
		{scratch, "[2/2] COPY b /b", 4},
		{scratch, "[1/2] COPY a /a", 2},
		{fromStage, "[test 1/1] RUN go vet ./...", 6},
		{fromStage, "[base  2/2] RUN go version", 2},
		{fromStage, "[stage-2 2/2] COPY --from=test /x /x", 8},
		{fromStage, "[base 9/9] RUN gone", 1}, // a count this Dockerfile does not have: the stage
	} {
		if got := lineOf(tc.name, tc.df); got != tc.want {
			t.Errorf("lineOf(%q) = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// aux is a trace message as the engine sends it: a StatusResponse, in
// base64 inside the JSON.
func aux(t *testing.T, st *controlapi.StatusResponse) string {
	t.Helper()
	raw, err := st.MarshalVT()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(raw)
	return `{"id":"moby.buildkit.trace","aux":` + string(b) + "}\n"
}

// TestReadTrace: the failing step is the first with an error, with its own
// output (not another step's); the build's error is the engine's last
// word; messages this BuildKit does not speak are skipped; each step that
// started is told once.
func TestReadTrace(t *testing.T) {
	copyStep := &controlapi.Vertex{Digest: "sha256:c", Name: "[build 3/4] COPY app/ ./"}
	run := &controlapi.Vertex{Digest: "sha256:r", Name: "[build 4/4] RUN go build .", Started: timestamppb.Now()}
	stream := aux(t, &controlapi.StatusResponse{Vertexes: []*controlapi.Vertex{copyStep, run}}) +
		`{"id":"moby.buildkit.trace","aux":"bm90IGEgcHJvdG9idWY="}` + "\n" +
		aux(t, &controlapi.StatusResponse{Logs: []*controlapi.VertexLog{
			{Vertex: "sha256:c", Msg: []byte("copied\n")},
			{Vertex: "sha256:r", Msg: []byte("./main.go:3:2: undefined: x\n")},
		}}) +
		aux(t, &controlapi.StatusResponse{Vertexes: []*controlapi.Vertex{{Digest: "sha256:r", Name: run.Name, Started: run.Started, Error: "process \"go build .\" did not complete successfully: exit code: 1"}}}) +
		`{"errorDetail":{"message":"process \"go build .\" did not complete successfully: exit code: 1"},"error":"process \"go build .\" did not complete successfully: exit code: 1"}` + "\n"
	var steps []string
	tr, err := readTrace(strings.NewReader(stream), func(s string, _ bool) { steps = append(steps, s) })
	if err != nil {
		t.Fatal(err)
	}
	name, out := tr.failed()
	if name != run.Name || out != "./main.go:3:2: undefined: x\n" {
		t.Errorf("failed step %q with output %q", name, out)
	}
	if tr.err != "process \"go build .\" did not complete successfully: exit code: 1" {
		t.Errorf("err %q", tr.err)
	}

	ok := aux(t, &controlapi.StatusResponse{Vertexes: []*controlapi.Vertex{copyStep}}) + `{"id":"moby.image.id","aux":{"ID":"sha256:abc"}}` + "\n"
	if strings.Join(steps, "|") != run.Name {
		t.Errorf("steps told as they started: %q, want the RUN only (the COPY never started)", steps)
	}
	tr, err = readTrace(strings.NewReader(ok), nil)
	if err != nil || tr.err != "" {
		t.Errorf("successful build: err %v, build error %q", err, tr.err)
	}
	if name, _ := tr.failed(); name != "" {
		t.Errorf("a successful build has a failed step %q", name)
	}

	if _, err := readTrace(strings.NewReader(`{"id":"moby.buildkit.trace","aux":"`), nil); err == nil {
		t.Error("a stream that breaks off is not an error")
	}
}

// TestStepOutputIsBounded: a step that prints without end keeps only its
// tail.
func TestStepOutputIsBounded(t *testing.T) {
	tr := &trace{names: map[string]string{}, errs: map[string]string{}, output: map[string][]byte{}}
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for range 200 {
		tr.add(&controlapi.StatusResponse{Logs: []*controlapi.VertexLog{{Vertex: "sha256:r", Msg: line}}})
	}
	tr.add(&controlapi.StatusResponse{Logs: []*controlapi.VertexLog{{Vertex: "sha256:r", Msg: []byte("the end\n")}}})
	out := tr.output["sha256:r"]
	if len(out) > maxStepOutput || !strings.HasSuffix(string(out), "the end\n") {
		t.Errorf("kept %d bytes ending %q", len(out), out[len(out)-10:])
	}
}

// TestCause: BuildKit's internal name for the build context is left out.
func TestCause(t *testing.T) {
	got := cause(`failed to compute cache key: failed to calculate checksum of ref f2100a0e-76d1-4727-b366-9984c557da40::dd0yf9mh5922ma5b3pq5vleyq: "/missing": not found`)
	if got != `"/missing": not found` {
		t.Errorf("cause = %q", got)
	}
	if got := cause("process \"/bin/sh -c false\" did not complete successfully: exit code: 1"); got != "process \"/bin/sh -c false\" did not complete successfully: exit code: 1" {
		t.Errorf("cause changed a plain error: %q", got)
	}
}

// TestSyntaxLine: the syntax directive's line is where an offline run
// that lacks its frontend points.
func TestSyntaxLine(t *testing.T) {
	df := dockerfile.Parse("Dockerfile", []byte("# escape=`\n# syntax=docker/dockerfile:1\nFROM scratch\n"))
	if df.Syntax != "docker/dockerfile:1" || df.SyntaxLine != 2 {
		t.Errorf("syntax %q at line %d, want docker/dockerfile:1 at 2", df.Syntax, df.SyntaxLine)
	}
}
