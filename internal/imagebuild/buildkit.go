package imagebuild

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	controlapi "github.com/moby/buildkit/api/services/control"

	"github.com/labcheck/labcheck/internal/parse/dockerfile"
)

// The engine builds with BuildKit, as `docker build` does: its progress
// comes as "moby.buildkit.trace" messages, each a StatusResponse of
// BuildKit's control API (the steps, called vertexes, and their output),
// and the built image's id as "moby.image.id".

// maxStepOutput bounds what is kept of one step's output (its tail).
const maxStepOutput = 64 << 10

// trace is what a build reported.
type trace struct {
	progress func(step string, cached bool) // told each Dockerfile step as it starts (may be nil)
	started  map[string]bool
	names    map[string]string // vertex digest -> name, e.g. "[build 3/4] RUN go build ."
	errs     map[string]string // vertex digest -> its error
	order    []string          // digests in the order first seen
	output   map[string][]byte // vertex digest -> the tail of its output
	err      string            // the build's error, as the engine ended the stream with it
}

// message is one line of the engine's build stream.
type message struct {
	ID          string          `json:"id"`
	Aux         json.RawMessage `json:"aux"`
	Error       string          `json:"error"`
	ErrorDetail *struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
}

// readTrace reads a build's stream to its end. An error is returned only
// when the stream itself breaks (the engine went away, the run was
// cancelled); a build that fails is t.err.
func readTrace(r io.Reader, progress func(step string, cached bool)) (*trace, error) {
	t := &trace{progress: progress, started: map[string]bool{}, names: map[string]string{}, errs: map[string]string{}, output: map[string][]byte{}}
	dec := json.NewDecoder(r)
	for {
		var m message
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return t, err
		}
		switch {
		case m.Error != "" || m.ErrorDetail != nil:
			t.err = m.Error
			if m.ErrorDetail != nil && m.ErrorDetail.Message != "" {
				t.err = m.ErrorDetail.Message
			}
		case m.ID == "moby.buildkit.trace":
			var raw []byte // base64 in JSON
			var st controlapi.StatusResponse
			if json.Unmarshal(m.Aux, &raw) != nil || st.UnmarshalVT(raw) != nil {
				continue // a message this BuildKit does not speak: progress only
			}
			t.add(&st)
		}
	}
}

func (t *trace) add(st *controlapi.StatusResponse) {
	for _, v := range st.Vertexes {
		if _, ok := t.names[v.Digest]; !ok {
			t.order = append(t.order, v.Digest)
		}
		t.names[v.Digest] = v.Name
		if v.Started != nil && !t.started[v.Digest] && vertexStep.MatchString(v.Name) {
			t.started[v.Digest] = true
			if t.progress != nil {
				t.progress(v.Name, v.Cached)
			}
		}
		if v.Error != "" {
			t.errs[v.Digest] = v.Error
		}
	}
	for _, l := range st.Logs {
		out := append(t.output[l.Vertex], l.Msg...)
		if len(out) > maxStepOutput {
			out = out[len(out)-maxStepOutput:]
		}
		t.output[l.Vertex] = out
	}
}

// failed is the step that failed: the first one with an error, or "".
func (t *trace) failed() (name, output string) {
	for _, d := range t.order {
		if _, ok := t.errs[d]; ok {
			return t.names[d], string(t.output[d])
		}
	}
	return "", ""
}

// vertexStep matches a Dockerfile step's name as BuildKit gives it:
// "[build 3/4] RUN go build .", "[stage-1 2/2] COPY …", "[2/3] COPY …".
var vertexStep = regexp.MustCompile(`^\[(?:([^\s\]]+)\s+)?\s*(\d+)/(\d+)\]\s+(.*)$`)

// metadataFor matches the step that resolves a base image.
var metadataFor = regexp.MustCompile(`^\[internal\] load metadata for (\S+)`)

// stageIndex matches the name BuildKit gives an unnamed stage.
var stageIndex = regexp.MustCompile(`^stage-(\d+)$`)

// lineOf says which Dockerfile line a step comes from, or 0. BuildKit
// numbers a stage's steps from 1: its FROM when the base is an image, then
// each ADD, COPY, RUN and WORKDIR (the instructions that make a layer).
func lineOf(name string, df *dockerfile.Dockerfile) int {
	if m := metadataFor.FindStringSubmatch(name); m != nil {
		for _, s := range df.Stages {
			if ref := s.Base.Ref(); ref != "" && sameImage(m[1], ref, s.Base.Tag == "" && s.Base.Digest == "") {
				return s.Line
			}
		}
		return 0
	}
	m := vertexStep.FindStringSubmatch(name)
	if m == nil {
		return 0
	}
	var stage *dockerfile.Stage
	switch {
	case m[1] == "" && len(df.Stages) == 1:
		stage = &df.Stages[0]
	case stageIndex.MatchString(m[1]):
		if i, _ := strconv.Atoi(m[1][len("stage-"):]); i < len(df.Stages) {
			stage = &df.Stages[i]
		}
	default:
		for i := range df.Stages {
			if strings.EqualFold(df.Stages[i].Name, m[1]) {
				stage = &df.Stages[i]
			}
		}
	}
	if stage == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[2])
	var lines []int
	if !stage.Base.Scratch && !stage.Base.Stage {
		lines = append(lines, stage.Line)
	}
	for _, in := range stage.Instructions {
		switch in.Cmd {
		case "add", "copy", "run", "workdir":
			lines = append(lines, in.Line)
		}
	}
	if n < 1 || n > len(lines) {
		return stage.Line
	}
	return lines[n-1]
}

// sameImage reports whether a reference BuildKit resolved
// ("docker.io/library/golang:1.23-alpine") is the one a FROM names
// ("golang:1.23-alpine"; an untagged one may come back as :latest).
func sameImage(resolved, ref string, untagged bool) bool {
	is := func(ref string) bool { return resolved == ref || strings.HasSuffix(resolved, "/"+ref) }
	return is(ref) || untagged && is(ref+":latest")
}

// checksumRef is BuildKit's internal name for the build context in a
// "failed to calculate checksum" error: noise to a student.
var checksumRef = regexp.MustCompile(`failed to compute cache key: failed to calculate checksum of ref [^:\s]+::[^:\s]+: `)

// cause is the build's error in a student's terms.
func cause(err string) string {
	return strings.TrimSpace(checksumRef.ReplaceAllString(err, ""))
}

// describeStep names a failing step for a message: its line and the step
// as the build log shows it.
func describeStep(name string, line int) string {
	switch {
	case name == "" && line == 0:
		return "the start of the build"
	case name == "":
		return fmt.Sprintf("line %d", line)
	case line == 0:
		return name
	}
	return fmt.Sprintf("line %d (%s)", line, name)
}
