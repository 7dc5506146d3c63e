package render

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"helm.sh/helm/v3/pkg/chart/loader"
)

// files turns a map of chart-relative names to contents into chart files.
func files(m map[string]string) []*loader.BufferedFile {
	var out []*loader.BufferedFile
	for name, data := range m {
		out = append(out, &loader.BufferedFile{Name: name, Data: []byte(data)})
	}
	slices.SortFunc(out, func(a, b *loader.BufferedFile) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// dirFiles reads a chart folder, as discovery would.
func dirFiles(t *testing.T, dir string) []*loader.BufferedFile {
	t.Helper()
	var out []*loader.BufferedFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out = append(out, &loader.BufferedFile{Name: filepath.ToSlash(rel), Data: data})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const chartYAML = "apiVersion: v2\nname: minio\nversion: 0.1.0\nappVersion: \"1\"\n"

func output(r Result, template string) string {
	for _, m := range r.Manifests {
		if m.Template == template {
			return m.Output
		}
	}
	return ""
}

func TestPassingFixtureRenders(t *testing.T) {
	rs := Chart(context.Background(), dirFiles(t, "../../fixtures/passing/labs/helm/minio"), DefaultLimits)
	if got := []string{rs[0].Values, rs[len(rs)-1].Values}; !slices.Equal(got, []string{"values.yaml", "ci/six-nodes-values.yaml"}) || len(rs) != 2 {
		t.Fatalf("renders with %v, want the defaults and ci/six-nodes-values.yaml", got)
	}
	for _, r := range rs {
		if len(r.Problems) > 0 {
			t.Errorf("%s: problems %+v", r.Values, r.Problems)
		}
	}
	sts := output(rs[1], "templates/statefulset.yaml")
	for _, want := range []string{"replicas: 6", "name: minio\n", "namespace: minio", "http://minio-{0...5}.minio-headless.minio.svc.cluster.local/data"} {
		if !strings.Contains(sts, want) {
			t.Errorf("ci render of the StatefulSet lacks %q:\n%s", want, sts)
		}
	}
	if !strings.Contains(output(rs[0], "templates/statefulset.yaml"), "replicas: 4") {
		t.Error("default render does not use replicaCount 4")
	}
}

func TestChartProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []Problem // of the last render
	}{{
		name:  "missing helper",
		files: map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"minio.nope\" . }}\n"},
		want:  []Problem{{Kind: Broken, File: "templates/cm.yaml", Line: 4, Column: 11}},
	}, {
		name:  "parse error",
		files: map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": "a: 1\nb: {{ .Values.x \n"},
		want:  []Problem{{Kind: Broken, File: "templates/cm.yaml", Line: 2}},
	}, {
		name: "error inside a helper",
		files: map[string]string{
			"Chart.yaml":             chartYAML,
			"templates/_helpers.tpl": "{{- define \"minio.name\" -}}\n{{ .Values.name.first }}\n{{- end }}\n",
			"templates/cm.yaml":      "name: {{ include \"minio.name\" . }}\n",
		},
		want: []Problem{{Kind: Broken, File: "templates/_helpers.tpl", Line: 2, Column: 10}},
	}, {
		name: "required inside a helper, which Helm reports at the include",
		files: map[string]string{
			"Chart.yaml":             chartYAML,
			"templates/_helpers.tpl": "{{- define \"minio.name\" -}}\n{{ required \"nameOverride is required\" .Values.nameOverride }}\n{{- end }}\n",
			"templates/cm.yaml":      "name: {{ include \"minio.name\" . }}\n",
		},
		want: []Problem{{Kind: Broken, File: "templates/cm.yaml", Line: 1, Column: 9}},
	}, {
		name:  "values.yaml that does not parse",
		files: map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\nb: [\n", "templates/cm.yaml": "x: 1\n"},
		want:  []Problem{{Kind: Broken, File: "values.yaml", Line: 2}},
	}, {
		name: "ci values that break a template the defaults render",
		files: map[string]string{
			"Chart.yaml": chartYAML, "values.yaml": "replicaCount: 4\n",
			"ci/bad-values.yaml": "replicaCount: null\n",
			"templates/sts.yaml": "spec:\n  replicas: {{ required \"replicaCount is required\" .Values.replicaCount }}\n",
		},
		want: []Problem{{Kind: Broken, File: "templates/sts.yaml", Line: 2, Column: 15}},
	}, {
		name:  "ci values that do not parse",
		files: map[string]string{"Chart.yaml": chartYAML, "ci/bad-values.yaml": "a: [\n", "templates/cm.yaml": "x: 1\n"},
		want:  []Problem{{Kind: Broken, File: "ci/bad-values.yaml", Line: 1}},
	}, {
		name:  "version Helm refuses is stood in for",
		files: map[string]string{"Chart.yaml": "apiVersion: v2\nname: minio\nversion: one\n", "templates/cm.yaml": "v: {{ .Chart.Version }}\n"},
		want:  []Problem{{Kind: Repaired, File: "Chart.yaml", Field: "version"}},
	}, {
		name:  "Chart.yaml that does not parse",
		files: map[string]string{"Chart.yaml": "apiVersion: v2\nname: [\n", "templates/cm.yaml": "x: 1\n"},
		want:  []Problem{{Kind: Broken, File: "Chart.yaml", Line: 2}},
	}, {
		name:  "kubeVersion the lab's cluster does not meet",
		files: map[string]string{"Chart.yaml": chartYAML + "kubeVersion: \">=1.40.0\"\n", "templates/cm.yaml": "x: 1\n"},
		want:  []Problem{{Kind: Broken, File: "Chart.yaml", Field: "kubeVersion"}},
	}, {
		name: "subchart whose values do not parse",
		files: map[string]string{
			"Chart.yaml": chartYAML, "charts/db/Chart.yaml": "apiVersion: v2\nname: db\nversion: 1.0.0\n",
			"charts/db/values.yaml": "a:\n  - b\n c: d\n",
		},
		want: []Problem{{Kind: Broken, File: "charts/db/values.yaml", Line: 2}},
	}, {
		name: "dependency named in Chart.yaml but not in charts/, as helm template refuses it",
		files: map[string]string{
			"Chart.yaml":              chartYAML + "dependencies:\n  - name: cache\n    version: 1.0.0\n  - name: common\n    version: 2.x.x\n",
			"charts/cache/Chart.yaml": "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
			"templates/cm.yaml":       "name: {{ include \"common.names.fullname\" . }}\n",
		},
		want: []Problem{{Kind: Broken, File: "Chart.yaml", Field: "dependencies[1].name"}},
	}, {
		name:  "output larger than the limit",
		files: map[string]string{"Chart.yaml": chartYAML, "templates/big.yaml": "{{ range until 20000 }}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{ end }}"},
		want:  []Problem{{Kind: Limit}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			rs := Chart(context.Background(), files(tc.files), Limits{Timeout: 10 * time.Second, MaxOutput: 1 << 20})
			got := rs[len(rs)-1].Problems
			for i := range got {
				if got[i].Message == "" {
					t.Errorf("problem %d has no message", i)
				}
				got[i].Message = ""
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderMessagesNameTheValuesAndTemplate(t *testing.T) {
	rs := Chart(context.Background(), files(map[string]string{
		"Chart.yaml":         chartYAML,
		"ci/bad-values.yaml": "image: null\n",
		"values.yaml":        "image: {tag: \"1\"}\n",
		"templates/sts.yaml": "image: {{ .Values.image.tag }}\n",
	}), DefaultLimits)
	if len(rs) != 2 || len(rs[0].Problems) != 0 {
		t.Fatalf("want a clean default render and a ci render, got %+v", rs)
	}
	msg := rs[1].Problems[0].Message
	for _, want := range []string{"ci/bad-values.yaml", "minio/templates/sts.yaml:1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not mention %s", msg, want)
		}
	}
}

func TestSandbox(t *testing.T) {
	rs := Chart(context.Background(), files(map[string]string{
		"Chart.yaml":         chartYAML,
		".helmignore":        "ignored/\n",
		"ignored/secret.txt": "s3cret",
		"data.txt":           "inside",
		"templates/cm.yaml": strings.Join([]string{
			`lookup: {{ if lookup "v1" "Secret" "minio" "x" }}found{{ else }}none{{ end }}`,
			`dns: "{{ getHostByName "example.com" }}"`,
			`escape: "{{ .Files.Get "../../../../etc/hostname" }}"`,
			`ignored: "{{ .Files.Get "ignored/secret.txt" }}"`,
			`inside: {{ .Files.Get "data.txt" }}`,
			`kube: "{{ .Capabilities.KubeVersion.Version }}"`,
			`release: {{ .Release.Name }}/{{ .Release.Namespace }}`,
			`sts: {{ .Capabilities.APIVersions.Has "apps/v1/StatefulSet" }}`,
		}, "\n"),
		"templates/.hidden.yaml": "hidden: true\n",
		"templates/NOTES.txt":    "thanks\n",
	}), DefaultLimits)
	want := strings.Join([]string{
		`lookup: none`, `dns: ""`, `escape: ""`, `ignored: ""`, `inside: inside`,
		`kube: "v1.34.0"`, `release: minio/minio`, `sts: true`,
	}, "\n")
	if diff := cmp.Diff(want, output(rs[0], "templates/cm.yaml")); diff != "" {
		t.Errorf("sandboxed render (-want +got):\n%s", diff)
	}
	if len(rs[0].Manifests) != 1 {
		t.Errorf("want only templates/cm.yaml (no dotfile, no NOTES.txt), got %d manifests", len(rs[0].Manifests))
	}
}

func TestUnavailable(t *testing.T) {
	got := Unavailable(files(map[string]string{
		"templates/a.yaml": "x: 1\n{{/* lookup \"v1\" in a comment */}}\ny: {{ (lookup \"v1\" \"Secret\" .Release.Namespace \"s\").data }}\n" +
			"z: {{ .Files.Get \"/etc/passwd\" }}\nw: {{ .Files.Get \"files/ok.txt\" }}\n",
		"charts/sub/templates/b.yaml": "h: {{ getHostByName \"minio\" }}\n",
		"values.yaml":                 "lookup: {{ lookup }}\n",
		// Read from the parse tree: a word in a string is not a call, a
		// call in a helper or through $ is.
		"templates/_helpers.tpl": "{{- define \"x.secret\" -}}\n{{ printf \"lookup %s\" .name }}\n{{ $.Files.Lines \"../../etc/hosts\" }}\n{{- end }}\n",
	}))
	want := []Problem{
		{Kind: Withheld, File: "charts/sub/templates/b.yaml", Line: 1},
		{Kind: Withheld, File: "templates/_helpers.tpl", Line: 3},
		{Kind: Withheld, File: "templates/a.yaml", Line: 3},
		{Kind: Withheld, File: "templates/a.yaml", Line: 4},
	}
	for i := range got {
		got[i].Message = ""
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unavailable (-want +got):\n%s", diff)
	}
}

func TestSubchartsRenderFromTheirFolder(t *testing.T) {
	rs := Chart(context.Background(), files(map[string]string{
		"Chart.yaml":                     chartYAML + "dependencies:\n  - name: cache\n    version: 1.0.0\n",
		"values.yaml":                    "cache:\n  size: 3\n",
		"charts/redis/Chart.yaml":        "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
		"charts/redis/values.yaml":       "size: 1\n",
		"charts/redis/templates/cm.yaml": "size: {{ .Values.size }}\nchart: {{ .Chart.Name }}\n",
	}), DefaultLimits)
	if len(rs[0].Problems) > 0 {
		t.Fatalf("problems: %+v", rs[0].Problems)
	}
	if got := output(rs[0], "charts/redis/templates/cm.yaml"); got != "size: 3\nchart: cache\n" {
		t.Errorf("subchart output %q, want the parent's value for it", got)
	}
}

// TestRunawayTemplateIsAbandoned proves the time bound: the render returns
// with a limit problem long before the loop (about a second of work here)
// could end. It asserts the finding, not a duration.
func TestRunawayTemplateIsAbandoned(t *testing.T) {
	chart := files(map[string]string{
		"Chart.yaml":          chartYAML,
		"ci/more-values.yaml": "x: 1\n",
		"templates/loop.yaml": "{{- range until 3000 }}{{- range until 3000 }}{{- end }}{{- end }}\n",
	})
	rs := Chart(context.Background(), chart, Limits{Timeout: 50 * time.Millisecond, MaxOutput: 1 << 20})
	if len(rs) != 1 {
		t.Errorf("ci values were tried after the defaults ran out of time: %d renders", len(rs))
	}
	p := rs[0].Problems
	if len(p) != 1 || p[0].Kind != Limit || !strings.Contains(p[0].Message, "did not finish within 50ms") {
		t.Fatalf("problems %+v, want one time limit", p)
	}
	if p[0].File != "templates/loop.yaml" || p[0].Line != 1 {
		t.Errorf("time limit reported at %s:%d, want the loop at templates/loop.yaml:1", p[0].File, p[0].Line)
	}
}

func TestSuspect(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		file  string
		line  int
		ok    bool
	}{
		{"range over until", map[string]string{"templates/a.yaml": "a: 1\n{{- range $i := until 10 }}\n{{- end }}", "templates/b.yaml": "{{ range .Values.x }}{{ end }}"}, "templates/a.yaml", 2, true},
		{"helper that includes itself", map[string]string{"templates/_h.tpl": "{{- define \"x.loop\" -}}\n{{ include \"x.loop\" . }}\n{{- end }}\n{{- define \"x.ok\" }}{{ include \"x.loop\" . }}{{ end }}"}, "templates/_h.tpl", 2, true},
		{"two suspects", map[string]string{"templates/a.yaml": "{{ range until 3 }}{{ end }}", "templates/b.yaml": "{{ range seq 1 3 }}{{ end }}"}, "", 0, false},
		{"none", map[string]string{"templates/a.yaml": "{{ range .Values.list }}{{ end }}", "values.yaml": "{{ range until 3 }}"}, "", 0, false},
		{"generated in a nested pipeline", map[string]string{"templates/a.yaml": "a: 1\n\n{{ range $i, $_ := (until (int .Values.n)) }}{{ end }}"}, "templates/a.yaml", 3, true},
		{"commented include and a call after the define ended", map[string]string{"templates/_h.tpl": "{{- define \"x.a\" }}{{/* include \"x.a\" . */}}a{{ end }}\n{{ include \"x.a\" . }}\n{{ range .Values.until }}{{ end }}"}, "", 0, false},
		{"template action recursion", map[string]string{"templates/_h.tpl": "{{ define \"r\" }}\n\n{{ template \"r\" . }}{{ end }}"}, "templates/_h.tpl", 3, true},
		{"does not parse", map[string]string{"templates/a.yaml": "{{ range until 3 }"}, "", 0, false},
	} {
		file, line, ok := suspect(files(tc.files))
		if file != tc.file || line != tc.line || ok != tc.ok {
			t.Errorf("%s: suspect = %s:%d %v, want %s:%d %v", tc.name, file, line, ok, tc.file, tc.line, tc.ok)
		}
	}
}

func TestKeyLine(t *testing.T) {
	for _, tc := range []struct {
		line, key, value string
		indent           int
		ok               bool
	}{
		{"  replicas: {{ .Values.replicaCount }}", "replicas", "{{ .Values.replicaCount }}", 2, true},
		{"        - name: minio", "name", "minio", 10, true},
		{`    "helm.sh/hook": test`, "helm.sh/hook", "test", 4, true},
		{"spec:", "spec", "", 0, true},
		{"  image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"", "image", "\"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"", 2, true},
		{"    {{- include \"minio.labels\" . | nindent 4 }}", "", "", 0, false},
		{"# comment: here", "", "", 0, false},
		{"  - server", "", "", 0, false},
		{"", "", "", 0, false},
	} {
		indent, key, value, ok := KeyLine(tc.line)
		if indent != tc.indent || key != tc.key || value != tc.value || ok != tc.ok {
			t.Errorf("KeyLine(%q) = %d %q %q %v, want %d %q %q %v", tc.line, indent, key, value, ok, tc.indent, tc.key, tc.value, tc.ok)
		}
	}
}

func TestCancelledRender(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rs := Chart(ctx, files(map[string]string{"Chart.yaml": chartYAML, "templates/a.yaml": "a: 1\n"}), DefaultLimits)
	if p := rs[0].Problems; len(p) != 1 && len(rs[0].Manifests) != 1 {
		t.Errorf("a cancelled render neither rendered nor said why: %+v", rs[0])
	}
}

// TestOversizedCallsAreRefusedBeforeRendering: a single call that builds a
// huge list or string is caught before rendering, at its line, whether its
// size is a literal, piped, or comes from the values (the defaults or a
// ci/*-values.yaml); ordinary sizes render.
func TestOversizedCallsAreRefusedBeforeRendering(t *testing.T) {
	for _, tc := range []struct {
		name, template, values string
		ci                     string // a ci/big-values.yaml
		want                   string // "" when it renders
		wantLine               int
	}{
		{"literal until", "a: 1\n{{- range until 100000000 }}x{{ end }}\n", "", "", "`until 100000000` would allocate 100000000 elements", 2},
		{"piped", "a: 1\nb: {{ 100000000 | until | len }}\n", "", "", "`until` would allocate 100000000 elements", 2},
		{"parenthesised, in an if", "{{ if gt (len (until 50000000)) 1 }}a: 1{{ end }}\n", "", "", "`until 50000000` would allocate", 1},
		{"from the values", "a: 1\nb: {{ len (seq 1 (int .Values.size)) }}\n", "size: 90000000\n", "", "`seq 1 (int .Values.size)` would allocate 90000000 elements", 2},
		{"nested values", "a: {{ repeat (int64 .Values.big.count) .Values.big.s }}\n", "big:\n  count: 2000000\n  s: xyzw\n", "", "would allocate 8000000 bytes", 1},
		{"a string in the values", "a: {{ randAlpha (atoi .Values.size) }}\n", "size: \"9000000\"\n", "", "would allocate 9000000 bytes", 1},
		{"untilStep", "{{ range untilStep 0 900000000 10 }}{{ end }}a: 1\n", "", "", "`untilStep 0 900000000 10` would allocate 90000000 elements", 1},
		{"random string", "a: {{ randAlphaNum 99999999 }}\n", "", "", "would allocate 99999999 bytes", 1},
		{"the first of several, a define's included", "{{ define \"big\" }}{{ until 90000000 }}{{ end }}\na: {{ repeat 90000000 \"x\" }}\n{{ seq 90000000 }}\n", "", "", "`until 90000000`", 1},
		{"a span that overflows int64", "{{ if seq -9223372036854775808 9223372036854775807 }}{{ end }}a: 1\n", "", "", "`seq -9223372036854775808 9223372036854775807` would allocate", 1},
		{"only with the ci values", "a: {{ len (until (int .Values.size)) }}\n", "size: 3\n", "size: 70000000\n", "`until (int .Values.size)` would allocate 70000000 elements", 1},
		{"ordinary sizes", "{{ range until 100 }}{{ end }}a: {{ repeat 3 \"x\" }}\nb: {{ len (seq 5) }}\n", "", "", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := map[string]string{"Chart.yaml": chartYAML, "values.yaml": tc.values, "templates/cm.yaml": tc.template}
			if tc.ci != "" {
				fs["ci/big-values.yaml"] = tc.ci
			}
			start := time.Now()
			rs := Chart(context.Background(), files(fs), DefaultLimits)
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %s: the call ran instead of being refused", d)
			}
			var got []Problem
			for _, r := range rs {
				got = append(got, r.Problems...)
			}
			if tc.want == "" {
				if len(got) > 0 {
					t.Errorf("problems %+v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].Kind != Limit || got[0].File != "templates/cm.yaml" || got[0].Line != tc.wantLine || !strings.Contains(got[0].Message, tc.want) {
				t.Errorf("problems %+v, want one limit at templates/cm.yaml:%d containing %q", got, tc.wantLine, tc.want)
			}
		})
	}
}

// FuzzOversized: the allocation check reads any template text without
// panicking (what it cannot parse, the render reports).
func FuzzOversized(f *testing.F) {
	for _, s := range []string{"{{ until 5 }}", "{{ 100000000 | until }}", "{{ seq 1 (int .Values.n) }}", "{{ repeat (atoi .Values.s) \"x\" }}", "{{ define \"a\" }}{{ range untilStep 0 9 0 }}{{ end }}{{ end }}", "{{ if (seq -9223372036854775808 9223372036854775807) }}{{ end }}"} {
		f.Add(s)
	}
	values := map[string]any{"n": float64(3), "s": "12", "m": map[string]any{"k": int64(1)}}
	f.Fuzz(func(t *testing.T, text string) {
		_, _ = oversizedIn("templates/x.yaml", text, newTemplateTrees().get("templates/x.yaml", text), values)
	})
}

func TestMissingDependencyIsReportedAsHelmSaysIt(t *testing.T) {
	rs := Chart(context.Background(), files(map[string]string{
		"Chart.yaml":        chartYAML + "dependencies:\n  - name: common\n    version: 2.x.x\n    tags: [bitnami-common]\n",
		"templates/cm.yaml": "name: {{ include \"common.names.fullname\" . }}\n",
	}), DefaultLimits)
	if len(rs) != 1 || len(rs[0].Problems) != 1 {
		t.Fatalf("want one render with one problem, got %+v", rs)
	}
	if msg := rs[0].Problems[0].Message; !strings.Contains(msg, "missing in charts/ directory: common") || strings.Contains(msg, "no template") {
		t.Errorf("message %q does not say what helm template says", msg)
	}
}
