package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labcheck/labcheck/internal/cluster"
	"github.com/labcheck/labcheck/internal/deploy"
	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/imagebuild"
)

// Config is one dynamic run.
type Config struct {
	Options dynamic.Options
	Path    string        // the submission, as the user typed it
	Labs    []finding.Lab // empty: every lab the submission has
	Log     io.Writer     // progress
}

// env is what the labs share: the cluster and its clients.
type env struct {
	cfg     Config
	runID   string
	cluster *cluster.Cluster
	clients *deploy.Clients
	adapter *deploy.Adapter
	tree    *discover.Tree
	nodes   int
	loss    *nodeLoss // Labs 2 and 3 side by side: their node-loss steps
	// Labs 2 and 3 side by side: chartMade closes chartIn once the chart's
	// objects are made, or the chart will not be installed first.
	chartIn   <-chan struct{}
	chartMade func()
	deployed  map[string]bool // namespaces Lab 2 deployed into
}

// Run runs the dynamic phase. The result holds every step run so far even
// when err is set; err means labcheck could not do its job (no Docker
// engine, the cluster failed, the run was cancelled or timed out), never
// that the submission failed.
func Run(ctx context.Context, cfg Config) (res *dynamic.Result, err error) {
	r := newRunner(cfg.Log)
	defer func() {
		r.res.Seconds = roundSeconds(time.Since(r.start))
		res = r.res
	}()
	if err := cfg.Options.Validate(); err != nil {
		return nil, err
	}
	tree, err := discover.Walk(cfg.Path, discover.DefaultLimits)
	if err != nil {
		return nil, err
	}
	e := &env{cfg: cfg, tree: tree, runID: cluster.NewName(), deployed: map[string]bool{}}
	r.res.Environment.Docker = dockerVersion(ctx)
	if err := e.checkLoadImages(ctx); err != nil {
		return r.res, err
	}
	lock, err := cluster.LockRun(e.runID)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	var wg sync.WaitGroup
	var labErr error
	if e.wants(finding.Docker) {
		wg.Go(func() { labErr = r.dockerLab(ctx, e) })
	}
	clusterErr := r.clusterLabs(ctx, e, lock)
	wg.Wait()
	r.award(catalogRequires)
	return r.res, errors.Join(clusterErr, labErr)
}

