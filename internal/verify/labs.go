package verify

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/labcheck/labcheck/internal/deploy"
	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/imagebuild"
	"github.com/labcheck/labcheck/internal/mesh"
	"github.com/labcheck/labcheck/internal/parse/manifest"
	"github.com/labcheck/labcheck/internal/probe"
	"github.com/labcheck/labcheck/internal/release"
)

func metav1ListOptions() metav1.ListOptions { return metav1.ListOptions{} }

// helmNamespace is where Lab 3's release goes: its own namespace.
const helmNamespace = "labcheck-helm"

// dockerLab is Lab 1: build, run as non-root, compare sizes.
func (r *runner) dockerLab(ctx context.Context, e *env) error {
	files := e.files(discover.Dockerfile, finding.Docker)
	df := files[0]
	for _, f := range files {
		if strings.EqualFold(f.Rel[strings.LastIndex(f.Rel, "/")+1:], "Dockerfile") {
			df = f
			break
		}
	}
	r.printf("start %s %s, %s, %s (%s)", imageBuilds.id, imageBuilds.title, imageNonRoot.title, imageSmaller.title, df.Path)
	res, err := imagebuild.Run(ctx, imagebuild.Options{Dockerfile: df.Path, Data: df.Data, RunID: e.runID, Offline: e.cfg.Options.Offline, NoCache: e.cfg.Options.NoBuildCache, Log: indented{r}})
	if err != nil {
		r.done(imageBuilds, dynamic.Error, 0, err.Error())
		return fmt.Errorf("docker lab: %w", err)
	}
	for _, x := range []struct {
		c check
		o imagebuild.Check
	}{{imageBuilds, res.Build}, {imageNonRoot, res.NonRoot}, {imageSmaller, res.Size}} {
		switch {
		case x.o.Skipped:
			sev := finding.Info
			if res.Build.Failed {
				sev = finding.Error
			}
			r.skipAt(x.c, x.o.Message, df.Path, x.o.Line, sev)
		case x.o.Unjudged:
			// Not the student's doing: the check is an error (no points,
			// not a failure), and the finding says why.
			r.done(x.c, dynamic.Error, x.o.Took, x.o.Message, dynamic.Finding{Rule: x.c.id, Lab: x.c.lab, Message: x.o.Message, File: df.Path, Line: x.o.Line, Severity: finding.Info})
		case x.o.Failed:
			r.done(x.c, dynamic.Fail, x.o.Took, x.o.Message, dynamic.Finding{Rule: x.c.id, Lab: x.c.lab, Message: x.o.Message, File: df.Path, Line: x.o.Line})
		default:
			r.done(x.c, dynamic.Pass, x.o.Took, x.o.Detail)
		}
	}
	return nil
}

// done records a step that ran elsewhere and took took.
func (r *runner) done(c check, status dynamic.Status, took time.Duration, detail string, fs ...dynamic.Finding) {
	s := &step{r: r, s: dynamic.Step{Rule: c.id, Lab: c.lab, Title: c.title}, begun: time.Now().Add(-took)}
	s.end(status, detail, fs...)
}

// objects parses a lab's manifests. Parse problems are the static phase's
// findings (…-000); here they only say the lab cannot be deployed.
func (e *env) objects(lab finding.Lab) ([]*deploy.Object, string, int, string) {
	files := e.files(discover.Manifest, lab)
	if len(files) == 0 {
		return nil, "", 0, ""
	}
	var ms []manifest.Object
	for _, f := range files {
		objs, probs := manifest.Parse(f.Path, f.Data, manifest.DefaultLimits)
		if len(probs) > 0 {
			return nil, f.Path, probs[0].Line, fmt.Sprintf("%s:%d does not parse (%s); nothing of the lab was deployed", probs[0].File, probs[0].Line, probs[0].Message)
		}
		ms = append(ms, objs...)
	}
	objs, err := deploy.FromManifests(ms)
	if err != nil {
		return nil, path.Dir(files[0].Path), 0, err.Error()
	}
	deploy.DefaultNamespaces(objs, "default")
	return objs, files[0].Path, 0, ""
}

