package release

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/kube"
	helmrelease "helm.sh/helm/v3/pkg/release"
	"sigs.k8s.io/yaml"

	"github.com/labcheck/labcheck/internal/deploy"
	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/parse/manifest"
)

// Options say what to install where.
type Options struct {
	Chart        discover.Chart
	Clients      *deploy.Clients
	Kubeconfig   string
	Namespace    string
	Adapter      *deploy.Adapter
	ReadyTimeout time.Duration
	Offline      bool
	HasImage     func(string) bool // whether the cluster's nodes hold an image
	// Admit, when set, is called with the rendered objects once they passed
	// the gate, before anything is installed; it may wait (for room), and
	// its error stops the install as the cluster's.
	Admit func(ctx context.Context, objs []*deploy.Object) error
	// Created, when set, is called once helm has created the release's
	// objects (or failed to), before they are waited for.
	Created func()
	Log     io.Writer
}

// Check is one graded outcome.
type Check struct {
	Skipped bool
	Failed  bool
	Notes   []deploy.Note // the failure, at template lines
	Message string        // why it was skipped
	Detail  string        // what was proven
}

// Result is Lab 3's outcome up to a Ready release; Installer.Test runs
// its tests.
type Result struct {
	Install     Check
	Adaptations []deploy.Note
	Workloads   []*deploy.Object // the release's StatefulSets and Deployments, for the HA proof
	Release     string
}

// Installer installs one chart.
type Installer struct {
	o     Options
	cfg   *action.Configuration
	chart *chart.Chart
	files map[string][]byte // chart-relative path -> content, for lines
	rel   *helmrelease.Release
}

// Install renders, gates, installs and waits for the chart. err is for
// the cluster failing; everything the chart does wrong is in the Result.
func Install(ctx context.Context, o Options) (*Installer, Result, error) {
	in := &Installer{o: o, files: map[string][]byte{}}
	var res Result
	var bufs []*loader.BufferedFile
	for _, f := range o.Chart.Files {
		bufs = append(bufs, &loader.BufferedFile{Name: f.Rel, Data: f.Data})
		in.files[f.Rel] = f.Data
	}
	ch, err := loader.LoadFiles(bufs)
	if err != nil {
		res.Install = failed(deploy.Note{File: in.chartFile("Chart.yaml"), Line: 1, Message: "the chart does not load: " + err.Error()})
		return in, res, nil
	}
	in.chart = ch
	res.Release = ch.Name()
	in.cfg = new(action.Configuration)
	getter := kube.GetConfig(o.Kubeconfig, "", o.Namespace)
	if err := in.cfg.Init(getter, o.Namespace, "secret", func(string, ...interface{}) {}); err != nil {
		return in, res, fmt.Errorf("helm: %w", err)
	}
	// Render client-side first: the gate must see every object and hook
	// before anything reaches the cluster.
	objs, hooks, notes, err := in.render(ctx)
	if err != nil {
		return in, res, err
	}
	if len(notes) > 0 {
		res.Install = failed(notes...)
		return in, res, nil
	}
	if refusals := deploy.Gate(append(objs, hooks...)); len(refusals) > 0 {
		res.Install = failed(refusals...)
		return in, res, nil
	}
	if o.Admit != nil {
		if err := o.Admit(ctx, objs); err != nil {
			return in, res, err
		}
	}
	if err := in.createNamespace(ctx); err != nil {
		return in, res, err
	}
	pr := &postRenderer{in: in}
	inst := action.NewInstall(in.cfg)
	inst.Namespace, inst.ReleaseName = o.Namespace, ch.Name()
	inst.Timeout = o.ReadyTimeout
	inst.PostRenderer = pr
	start := time.Now()
	rel, err := inst.RunWithContext(ctx, ch, map[string]any{})
	if o.Created != nil {
		o.Created()
	}
	res.Adaptations = pr.notes
	if err != nil {
		if ctx.Err() != nil {
			return in, res, context.Cause(ctx)
		}
		res.Install = failed(deploy.Note{File: in.chartFile("Chart.yaml"), Line: 1, Message: "helm install " + ch.Name() + " failed: " + err.Error()})
		return in, res, nil
	}
	in.rel = rel
	res.Workloads = deploy.Workloads(pr.objs)
	for _, w := range res.Workloads {
		n, err := o.Clients.Wait(ctx, w, o.ReadyTimeout, o.Log)
		if err != nil {
			return in, res, err
		}
		if n != nil {
			res.Install = failed(*n)
			return in, res, nil
		}
	}
	res.Install = Check{Detail: fmt.Sprintf("release %s installed into namespace %s; %s Ready after %s", ch.Name(), o.Namespace, deploy.Names(res.Workloads), time.Since(start).Round(time.Second))}
	return in, res, nil
}

func failed(notes ...deploy.Note) Check { return Check{Failed: true, Notes: notes} }

// chartFile is a chart file's path as reports show it.
func (in *Installer) chartFile(rel string) string {
	return path.Join(in.o.Chart.Path, rel)
}

func (in *Installer) createNamespace(ctx context.Context) error {
	ns, _ := deploy.NewObject("", 0, nil, map[string]any{
		"apiVersion": "v1", "kind": "Namespace",
		"metadata": map[string]any{"name": in.o.Namespace, "labels": map[string]any{"pod-security.kubernetes.io/enforce": "baseline", "app.kubernetes.io/managed-by": "labcheck"}},
	})
	notes, err := in.o.Clients.Apply(ctx, []*deploy.Object{ns}, deploy.ApplyOptions{})
	if err == nil && len(notes) > 0 {
		err = fmt.Errorf("namespace %s: %s", in.o.Namespace, notes[0].Message)
	}
	return err
}

