package dockerfile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStagesAndBases(t *testing.T) {
	src := `# syntax=docker/dockerfile:1.7
ARG GO_VERSION=1.23
ARG BASE
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS Build
FROM build AS test
FROM alpine:3.20@sha256:d9e853e87e55526f6b2917df91a2115c36dd7c696a35be12163d44e6e2a4b6bc
FROM scratch
FROM registry.example.com:5000/team/app
FROM ${BASE}
`
	df := Parse("Dockerfile", []byte(src))
	type base struct {
		Name, Image, Tag, Digest string
		Scratch, Stage           bool
		Line                     int
	}
	var got []base
	for _, s := range df.Stages {
		got = append(got, base{s.Name, s.Base.Image, s.Base.Tag, s.Base.Digest, s.Base.Scratch, s.Base.Stage, s.Line})
	}
	want := []base{
		{"build", "golang", "1.23-alpine", "", false, false, 4},
		{"test", "build", "", "", false, true, 5},
		{"", "alpine", "3.20", "sha256:d9e853e87e55526f6b2917df91a2115c36dd7c696a35be12163d44e6e2a4b6bc", false, false, 6},
		{"", "scratch", "", "", true, false, 7},
		{"", "registry.example.com:5000/team/app", "", "", false, false, 8},
		{"", "${BASE}", "", "", false, false, 9},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	if df.Syntax != "docker/dockerfile:1.7" {
		t.Errorf("syntax = %q", df.Syntax)
	}
	if df.Stages[0].Platform != "$BUILDPLATFORM" {
		t.Errorf("platform = %q", df.Stages[0].Platform)
	}
	// FROM ${BASE} with no default resolves to nothing: a problem, not a crash.
	if len(df.Problems) != 1 || df.Problems[0].Line != 9 {
		t.Errorf("problems = %+v, want one on line 9", df.Problems)
	}
}

func TestInstructions(t *testing.T) {
	src := "FROM alpine:3.20\n" +
		"ENV A=1 B=\"two words\"\n" +
		"ARG TOKEN\n" +
		"RUN --mount=type=cache,target=/root/.cache \\\n    apk add --no-cache curl\n" +
		"COPY --from=build --chown=1:1 /a /b\n" +
		"CMD [\"/app\", \"-v\"]\n" +
		"RUN <<EOF\nset -e\necho hi\nEOF\n"
	df := Parse("Dockerfile", []byte(src))
	if len(df.Problems) > 0 {
		t.Fatalf("problems: %+v", df.Problems)
	}
	ins := df.Stages[0].Instructions
	if diff := cmp.Diff([]Pair{{"A", "1"}, {"B", `"two words"`}}, ins[0].Pairs); diff != "" {
		t.Errorf("ENV pairs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Pair{{"TOKEN", ""}}, ins[1].Pairs); diff != "" {
		t.Errorf("ARG pairs (-want +got):\n%s", diff)
	}
	run := ins[2]
	if run.Line != 4 || run.EndLine != 5 || run.Flags[0] != "--mount=type=cache,target=/root/.cache" {
		t.Errorf("RUN = %+v", run)
	}
	if cp := ins[3]; cp.Cmd != "copy" || !cmp.Equal(cp.Flags, []string{"--from=build", "--chown=1:1"}) || !cmp.Equal(cp.Args, []string{"/a", "/b"}) {
		t.Errorf("COPY = %+v", cp)
	}
	if cmd := ins[4]; !cmd.JSON || !cmp.Equal(cmd.Args, []string{"/app", "-v"}) {
		t.Errorf("CMD = %+v", cmd)
	}
	if h := ins[5].Heredocs; len(h) != 1 || h[0].Content != "set -e\necho hi\n" {
		t.Errorf("heredocs = %+v", h)
	}
}

func TestProblems(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line      int
		contains  string
	}{
		{"empty", "", 0, "no instructions"},
		{"only comments", "# a\n# b\n", 0, "no instructions"},
		{"unknown instruction", "FROM alpine:3.20\nFORM x\n", 2, "unknown instruction: FORM"},
		{"copy one argument", "FROM alpine:3.20\nCOPY onlyone\n", 2, "COPY requires at least two arguments"},
		{"no FROM", "RUN echo hi\n", 1, ""},
		{"bad reference", "FROM Alpine:3.20\n", 1, "FROM Alpine:3.20"},
		{"unterminated heredoc", "FROM alpine:3.20\nRUN <<EOF\necho\n", 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			df := Parse("Dockerfile", []byte(tc.src))
			if len(df.Problems) == 0 {
				t.Fatalf("no problem reported for %q", tc.src)
			}
			p := df.Problems[0]
			if tc.line > 0 && p.Line != tc.line {
				t.Errorf("line = %d, want %d (%s)", p.Line, tc.line, p.Message)
			}
			if !strings.Contains(p.Message, tc.contains) {
				t.Errorf("message %q does not contain %q", p.Message, tc.contains)
			}
		})
	}
}

func TestWaivers(t *testing.T) {
	src := "FROM alpine:3.20\n# labcheck:ignore DOCKER-009 the cache layer is deliberate\n\nRUN a\nRUN b\n"
	df := Parse("Dockerfile", []byte(src))
	want := []Waiver{{Rule: "DOCKER-009", Reason: "the cache layer is deliberate", Line: 4}}
	if diff := cmp.Diff(want, df.Waivers); diff != "" {
		t.Errorf("waivers (-want +got):\n%s", diff)
	}
}

// FuzzParse checks that no input makes the parser panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte("FROM alpine:3.20\nRUN <<EOF\necho\nEOF\n"))
	f.Add([]byte("# escape=`\nFROM a`\n  :1\n"))
	f.Add([]byte("FROM ${A:-${B}}\nCOPY --from=0 a b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Parse("Dockerfile", data)
	})
}