// kubernetesLab is Lab 2: gate, adapt, apply, wait, then the HA proof.
func (r *runner) kubernetesLab(ctx context.Context, e *env) error {
	rest := []check{k8sAccepted, k8sReady, k8sReadWrite, k8sPodLoss, k8sRecovery, k8sNodeLoss}
	objs, file, line, problem := e.objects(finding.Kubernetes)
	if problem != "" {
		for _, c := range append([]check{k8sGate}, rest...) {
			r.skipAt(c, problem, file, line, finding.Error)
		}
		return nil
	}
	s := r.beginCheck(k8sGate)
	if refusals := deploy.Gate(objs); len(refusals) > 0 {
		s.fail(refusals, "")
		r.skipChecks(rest, "the security gate refused the manifests: nothing was deployed", file, finding.Error)
		return nil
	}
	s.pass(fmt.Sprintf("%d objects: no privileged container, hostPath, hostNetwork, hostPID, hostIPC or hostPort", len(objs)))
	adapted, notes := e.adapter.Adapt(objs)
	r.notes(k8sAdapted.id, k8sAdapted.lab, notes, finding.Info)

	r.afterChart(ctx, e)
	s = r.beginCheck(k8sAccepted)
	rejected, err := e.clients.Apply(ctx, adapted, deploy.ApplyOptions{Manager: "labcheck-kubernetes"})
	if err != nil {
		s.error(err)
		return err
	}
	for _, o := range adapted {
		if o.GetKind() == "Namespace" {
			e.deployed[o.GetName()] = true
		} else if ns := o.GetNamespace(); ns != "" {
			e.deployed[ns] = true
		}
	}
	if len(rejected) > 0 {
		s.fail(rejected, "")
	} else {
		s.pass(fmt.Sprintf("%d objects applied server-side in dependency order (%d adapted to the cluster, see DYN-019)", len(adapted), len(notes)))
	}
	return r.readyAndHA(ctx, e, adapted, k8sReady, k8sHA, file)
}

// readyAndHA waits for a lab's workloads and proves the MinIO among them
// highly available.
func (r *runner) readyAndHA(ctx context.Context, e *env, objs []*deploy.Object, ready check, hc haChecks, file string) error {
	ha := []check{hc.readWrite, hc.podLoss, hc.recovery, hc.nodeLoss}
	workloads := deploy.Workloads(objs)
	if len(workloads) == 0 {
		// An absence: the finding names the lab's folder, not a line.
		r.skipChecks(append([]check{ready}, ha...), "the submission has no StatefulSet or Deployment to run", path.Dir(file), finding.Error)
		return nil
	}
	s := r.beginCheck(ready)
	var failures []deploy.Note
	for _, w := range workloads {
		n, err := e.clients.Wait(ctx, w, e.cfg.Options.ReadyTimeout, indented{r})
		if err != nil {
			s.error(err)
			return err
		}
		if n != nil {
			failures = append(failures, *n)
		}
	}
	if len(failures) > 0 {
		s.fail(failures, "")
		r.skipChecks(ha, "the workloads did not become Ready", file, finding.Error)
		return nil
	}
	s.pass(fmt.Sprintf("%s Ready: %s", plural(len(workloads), "workload"), deploy.Names(workloads)))
	return r.haProof(ctx, e, hc, minioStatefulSet(workloads))
}

// skipChecks skips several checks for one reason.
func (r *runner) skipChecks(cs []check, why, file string, sev finding.Severity) {
	for _, c := range cs {
		r.skipCheck(c, why, file, sev)
	}
}

// minioStatefulSet is the StatefulSet running `minio server`, else the
// first StatefulSet, else nil.
func minioStatefulSet(objs []*deploy.Object) *deploy.Object {
	var first *deploy.Object
	for _, o := range objs {
		if o.GetKind() != "StatefulSet" {
			continue
		}
		if first == nil {
			first = o
		}
		cs, _, _ := unstructured.NestedSlice(o.Object, "spec", "template", "spec", "containers")
		for _, c := range cs {
			m, _ := c.(map[string]any)
			for _, field := range []string{"args", "command"} {
				vals, _, _ := unstructured.NestedStringSlice(m, field)
				if slices.Contains(vals, "server") {
					return o
				}
			}
		}
	}
	return first
}