// checkLoadImages refuses, before anything is created, a --load-image
// whose LOCAL image the Docker engine does not have: loading it would
// fail only after the cluster was up.
func (e *env) checkLoadImages(ctx context.Context) error {
	if e.cfg.Options.Kubeconfig != "" {
		return nil // substituted, not loaded: the user's cluster must hold it
	}
	for _, spec := range e.cfg.Options.LoadImages {
		rule, err := deploy.ParseImageRule(spec)
		if err != nil {
			return err
		}
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		out, err := exec.CommandContext(c, "docker", "image", "inspect", "--format", "{{.Id}}", rule.Local).CombinedOutput()
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			return fmt.Errorf("--load-image %s: the local Docker engine has no image %s (%s); build or load it first (docker images lists what it has)", spec, rule.Local, firstLine(string(out)))
		}
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// wants reports whether a lab is selected and handed in.
func (e *env) wants(lab finding.Lab) bool {
	if len(e.cfg.Labs) > 0 && !slices.Contains(e.cfg.Labs, lab) {
		return false
	}
	switch lab {
	case finding.Docker:
		return len(e.files(discover.Dockerfile, lab)) > 0
	case finding.Helm:
		return len(e.tree.Charts) > 0
	default:
		return len(e.files(discover.Manifest, lab)) > 0
	}
}

func (e *env) files(kind discover.Kind, lab finding.Lab) []discover.File {
	var out []discover.File
	for _, f := range e.tree.Files {
		if f.Kind == kind && f.Lab == lab {
			out = append(out, f)
		}
	}
	return discover.Sorted(out)
}

// clusterLabs provisions the cluster and runs Labs 2, 4 and 3 on it: in a
// cluster labcheck made, Lab 3 beside Labs 2 and 4 (sideBySide);
// otherwise in that order (Lab 4 checks its routes against Lab 2's
// Services; Lab 2 is removed before Lab 3 so both fit on a small cluster).
func (r *runner) clusterLabs(ctx context.Context, e *env, lock *cluster.Lock) (err error) {
	labs := []finding.Lab{}
	for _, l := range []finding.Lab{finding.Kubernetes, finding.Istio, finding.Helm} {
		if e.wants(l) {
			labs = append(labs, l)
		}
	}
	if len(labs) == 0 {
		return nil
	}
	// Registered before the cluster exists: provision sets e.cluster the
	// moment kind has made it, so every way out after that (an image that
	// does not load, the API not answering, Ctrl-C, the timeout) deletes it.
	defer func() {
		if derr := r.teardown(e); derr != nil {
			err = errors.Join(err, derr)
		}
	}()
	if err := r.provision(ctx, e, lock); err != nil {
		return err
	}
	if slices.Contains(labs, finding.Kubernetes) && slices.Contains(labs, finding.Helm) && e.cluster.Owned() {
		return r.sideBySide(ctx, e, slices.Contains(labs, finding.Istio))
	}
	for _, lab := range labs {
		var err error
		switch lab {
		case finding.Kubernetes:
			if err = r.nodesReady(ctx, e); err == nil {
				err = r.kubernetesLab(ctx, e)
			}
		case finding.Istio:
			err = r.istioLab(ctx, e)
		case finding.Helm:
			if cerr := r.clearKubernetesLab(ctx, e); cerr != nil {
				return cerr
			}
			if err = r.nodesReady(ctx, e); err == nil {
				err = r.helmLab(ctx, e, nil)
			}
		}
		if err != nil {
			return fmt.Errorf("%s lab: %w", lab, err)
		}
	}
	return nil
}

// nodesReady waits, before a lab's workloads are placed, until no node of
// the cluster labcheck made is still coming up: kind waits only for the
// control plane, a worker's network may still be coming up after the
// images loaded, and a node stopped by a node-loss check is restarting.
// A workload placed on fewer nodes than the student planned for would
// be judged on labcheck's haste (two members of a preferred
// anti-affinity on one node leave no node to stop). A user's own cluster
// (--kubeconfig) is taken as it is.
func (r *runner) nodesReady(ctx context.Context, e *env) error {
	if !e.cluster.Owned() {
		return nil
	}
	start := time.Now()
	waiting, err := e.clients.NodesReady(ctx, 2*time.Minute)
	switch {
	case err != nil:
		return err
	case len(waiting) > 0:
		r.printf("%s still not up after %s (not Ready, or tainted not-ready, unreachable or network-unavailable); going on: the workloads are placed on the other nodes",
			plural(len(waiting), "node")+" "+strings.Join(waiting, ", "), time.Since(start).Round(time.Second))
	case time.Since(start) >= time.Second:
		r.printf("waited %s until every node was up", time.Since(start).Round(100*time.Millisecond))
	}
	return nil
}

// provision creates (or connects to) the cluster and side-loads images.
func (r *runner) provision(ctx context.Context, e *env, lock *cluster.Lock) error {
	o := e.cfg.Options
	env := &r.res.Environment
	if o.Kubeconfig != "" {
		e.cluster = cluster.Existing(o.Kubeconfig)
		env.Provider, env.Cluster = "kubeconfig", o.Kubeconfig
	} else {
		var raw []byte
		if o.KindConfig != "" {
			var err error
			if raw, err = os.ReadFile(o.KindConfig); err != nil {
				return fmt.Errorf("--kind-config: %w", err)
			}
		}
		s := r.begin("", "", "create kind cluster "+e.runID+" from "+o.NodeImage)
		c, err := cluster.Create(ctx, cluster.Options{
			Name: e.runID, NodeImage: o.NodeImage, Workers: o.Workers, KindConfig: raw,
			WaitReady: 3 * time.Minute, Log: indented{r}, Lock: lock,
		})
		if err != nil {
			s.error(err)
			return err
		}
		e.cluster = c
		s.pass(plural(c.NodeCount(), "node"))
		env.Provider, env.Cluster, env.NodeImage, env.Kind = "kind", c.Name, o.NodeImage, cluster.KindVersion()
		e.nodes = c.NodeCount()
		if o.Keep {
			env.Kept, env.Kubeconfig = true, c.Kubeconfig
		}
	}
	clients, err := deploy.Connect(e.cluster.Kubeconfig)
	if err != nil {
		return err
	}
	e.clients = clients
	if v, err := clients.ServerVersion(); err == nil {
		env.Kubernetes = v
	}
	if e.nodes == 0 {
		if nodes, err := clients.Kube.CoreV1().Nodes().List(ctx, metav1ListOptions()); err == nil {
			e.nodes = len(nodes.Items)
		}
	}
	env.Nodes = e.nodes
	facts, err := clients.Facts(ctx)
	if err != nil {
		return err
	}
	e.adapter = &deploy.Adapter{Facts: facts}
	type load struct {
		rule deploy.ImageRule
		step *step
	}
	var loads []load
	var locals []string
	for _, spec := range o.LoadImages {
		rule, err := deploy.ParseImageRule(spec)
		if err != nil {
			return err
		}
		e.adapter.Images = append(e.adapter.Images, rule)
		s := r.begin("", "", "load image "+rule.Local)
		if !e.cluster.Owned() {
			// The user's cluster: labcheck substitutes the image but
			// loads nothing into nodes it did not create.
			s.end(dynamic.Skip, "an existing cluster (--kubeconfig): not loaded by labcheck, it must already hold "+rule.Local+substituted(rule))
			continue
		}
		loads = append(loads, load{rule: rule, step: s})
		locals = append(locals, rule.Local)
	}
	if len(loads) == 0 {
		return nil
	}
	// Their steps end in the given order.
	done, of, err := e.cluster.LoadImages(ctx, locals)
	if err != nil && ctx.Err() != nil {
		return context.Cause(ctx) // once, not once per image
	}
	if err != nil {
		for _, l := range loads {
			l.step.error(err)
		}
		return err
	}
	var errs []error
	for i, l := range loads {
		d := done[i]
		if d.Err != nil {
			l.step.took(d.Took).error(d.Err)
			errs = append(errs, d.Err)
			continue
		}
		l.step.took(d.Took).pass(loadDetail(l.rule, d.Loaded, of))
	}
	return errors.Join(errs...)
}

func substituted(rule deploy.ImageRule) string {
	if rule.Repository == "" {
		return ""
	}
	return "; used for " + rule.Repository
}

// loadDetail says where an image was side-loaded: nodes that held it
// under the same ID already were skipped.
func loadDetail(rule deploy.ImageRule, loaded, of int) string {
	var where string
	switch {
	case loaded == 0:
		where = "already in every node under the same image ID (baked into the node image or loaded before): nothing to load"
	case loaded < of:
		where = fmt.Sprintf("side-loaded into %d of %d nodes (the others held it under the same image ID)", loaded, of)
	default:
		where = "side-loaded into every node"
	}
	return where + substituted(rule)
}

// teardown deletes the cluster unless --keep (or it is the user's).
func (r *runner) teardown(e *env) error {
	if e.cluster == nil || !e.cluster.Owned() {
		return nil
	}
	if e.cfg.Options.Keep {
		e.cluster.Keep()
		r.printf("kept cluster %s: kubectl --kubeconfig %s get pods -A; delete it with: labcheck verify --cleanup", e.cluster.Name, e.cluster.Kubeconfig)
		return nil
	}
	s := r.begin("", "", "delete kind cluster "+e.cluster.Name)
	if err := e.cluster.Delete(); err != nil {
		s.error(err)
		return err
	}
	s.pass("")
	return nil
}

// Cleanup removes what killed runs left: their kind clusters, containers
// and images. Runs still going are left alone.
func Cleanup(ctx context.Context, log io.Writer) error {
	left, err := cluster.Cleanup(log)
	for _, l := range left {
		if l.Removed {
			fmt.Fprintf(log, "removed kind cluster %s\n", l.Name)
		} else {
			fmt.Fprintf(log, "kept kind cluster %s: %s\n", l.Name, l.Reason)
		}
	}
	removed, derr := imagebuild.Cleanup(ctx, cluster.InUse)
	for _, x := range removed {
		fmt.Fprintf(log, "removed %s\n", x)
	}
	if len(left) == 0 && len(removed) == 0 && err == nil && derr == nil {
		fmt.Fprintln(log, "nothing to clean up")
	}
	return errors.Join(err, derr)
}

func dockerVersion(ctx context.Context) string {
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(c, "docker", "version", "--format", "{{.Server.Version}}").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// indented passes kind's progress lines through the runner's log.
type indented struct{ r *runner }

func (w indented) Write(p []byte) (int, error) {
	w.r.mu.Lock()
	defer w.r.mu.Unlock()
	return w.r.log.Write(p)
}

// plural is "1 node", "3 nodes".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
