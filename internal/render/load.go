package render

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/ignore"
	"sigs.k8s.io/yaml"
)

// load builds a chart from its files with Helm's loader. When Helm refuses
// Chart.yaml's name or version, the chart is loaded again with stand-ins so
// that its templates are still rendered and judged; the Chart.yaml rules
// report the field itself, and the stand-in is a Repaired problem.
func load(files []*loader.BufferedFile) (*chart.Chart, []Problem) {
	c, err := loader.LoadFiles(files)
	if err == nil {
		return c, nil
	}
	if verr, ok := err.(chart.ValidationError); ok {
		fixed, fields := repairChartYAML(files)
		if len(fields) > 0 {
			if c, err := loader.LoadFiles(fixed); err == nil {
				var probs []Problem
				for _, f := range fields {
					probs = append(probs, Problem{Kind: Repaired, File: "Chart.yaml", Field: f, Message: verr.Error()})
				}
				return c, probs
			}
		}
	}
	return nil, []Problem{loadProblem(err)}
}

// repairChartYAML replaces a name or version Helm would refuse with a
// stand-in, and says which fields it replaced.
func repairChartYAML(files []*loader.BufferedFile) ([]*loader.BufferedFile, []string) {
	out := make([]*loader.BufferedFile, len(files))
	copy(out, files)
	for i, f := range files {
		if f.Name != "Chart.yaml" {
			continue
		}
		var md map[string]any
		if err := yaml.Unmarshal(f.Data, &md); err != nil || md == nil {
			return files, nil
		}
		var fields []string
		if name, _ := md["name"].(string); name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
			md["name"], fields = "chart", append(fields, "name")
		}
		if v, _ := md["version"].(string); !helmVersion(v) {
			md["version"], fields = "0.0.0", append(fields, "version")
		}
		data, err := yaml.Marshal(md)
		if err != nil {
			return files, nil
		}
		out[i] = &loader.BufferedFile{Name: f.Name, Data: data}
		return out, fields
	}
	return files, nil
}

// helmVersion reports whether Helm accepts v as a chart version.
func helmVersion(v string) bool {
	_, err := semver.NewVersion(v)
	return v != "" && err == nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// withoutIgnored drops the files the chart's .helmignore (and Helm's
// default rule, dotfiles in templates/) leaves out, checking each file's
// folders first as Helm's directory loader does, and strips byte-order
// marks as it does.
func withoutIgnored(files []*loader.BufferedFile) []*loader.BufferedFile {
	rules := helmIgnore(files)
	var out []*loader.BufferedFile
	for _, f := range files {
		if ignoredPath(rules, f.Name) {
			continue
		}
		out = append(out, &loader.BufferedFile{Name: f.Name, Data: bytes.TrimPrefix(f.Data, utf8BOM)})
	}
	return out
}

// helmIgnore reads the chart's .helmignore plus Helm's default rule. As
// in Helm's directory loader, the top chart's rules apply to every file
// under it, an unpacked subchart's files included; a subchart's own
// .helmignore is not read.
func helmIgnore(files []*loader.BufferedFile) *ignore.Rules {
	rules := ignore.Empty()
	for _, f := range files {
		if f.Name == ignore.HelmIgnore {
			if r, err := ignore.Parse(bytes.NewReader(f.Data)); err == nil {
				rules = r
			}
		}
	}
	rules.AddDefaults()
	return rules
}

// Ignored returns a chart's .helmignore (with Helm's default rule) as a
// test of a chart-relative file name: whether Helm leaves that file out of
// the chart. Files it leaves out are neither read nor judged.
func Ignored(files []*loader.BufferedFile) func(name string) bool {
	rules := helmIgnore(files)
	return func(name string) bool { return ignoredPath(rules, name) }
}

func ignoredPath(rules *ignore.Rules, name string) bool {
	parts := strings.Split(name, "/")
	for i := 1; i < len(parts); i++ {
		if rules.Ignore(strings.Join(parts[:i], "/"), entry{name: parts[i-1], dir: true}) {
			return true
		}
	}
	return rules.Ignore(name, entry{name: path.Base(name)})
}

// entry is the little of fs.FileInfo that ignore rules look at.
type entry struct {
	name string
	dir  bool
}

func (e entry) Name() string       { return e.name }
func (e entry) Size() int64        { return 0 }
func (e entry) Mode() fs.FileMode  { return map[bool]fs.FileMode{true: fs.ModeDir}[e.dir] }
func (e entry) ModTime() time.Time { return time.Time{} }
func (e entry) IsDir() bool        { return e.dir }
func (e entry) Sys() any           { return nil }

// source is a template's file and text.
type source struct {
	path string // relative to the chart folder
	text string
}

// templateIndex maps the names Helm's engine gives templates
// (minio/templates/x.yaml, minio/charts/sub/templates/y.yaml: chart names,
// not folders) to their files.
func templateIndex(c *chart.Chart, files []*loader.BufferedFile) map[string]source {
	idx := map[string]source{}
	indexTemplates(c, "", files, idx)
	return idx
}

func indexTemplates(c *chart.Chart, dir string, files []*loader.BufferedFile, idx map[string]source) {
	for _, t := range c.Templates {
		idx[c.ChartFullPath()+"/"+t.Name] = source{path: dir + t.Name, text: string(t.Data)}
	}
	for _, d := range c.Dependencies() {
		indexTemplates(d, subchartDir(dir, d, files), files, idx)
	}
}

// subchartDir finds the folder under charts/ a dependency was loaded from:
// the one whose Chart.yaml is the dependency's. Folder and chart names
// usually agree, but nothing makes them.
func subchartDir(dir string, d *chart.Chart, files []*loader.BufferedFile) string {
	var raw []byte
	for _, f := range d.Raw {
		if f.Name == "Chart.yaml" {
			raw = f.Data
		}
	}
	for _, f := range files {
		rest, ok := strings.CutPrefix(f.Name, dir+"charts/")
		if sub, file, _ := strings.Cut(rest, "/"); ok && file == "Chart.yaml" && bytes.Equal(f.Data, raw) {
			return fmt.Sprintf("%scharts/%s/", dir, sub)
		}
	}
	return dir + "charts/" + d.Name() + "/"
}