// haProof is the high-availability proof against one StatefulSet.
func (r *runner) haProof(ctx context.Context, e *env, hc haChecks, sts *deploy.Object) error {
	all := []check{hc.readWrite, hc.podLoss, hc.recovery, hc.nodeLoss}
	if sts == nil {
		r.skipChecks(all, "the submission runs MinIO in no StatefulSet", "", finding.Error)
		return nil
	}
	at := func(msg string) []deploy.Note { return []deploy.Note{{File: sts.File, Line: sts.Line, Message: msg}} }
	s := r.beginCheck(hc.readWrite)
	t, err := probe.Resolve(ctx, e.clients.Kube, sts.GetNamespace(), sts.GetName())
	if err != nil {
		s.error(err)
		return err
	}
	p, err := probe.New(ctx, e.clients.Config, e.clients.Kube, t, probe.Options{Objects: e.cfg.Options.Objects, ReadyTimeout: e.cfg.Options.ReadyTimeout, Log: indented{r}})
	if err != nil {
		s.error(err)
		return err
	}
	defer p.Close()
	if e.loss != nil {
		e.loss.place(hc.podLoss.lab, p.Stoppable)
	}
	out, err := p.WriteRead(ctx)
	if err != nil {
		s.error(err)
		return err
	}
	if out.Failed {
		s.fail(at(out.Message), "")
		r.skipChecks(all[1:], "objects could not be written and read on the healthy cluster", sts.File, finding.Error)
		return nil
	}
	s.pass(out.Detail)

	s = r.beginCheck(hc.podLoss)
	member := "" // the last one
	if e.loss != nil && e.cluster.Owned() && e.nodes >= 3 {
		// Side by side: a member on a node the other lab's member shares,
		// for the shared node-loss step to come.
		offer, _, err := p.Stoppable(ctx)
		if err != nil {
			s.error(err)
			return err
		}
		member = e.loss.victim(ctx, hc.podLoss.lab, offer)
	}
	out, err = p.SurvivePodLoss(ctx, member)
	if err != nil {
		s.error(err)
		return err
	}
	record(s, out, sts)

	if !p.Deleted() {
		// No member was taken away: there is nothing to come back. The
		// catalog's precondition (award) says why, in the words of the
		// member-loss check.
		r.skipCheck(hc.recovery, "no member was deleted", sts.File, finding.Error)
		if !e.cluster.Owned() || e.nodes < 3 {
			return r.nodeLossUnavailable(e, hc, sts)
		}
		if refused := p.Refusal(); refused != nil {
			// MinIO's maintenance check already said no, and nothing
			// changed since: stopping a node would only prove it.
			s = r.beginCheck(hc.nodeLoss)
			s.fail([]deploy.Note{{File: sts.File, Line: sts.At(refused.Field), Message: refused.Message + "\n  (asked before the member was to be deleted; no node was stopped)"}}, "")
			return nil
		}
		r.skipCheck(hc.nodeLoss, "no member could be deleted", sts.File, finding.Error)
		return nil
	}
	s = r.beginCheck(hc.recovery)
	out, err = p.Recover(ctx, func(ctx context.Context) (bool, error) {
		rd, err := e.clients.Readiness(ctx, sts)
		return rd.Done(), err
	})
	if err != nil {
		s.error(err)
		return err
	}
	record(s, out, sts)
	if out.Failed {
		r.skipCheck(hc.nodeLoss, "the cluster did not recover from the pod's deletion", sts.File, finding.Error)
		return nil
	}

	if !e.cluster.Owned() || e.nodes < 3 {
		return r.nodeLossUnavailable(e, hc, sts)
	}
	if e.loss != nil {
		return r.nodeLossBeside(ctx, e, hc, p, sts)
	}
	return r.nodeLossAlone(ctx, e, hc, p, sts)
}

// nodeLossAlone stops a node of the workload's own and proves MinIO keeps
// working while it is down; the node is restarted afterwards.
func (r *runner) nodeLossAlone(ctx context.Context, e *env, hc haChecks, p *probe.Prober, sts *deploy.Object) error {
	s := r.beginCheck(hc.nodeLoss)
	var stopped string
	out, ran, err := p.SurviveNodeLoss(ctx, func(ctx context.Context, node string) error {
		stopped = node
		return e.cluster.StopNode(ctx, node)
	})
	if stopped != "" {
		defer func() {
			if err := e.cluster.StartNode(context.WithoutCancel(ctx), stopped); err != nil {
				r.printf("could not restart node %s: %v", stopped, err)
			}
		}()
	}
	if err != nil {
		s.error(err)
		return err
	}
	if !ran {
		s.end(dynamic.Skip, out.Detail, dynamic.Finding{Rule: hc.nodeLoss.id, Lab: hc.nodeLoss.lab, Message: "not run: " + out.Detail, File: sts.File, Line: sts.Line, Severity: finding.Info})
		return nil
	}
	record(s, out, sts)
	return nil
}

