package check

import (
	"context"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/parse/dockerfile"
)

// dockerLab is the Docker lab's policy input. Its shape is documented in
// docs/policy-input.md; policies rely on every field being present.
type dockerLab struct {
	Dockerfiles  []*dockerfile.Dockerfile `json:"dockerfiles"`
	BuildScripts []buildScript            `json:"build_scripts"`
	Problems     []Problem                `json:"problems"`
	Expected     dockerExpected           `json:"expected"`
	NotJudged    []notJudged              `json:"not_judged"` // Dockerfiles beside the one that is built
}

// notJudged is a Dockerfile discovery left out: another one in its folder
// is the one that is built (see discover.Tree.Unjudged).
type notJudged struct {
	File   string   `json:"file"`
	Judged []string `json:"judged"`
	Why    string   `json:"why"`
}

// dockerExpected is where the lab's files belong when they are absent.
// Dir is the folder such a finding points at (a file that does not exist
// cannot be opened in an editor or annotated); the file names are for
// its message.
type dockerExpected struct {
	Dir         string `json:"dir"`
	Dockerfile  string `json:"dockerfile"`
	BuildScript string `json:"build_script"`
}

// buildScript is build.sh as logical lines: backslash continuations are
// joined, and each line keeps the number it starts on.
type buildScript struct {
	File  string       `json:"file"`
	Lines []scriptLine `json:"lines"`
}

type scriptLine struct {
	Line int    `json:"line"`
	Text string `json:"text"`
}

func dockerInput(_ context.Context, s *submission) (labInput, error) {
	trees := s.trees
	files := filesOf(trees, discover.Dockerfile)
	in := dockerLab{
		Dockerfiles:  make([]*dockerfile.Dockerfile, len(files)),
		BuildScripts: []buildScript{},
		Problems:     problemsOf(trees, finding.Docker),
		NotJudged:    []notJudged{},
	}
	for _, t := range trees {
		for _, u := range t.Unjudged {
			in.NotJudged = append(in.NotJudged, notJudged{File: u.Path, Judged: u.Judged, Why: u.Why})
		}
	}
	if len(trees) > 0 {
		in.Expected = dockerExpected{
			Dockerfile:  trees[0].Expected(finding.Docker, "Dockerfile"),
			BuildScript: trees[0].Expected(finding.Docker, "build.sh"),
		}
	}
	ignores := map[string]bool{}
	for _, f := range filesOf(trees, discover.DockerIgnore) {
		ignores[f.Path] = true
	}
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Go(func() { in.Dockerfiles[i] = dockerfile.Parse(f.Path, f.Data) })
	}
	wg.Wait()
	var waivers []Waiver
	for _, df := range in.Dockerfiles {
		dir := path.Dir(df.File)
		df.DockerIgnore.File, df.DockerIgnore.Dir = path.Join(dir, ".dockerignore"), dir
		df.DockerIgnore.Present = ignores[df.DockerIgnore.File] || ignores[df.File+".dockerignore"]
		for _, p := range df.Problems {
			in.Problems = append(in.Problems, Problem{File: df.File, Line: p.Line, Message: p.Message})
		}
		for _, w := range df.Waivers {
			waivers = append(waivers, Waiver{Rule: w.Rule, File: df.File, Line: w.Line, Reason: w.Reason})
		}
	}
	if len(files) > 0 && !slices.ContainsFunc(files, func(f discover.File) bool { return f.Path == in.Expected.Dockerfile }) {
		// The Dockerfile is not where the layout expects it: expect build.sh beside it.
		in.Expected.BuildScript = path.Join(path.Dir(files[0].Path), "build.sh")
	}
	in.Expected.Dir = path.Dir(in.Expected.BuildScript)
	for _, f := range filesOf(trees, discover.BuildScript) {
		if f.Lab != finding.Docker {
			continue
		}
		in.BuildScripts = append(in.BuildScripts, buildScript{File: f.Path, Lines: logicalLines(string(f.Data))})
	}
	submitted := len(files) > 0 || len(in.Problems) > 0
	return labInput{input: in, submitted: submitted, waivers: waivers}, nil
}

func logicalLines(src string) []scriptLine {
	var out []scriptLine
	var cur strings.Builder
	start := 0
	for i, line := range strings.Split(src, "\n") {
		if cur.Len() == 0 {
			start = i + 1
		}
		if body, ok := strings.CutSuffix(strings.TrimRight(line, " \t\r"), `\`); ok {
			cur.WriteString(body + " ")
			continue
		}
		cur.WriteString(line)
		out = append(out, scriptLine{Line: start, Text: cur.String()})
		cur.Reset()
	}
	return out
}