// render renders the chart as the install will (the cluster's version, the
// release's name and namespace) without touching the cluster.
func (in *Installer) render(ctx context.Context) (objs, hooks []*deploy.Object, notes []deploy.Note, err error) {
	// A client-only install swaps its Configuration's clients for fakes and
	// in-memory storage: it gets a Configuration of its own.
	renderCfg := &action.Configuration{Log: func(string, ...interface{}) {}}
	dry := action.NewInstall(renderCfg)
	dry.DryRun, dry.ClientOnly = true, true
	dry.Namespace, dry.ReleaseName = in.o.Namespace, in.chart.Name()
	dry.IncludeCRDs = true
	if v, verr := in.o.Clients.ServerVersion(); verr == nil {
		if kv, perr := chartutil.ParseKubeVersion(v); perr == nil {
			dry.KubeVersion = kv
		}
	}
	rel, rerr := dry.RunWithContext(ctx, in.chart, map[string]any{})
	if rerr != nil {
		if ctx.Err() != nil {
			return nil, nil, nil, context.Cause(ctx)
		}
		return nil, nil, []deploy.Note{{File: in.chartFile("Chart.yaml"), Line: 1, Message: "the chart does not render: " + rerr.Error()}}, nil
	}
	objs, notes = in.objects(rel.Manifest)
	for _, h := range rel.Hooks {
		ho, hn := in.objects("# Source: " + h.Path + "\n" + h.Manifest)
		hooks, notes = append(hooks, ho...), append(notes, hn...)
	}
	return objs, hooks, notes, nil
}

var sourceComment = regexp.MustCompile(`(?m)^# Source: (\S+)\s*$`)

// objects splits rendered manifests into objects, each attributed to its
// template file, at the line of the template that most likely wrote it.
func (in *Installer) objects(rendered string) ([]*deploy.Object, []deploy.Note) {
	var out []*deploy.Object
	var notes []deploy.Note
	for _, doc := range splitDocs(rendered) {
		src := ""
		if m := sourceComment.FindStringSubmatch(doc); m != nil {
			src = m[1]
		}
		rel := strings.TrimPrefix(src, in.chart.Name()+"/")
		file := in.chartFile(rel)
		ms, probs := manifest.Parse(file, []byte(doc), manifest.DefaultLimits)
		for _, p := range probs {
			notes = append(notes, deploy.Note{File: file, Line: 1, Message: "rendered YAML does not parse: " + p.Message})
		}
		for _, m := range ms {
			if m.APIVersion == "" || m.Kind == "" {
				continue
			}
			o, err := deploy.NewObject(file, 0, templateLines(in.files[rel], m.Lines), m.Object)
			if err != nil {
				notes = append(notes, deploy.Note{File: file, Line: 1, Message: err.Error()})
				continue
			}
			o.Line = kindLine(in.files[rel], m.Kind)
			out = append(out, o)
		}
	}
	return out, notes
}

func splitDocs(s string) []string {
	var out []string
	for _, d := range regexp.MustCompile(`(?m)^---\s*$`).Split(s, -1) {
		if strings.TrimSpace(d) != "" {
			out = append(out, d)
		}
	}
	return out
}

// kindLine is the template line that sets `kind: K`, else 1.
func kindLine(tpl []byte, kind string) int {
	for i, l := range strings.Split(string(tpl), "\n") {
		if strings.TrimSpace(l) == "kind: "+kind {
			return i + 1
		}
	}
	return 1
}

// templateLines maps each rendered field path to the first template line
// whose key is that field's last key: good enough to point at the
// `privileged:` or `storageClassName:` a student wrote.
func templateLines(tpl []byte, rendered map[string]int) map[string]int {
	lines := strings.Split(string(tpl), "\n")
	out := map[string]int{}
	for p := range rendered {
		key := lastKey(p)
		if key == "" {
			continue
		}
		for i, l := range lines {
			t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- "))
			if strings.HasPrefix(t, key+":") {
				out[p] = i + 1
				break
			}
		}
	}
	return out
}

func lastKey(p string) string {
	if strings.HasSuffix(p, `"]`) {
		if i := strings.LastIndex(p, `["`); i >= 0 {
			if k, err := strconv.Unquote(p[i+1 : len(p)-1]); err == nil {
				return k
			}
		}
	}
	if strings.HasSuffix(p, "]") {
		return "" // a list item has no key of its own
	}
	return p[strings.LastIndex(p, ".")+1:]
}

// postRenderer adapts the release's manifests to the cluster (storage
// classes, missing secrets, side-loaded images) as Lab 2's are.
type postRenderer struct {
	in    *Installer
	objs  []*deploy.Object
	notes []deploy.Note
}

func (p *postRenderer) Run(rendered *bytes.Buffer) (*bytes.Buffer, error) {
	objs, notes := p.in.objects(rendered.String())
	if len(notes) > 0 {
		return nil, fmt.Errorf("%s", notes[0].Message)
	}
	objs, p.notes = p.in.o.Adapter.AdaptRelease(objs, p.in.o.Namespace)
	p.objs = objs
	var out bytes.Buffer
	for _, o := range objs {
		data, err := yaml.Marshal(o.Object)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o, err)
		}
		out.WriteString("---\n")
		out.Write(data)
	}
	return &out, nil
}