// nodeLossUnavailable skips the node-loss check where no node may be
// stopped: a cluster labcheck did not create, or too few nodes.
func (r *runner) nodeLossUnavailable(e *env, hc haChecks, sts *deploy.Object) error {
	if !e.cluster.Owned() {
		r.skipAt(hc.nodeLoss, "nodes are stopped only in a cluster labcheck creates, not in the one --kubeconfig names", sts.File, sts.Line, finding.Info)
		return nil
	}
	r.skipAt(hc.nodeLoss, fmt.Sprintf("the cluster has %s: losing one needs a control plane and two workers or more (--nodes)", plural(e.nodes, "node")), sts.File, sts.Line, finding.Info)
	return nil
}

// record ends a step of the HA proof; a failure points at the field the
// probe names as the cause, else at the StatefulSet.
func record(s *step, out probe.Outcome, sts *deploy.Object) {
	if out.Failed {
		s.fail([]deploy.Note{{File: sts.File, Line: sts.At(out.Field), Message: out.Message}}, "")
		return
	}
	s.pass(out.Detail)
}

// istioLab is Lab 4: the API server validates the Istio objects (dry run),
// and their routes must lead to Services Lab 2 deployed.
func (r *runner) istioLab(ctx context.Context, e *env) error {
	objs, file, line, problem := e.objects(finding.Istio)
	if problem != "" {
		r.skipAt(istioAccepted, problem, file, line, finding.Error)
		r.skipAt(istioRoutes, problem, file, line, finding.Error)
		return nil
	}
	s := r.beginCheck(istioAccepted)
	if refusals := deploy.Gate(objs); len(refusals) > 0 {
		s.fail(refusals, "")
		r.skipCheck(istioRoutes, "the security gate refused the lab's objects", file, finding.Error)
		return nil
	}
	adapted, _ := e.adapter.Adapt(objs)
	accepted, notes, err := mesh.Validate(ctx, e.clients, adapted)
	if err != nil {
		s.error(err)
		return err
	}
	istio := 0
	for _, o := range objs {
		if mesh.IsIstio(o) {
			istio++
		}
	}
	if len(notes) > 0 {
		s.fail(notes, "")
	} else {
		s.pass(fmt.Sprintf("Istio's CRDs (istio.io/api) installed; %d of %d Istio objects accepted by a server-side dry run", accepted, istio))
	}
	if len(e.deployed) == 0 {
		r.skipCheck(istioRoutes, "nothing was deployed to route to (the kubernetes lab was not deployed)", path.Dir(file), finding.Info)
		return nil
	}
	s = r.beginCheck(istioRoutes)
	checked, notes, err := mesh.CrossCheck(ctx, e.clients, objs)
	if err != nil {
		s.error(err)
		return err
	}
	if len(notes) > 0 {
		s.fail(notes, "")
		return nil
	}
	s.pass(fmt.Sprintf("%d destinations resolve to deployed Services on existing ports", checked))
	return nil
}

// clearKubernetesLab deletes what Lab 2 deployed, so that Lab 3's release
// has the cluster's room.
func (r *runner) clearKubernetesLab(ctx context.Context, e *env) error {
	var nss []string
	for ns := range maps.Keys(e.deployed) {
		if ns != "default" && !strings.HasPrefix(ns, "kube-") {
			nss = append(nss, ns)
		}
	}
	if len(nss) == 0 {
		return nil
	}
	slices.Sort(nss)
	s := r.begin("", "", "delete the kubernetes lab's namespaces "+strings.Join(nss, ", "))
	for _, ns := range nss {
		if err := e.clients.Clear(ctx, ns, 30*time.Second); err != nil {
			s.error(err)
			return err
		}
		err := e.clients.Kube.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			s.error(err)
			return err
		}
	}
	deadline := time.Now().Add(3 * time.Minute)
	for _, ns := range nss {
		for {
			_, err := e.clients.Kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				break
			}
			if ctx.Err() != nil {
				s.error(ctx.Err())
				return context.Cause(ctx)
			}
			if time.Now().After(deadline) {
				s.end(dynamic.Error, "namespace "+ns+" still terminating after 3m; going on")
				return nil
			}
			time.Sleep(time.Second)
		}
	}
	e.deployed = map[string]bool{}
	s.pass("")
	return nil
}

// helmLab is Lab 3: install the chart with Helm's SDK, run its tests, then
// the HA proof against the release.
func (r *runner) helmLab(ctx context.Context, e *env, admit func(context.Context, []*deploy.Object) error) error {
	ch := e.tree.Charts[0]
	if len(e.tree.Charts) > 1 {
		r.printf("the submission has %d charts; verifying %s", len(e.tree.Charts), ch.Path)
	}
	s := r.beginCheck(helmInstalls)
	var admitted func(context.Context, []*deploy.Object) error
	if admit != nil {
		admitted = func(ctx context.Context, objs []*deploy.Object) error {
			err := admit(ctx, objs)
			s.begun = time.Now() // the step is the install, not the wait for room
			return err
		}
	}
	inst, res, err := release.Install(ctx, release.Options{
		Chart: ch, Clients: e.clients, Kubeconfig: e.cluster.Kubeconfig, Namespace: helmNamespace,
		Adapter: e.adapter, ReadyTimeout: e.cfg.Options.ReadyTimeout, Offline: e.cfg.Options.Offline,
		HasImage: e.cluster.HasImage, Admit: admitted, Created: e.chartMade, Log: indented{r},
	})
	r.notes(helmAdapted.id, helmAdapted.lab, res.Adaptations, finding.Info)
	if err != nil {
		s.error(err)
		return err
	}
	chartFile := ch.Path + "/Chart.yaml"
	ha := []check{helmReadWrite, helmPodLoss, helmRecovery, helmNodeLoss}
	if res.Install.Failed {
		s.fail(res.Install.Notes, "")
		r.skipChecks(append([]check{helmTests}, ha...), "the chart did not install and become Ready", chartFile, finding.Error)
		return nil
	}
	s.pass(res.Install.Detail)
	sts := minioStatefulSet(res.Workloads)
	r.settle(ctx, e, sts)
	s = r.beginCheck(helmTests)
	t, err := inst.Test(ctx)
	switch {
	case err != nil:
		s.error(err)
		return err
	case t.Skipped:
		s.end(dynamic.Skip, t.Message, dynamic.Finding{Rule: helmTests.id, Lab: helmTests.lab, Message: "not run: " + t.Message, File: chartFile, Severity: finding.Info})
	case t.Failed:
		s.end(dynamic.Fail, t.Notes[0].Message, notesToFindings(helmTests, t.Notes)...)
	default:
		s.pass(t.Detail)
	}
	return r.haProof(ctx, e, helmHA, sts)
}

// settle waits (bounded) until a MinIO whose pods are Ready also reports
// write quorum: its readiness probe may answer before its peers have
// formed the cluster, and a chart's tests are run against a settled
// release, as `helm install --wait` and a human would. If it never
// settles, the HA proof says so.
func (r *runner) settle(ctx context.Context, e *env, sts *deploy.Object) {
	if sts == nil {
		return
	}
	t, err := probe.Resolve(ctx, e.clients.Kube, sts.GetNamespace(), sts.GetName())
	if err != nil {
		return
	}
	p, err := probe.New(ctx, e.clients.Config, e.clients.Kube, t, probe.Options{Objects: 1, ReadyTimeout: e.cfg.Options.ReadyTimeout})
	if err != nil {
		return
	}
	defer p.Close()
	start := time.Now()
	if err := p.WaitHealthy(ctx, 2*time.Minute); err == nil {
		r.printf("%s reports write quorum (waited %s)", sts, time.Since(start).Round(100*time.Millisecond))
	}
}

func notesToFindings(c check, notes []deploy.Note) []dynamic.Finding {
	var fs []dynamic.Finding
	for _, n := range notes {
		fs = append(fs, dynamic.Finding{Rule: c.id, Lab: c.lab, Message: n.Message, File: n.File, Line: n.Line})
	}
	return fs
}
