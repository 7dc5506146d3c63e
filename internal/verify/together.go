package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"gopkg.in/inf.v0"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/labcheck/labcheck/internal/deploy"
	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/probe"
)

// sideBySide runs Lab 2 (then Lab 4) and Lab 3 at once, each in its own
// namespaces, in a cluster labcheck made: the waits of one (pods starting,
// a deleted member coming back) overlap the other's, and one stopped node
// serves both node-loss steps (nodeLoss). Lab 3 is installed beside Lab 2
// only when both fit the cluster's nodes together (fitTogether); else it
// waits for Labs 2 and 4 to end and Lab 2 to be removed, as one lab after
// the other would.
func (r *runner) sideBySide(ctx context.Context, e *env, istio bool) error {
	if err := r.nodesReady(ctx, e); err != nil {
		return err
	}
	e.loss = newNodeLoss(e)
	chartIn := make(chan struct{})
	e.chartIn, e.chartMade = chartIn, sync.OnceFunc(func() { close(chartIn) })
	lab2Done := make(chan struct{})
	var lab2Objs []*deploy.Object
	if objs, _, _, problem := e.objects(finding.Kubernetes); problem == "" {
		lab2Objs, _ = e.adapter.Adapt(objs)
	}
	// Lab 4 needs Lab 2's Services and the API server only: it runs once
	// Lab 2 is at its node-loss step (waiting for Lab 3, or with a worker
	// stopped), else once Lab 2 is over.
	var lab4 sync.WaitGroup
	var istioErr error
	e.loss.atStep = sync.OnceFunc(func() {
		if !istio {
			return
		}
		lab4.Go(func() {
			if err := r.istioLab(ctx, e); err != nil {
				istioErr = fmt.Errorf("%s lab: %w", finding.Istio, err)
			}
		})
	})
	var wg sync.WaitGroup
	var helmErr error
	wg.Go(func() {
		defer e.loss.leave(finding.Helm)
		defer e.chartMade() // whatever stopped the chart before its objects were made
		admit := func(ctx context.Context, objs []*deploy.Object) error {
			room, err := e.clients.Room(ctx)
			if err != nil {
				return err
			}
			why := apart(lab2Objs, objs, helmNamespace)
			if why == "" {
				why = fitTogether(lab2Objs, objs, room)
			}
			if why != "" {
				r.printf("the chart waits for the kubernetes lab to end: %s", why)
				e.chartMade()
				e.loss.leave(finding.Helm)
				select {
				case <-lab2Done:
				case <-ctx.Done():
					return context.Cause(ctx)
				}
				if err := r.clearKubernetesLab(ctx, e); err != nil {
					return err
				}
				return r.nodesReady(ctx, e)
			}
			return nil
		}
		if err := r.helmLab(ctx, e, admit); err != nil {
			helmErr = fmt.Errorf("%s lab: %w", finding.Helm, err)
		}
	})
	err := func() error {
		defer close(lab2Done)
		defer lab4.Wait()
		defer e.loss.leave(finding.Kubernetes)
		if err := r.kubernetesLab(ctx, e); err != nil {
			return fmt.Errorf("%s lab: %w", finding.Kubernetes, err)
		}
		if ctx.Err() == nil {
			e.loss.atStep()
		}
		return nil
	}()
	wg.Wait()
	return errors.Join(err, istioErr, helmErr)
}

// chartLead bounds Lab 2's wait for the chart to be installed first.
var chartLead = 30 * time.Second

// afterChart holds Lab 2's manifests back, side by side, until the chart's
// objects are made or the chart will not be installed first (chartMade),
// at most chartLead. The chart's proof is the longer one (its helm test
// hooks come first), and the cluster's storage provisioner serves claims
// in the order they come (kind's local-path: 4 at a time, each through a
// helper pod), so the release's members are up first and both proofs
// reach their shared node-loss step at about the same time. With Lab 2
// first, the release's members came up 11-17 s after Lab 2's, and Lab 2
// then waited 18-39 s for the chart at that step.
func (r *runner) afterChart(ctx context.Context, e *env) {
	if e.chartIn == nil {
		return
	}
	start := time.Now()
	t := time.NewTimer(chartLead)
	defer t.Stop()
	select {
	case <-e.chartIn:
		if d := time.Since(start); d >= time.Second {
			r.printf("the manifests waited %s for the chart's release to be made first", d.Round(100*time.Millisecond))
		}
	case <-t.C:
		r.printf("the chart's release was not made within %s; the manifests are applied now", chartLead)
	case <-ctx.Done():
	}
}

// nodeLoss lets Labs 2 and 3, side by side, take their node-loss steps
// with one stopped node. Each lab arrives with the nodes it may stop; once
// both have arrived (or the other has left: it failed earlier, its proof
// ended before the step, or it is not side by side), a node that hosts
// exactly one member of each (neither the port-forwarded one) is chosen,
// each lab asks MinIO whether it can spare its member there, the node is
// stopped once for the labs MinIO said yes to, they run their rounds while
// it is down, and the last to finish restarts it (with --keep: otherwise
// the cluster is deleted next and nothing needs it). Where no node serves
// both, each lab that arrived stops one of its own, one lab after the
// other. Nothing else disrupts the cluster meanwhile: a node is stopped
// only when no lab is still short of its node-loss step.
//
// The node chosen is, where it can be, the one whose members the labs
// deleted in their pod-loss steps (victim picks those members so that
// they share a node): every other member of each lab then runs as before,
// and MinIO spares the restarted member as soon as one of them sees it
// again (probe.Prober.SpareNode).
type nodeLoss struct {
	stop    func(context.Context, string) error
	start   func(context.Context, string) error
	mu      sync.Mutex
	pending map[finding.Lab]bool              // labs that have neither arrived nor left
	offers  map[finding.Lab]map[string]string // node -> member, per lab that arrived
	prefers map[finding.Lab]string            // the node of the member each lab deleted
	decided chan struct{}
	node    string
	asked   int           // labs that said whether MinIO spares their member on node
	stopped chan struct{} // closed once every lab was asked and node stopped (or not)
	err     error
	running int        // labs still running rounds on node
	alone   sync.Mutex // one lab's own node-loss step at a time
	// atStep is called when Lab 2 is at its node-loss step (may be nil).
	atStep func()
	// placed are the labs' probers' Stoppable, for victim; picked, the
	// node each lab's deleted member is on.
	placed map[finding.Lab]func(context.Context) (map[string]string, string, error)
	picked map[finding.Lab]string
}

func newNodeLoss(e *env) *nodeLoss {
	// After both labs' rounds nothing needs the node but a kept cluster:
	// the cluster is deleted next.
	var start func(context.Context, string) error
	if e.cfg.Options.Keep {
		start = e.cluster.StartNode
	}
	return nodeLossWith(e.cluster.StopNode, start)
}

// nodeLossWith is a nodeLoss that stops and starts nodes with stop and
// start (nil: no restart).
func nodeLossWith(stop, start func(context.Context, string) error) *nodeLoss {
	return &nodeLoss{
		stop:    stop,
		start:   start,
		pending: map[finding.Lab]bool{finding.Kubernetes: true, finding.Helm: true},
		offers:  map[finding.Lab]map[string]string{},
		prefers: map[finding.Lab]string{},
		decided: make(chan struct{}),
		stopped: make(chan struct{}),
		placed:  map[finding.Lab]func(context.Context) (map[string]string, string, error){},
		picked:  map[finding.Lab]string{},
	}
}

// place tells victim where lab's members are: stoppable lists the nodes
// lab may stop (node -> member).
func (z *nodeLoss) place(lab finding.Lab, stoppable func(context.Context) (map[string]string, string, error)) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.placed[lab] = stoppable
}

// victim picks the member lab deletes in its pod-loss step, from own
// (node -> member: the nodes lab may stop), so that one node later hosts
// the deleted member of each lab: the node another lab picked, when lab
// may stop it too; else the first node, by name, that every other lab
// still to pick may stop as well (the same node for both when they pick
// at once); else lab's first. "" when own is empty (the proof's default).
func (z *nodeLoss) victim(ctx context.Context, lab finding.Lab, own map[string]string) string {
	if len(own) == 0 {
		return ""
	}
	z.mu.Lock()
	var others []func(context.Context) (map[string]string, string, error)
	for l, n := range z.picked {
		if _, ok := own[n]; ok && l != lab {
			z.picked[lab] = n
			z.mu.Unlock()
			return own[n]
		}
	}
	for l, f := range z.placed {
		if _, done := z.picked[l]; l != lab && !done {
			others = append(others, f)
		}
	}
	z.mu.Unlock()
	common := maps.Clone(own)
	for _, f := range others {
		theirs, _, err := f(ctx)
		if err != nil || len(theirs) == 0 {
			continue
		}
		both := map[string]string{}
		for n, m := range common {
			if _, ok := theirs[n]; ok {
				both[n] = m
			}
		}
		if len(both) > 0 {
			common = both
		}
	}
	node := slices.Min(slices.Collect(maps.Keys(common)))
	z.mu.Lock()
	defer z.mu.Unlock()
	z.picked[lab] = node
	return own[node]
}

// arrive offers the nodes lab may stop, and prefer, the node of the member
// it deleted ("" if none of them), and waits until every lab has arrived
// or left. It returns the node chosen for both, or "" when each lab goes
// on alone. A lab that got a node must then say, with spared, whether
// MinIO spares its member there.
func (z *nodeLoss) arrive(ctx context.Context, lab finding.Lab, offer map[string]string, prefer string) (string, error) {
	z.mu.Lock()
	if z.pending[lab] {
		delete(z.pending, lab)
		z.offers[lab] = offer
		z.prefers[lab] = prefer
		z.decide()
	}
	z.mu.Unlock()
	select {
	case <-z.decided:
		return z.node, nil
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

// spared says whether MinIO spares lab's member on the chosen node (ok),
// and waits until every lab that arrived has said so. The last stops the
// node once, when MinIO spares at least one lab's member; the error is
// that stop's, for a lab that was spared.
func (z *nodeLoss) spared(ctx context.Context, ok bool) error {
	z.mu.Lock()
	z.asked++
	if ok {
		z.running++
	}
	if z.asked == len(z.offers) {
		if z.running > 0 {
			z.err = z.stop(ctx, z.node)
		}
		close(z.stopped)
	}
	z.mu.Unlock()
	select {
	case <-z.stopped:
		if !ok {
			return nil
		}
		return z.err
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// leave says lab will take no shared node-loss step (a no-op once it
// arrived).
func (z *nodeLoss) leave(lab finding.Lab) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.pending[lab] {
		delete(z.pending, lab)
		z.decide()
	}
}

// decide, once no lab is pending, chooses the node every lab that arrived
// may stop, when two did. Called with mu held.
func (z *nodeLoss) decide() {
	if len(z.pending) > 0 {
		return
	}
	defer close(z.decided)
	if len(z.offers) < 2 {
		return
	}
	z.node = sharedNode(z.offers, z.prefers)
}

// sharedNode is the node every offer holds that the most labs prefer (the
// node of the member they deleted), the first by name among equals.
func sharedNode(offers map[finding.Lab]map[string]string, prefers map[finding.Lab]string) string {
	best, votes := "", -1
	for _, offer := range offers {
		for n := range offer {
			if !heldByAll(offers, n) {
				continue
			}
			v := 0
			for _, p := range prefers {
				if p == n {
					v++
				}
			}
			if v > votes || v == votes && n < best {
				best, votes = n, v
			}
		}
	}
	return best
}

func heldByAll(offers map[finding.Lab]map[string]string, node string) bool {
	for _, offer := range offers {
		if _, ok := offer[node]; !ok {
			return false
		}
	}
	return true
}

// finish says a lab's rounds on the shared node are over; the last
// restarts the node, when a restart is wanted (start is set: --keep).
func (z *nodeLoss) finish() error {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.running--
	if z.running == 0 && z.start != nil {
		return z.start(context.Background(), z.node)
	}
	return nil
}

// nodeLossBeside is a lab's node-loss step side by side with the other
// lab: on the node both may lose when there is one, else on a node of its
// own, alone, once its workload is whole again.
func (r *runner) nodeLossBeside(ctx context.Context, e *env, hc haChecks, p *probe.Prober, sts *deploy.Object) error {
	lab := hc.nodeLoss.lab
	if lab == finding.Kubernetes && e.loss.atStep != nil {
		e.loss.atStep()
	}
	offer, why, err := p.Stoppable(ctx)
	if err != nil {
		e.loss.leave(lab)
		r.beginCheck(hc.nodeLoss).error(err)
		return err
	}
	node, err := e.loss.arrive(ctx, lab, offer, p.Rejoined(offer))
	switch {
	case err != nil:
		r.beginCheck(hc.nodeLoss).error(err)
		return err
	case node != "":
		s := r.beginCheck(hc.nodeLoss)
		out, ok, err := p.SpareNode(ctx, offer[node])
		if serr := e.loss.spared(ctx, ok && err == nil); err == nil && ok {
			err = serr
		}
		if err != nil {
			s.error(err)
			return err
		}
		if !ok {
			record(s, out, sts)
			return nil
		}
		defer func() {
			if err := e.loss.finish(); err != nil {
				r.printf("could not restart node %s: %v", node, err)
			}
		}()
		r.printf("stopped node %s (hosts %s; the other lab's proof runs on it too)", node, offer[node])
		out, err = p.WhileStopped(ctx, node, offer[node])
		if err != nil {
			s.error(err)
			return err
		}
		record(s, out, sts)
		return nil
	case len(offer) == 0:
		r.beginCheck(hc.nodeLoss).end(dynamic.Skip, why, dynamic.Finding{Rule: hc.nodeLoss.id, Lab: lab, Message: "not run: " + why, File: sts.File, Line: sts.Line, Severity: finding.Info})
		return nil
	}
	e.loss.alone.Lock()
	defer e.loss.alone.Unlock()
	if err := r.whole(ctx, e, p, sts); err != nil {
		return err
	}
	return r.nodeLossAlone(ctx, e, hc, p, sts)
}

// whole waits (bounded) until every node is up and sts is Ready and
// reports write quorum: the other lab's node-loss step may have stopped
// and restarted a node of its.
func (r *runner) whole(ctx context.Context, e *env, p *probe.Prober, sts *deploy.Object) error {
	start := time.Now()
	if err := r.nodesReady(ctx, e); err != nil {
		return err
	}
	// If it never is whole, the node-loss step says so.
	if _, err := e.clients.Wait(ctx, sts, 2*time.Minute, io.Discard); err != nil {
		return err
	}
	_ = p.WaitHealthy(ctx, time.Minute)
	if d := time.Since(start); d >= time.Second {
		r.printf("%s whole again after %s", sts, d.Round(100*time.Millisecond))
	}
	return nil
}

// apart says why the chart's objects cannot be installed beside Lab 2's
// ("" when they can): one of them would share a namespace with Lab 2's
// objects (and with its quota), or is a cluster-wide object Lab 2 also
// makes. One after the other, Lab 2's namespaces are gone first.
func apart(lab2, chart []*deploy.Object, release string) string {
	namespaces := map[string]bool{}
	cluster := map[string]bool{}
	for _, o := range lab2 {
		switch {
		case o.GetKind() == "Namespace":
			namespaces[o.GetName()] = true
		case deploy.Namespaced(o.GetKind()):
			namespaces[o.GetNamespace()] = true
		default:
			cluster[o.GetKind()+"/"+o.GetName()] = true
		}
	}
	for _, o := range chart {
		switch ns := o.GetNamespace(); {
		case o.GetKind() == "Namespace":
			if namespaces[o.GetName()] {
				return fmt.Sprintf("the chart makes namespace %s, which the kubernetes lab uses", o.GetName())
			}
		case deploy.Namespaced(o.GetKind()):
			if ns == "" {
				ns = release
			}
			if namespaces[ns] {
				return fmt.Sprintf("the chart's %s goes into namespace %s, which the kubernetes lab uses", o, ns)
			}
		case cluster[o.GetKind()+"/"+o.GetName()]:
			return fmt.Sprintf("the chart's %s is a cluster-wide object the kubernetes lab makes too", o)
		}
	}
	return ""
}

// fitTogether says why two labs' workloads would not fit the nodes at
// once ("" when they would): their pods' requests (limits where a
// container states no request, as Kubernetes defaults them), summed over
// replicas, must take at most 80 % of what the schedulable nodes offer,
// and a pod of each must fit the smallest node together. Workloads whose
// size cannot be read count as not fitting.
func fitTogether(a, b []*deploy.Object, room deploy.Room) string {
	if len(room.Nodes) == 0 {
		return "no schedulable node"
	}
	var total, largest [2]corev1.ResourceList
	for i, objs := range [][]*deploy.Object{a, b} {
		total[i], largest[i] = corev1.ResourceList{}, corev1.ResourceList{}
		for _, w := range deploy.Workloads(objs) {
			pod, replicas, err := podRequests(w)
			if err != nil {
				return fmt.Sprintf("%s: %v", w, err)
			}
			for name, q := range pod {
				// q times replicas, exact whatever replicas says
				t := total[i][name]
				t.Add(*resource.NewDecimalQuantity(*new(inf.Dec).Mul(q.AsDec(), inf.NewDec(replicas, 0)), q.Format))
				total[i][name] = t
				if l, ok := largest[i][name]; !ok || q.Cmp(l) > 0 {
					largest[i][name] = q
				}
			}
		}
	}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		var all resource.Quantity
		smallest := room.Nodes[0][name]
		for _, n := range room.Nodes {
			q := n[name]
			all.Add(q)
			if q.Cmp(smallest) < 0 {
				smallest = q
			}
		}
		need := total[0][name]
		need.Add(total[1][name])
		if need.AsApproximateFloat64() > 0.8*all.AsApproximateFloat64() {
			return fmt.Sprintf("together they request %s of %s, more than 80 %% of the %s the schedulable nodes offer", need.String(), name, all.String())
		}
		pair := largest[0][name]
		pair.Add(largest[1][name])
		if pair.AsApproximateFloat64() > 0.8*smallest.AsApproximateFloat64() {
			return fmt.Sprintf("a pod of each requests %s of %s together, more than 80 %% of the %s the smallest node offers", pair.String(), name, smallest.String())
		}
	}
	return ""
}

// podRequests is what one pod of a workload requests, and its replicas.
func podRequests(w *deploy.Object) (corev1.ResourceList, int64, error) {
	replicas, found, err := unstructured.NestedInt64(w.Object, "spec", "replicas")
	if err != nil {
		return nil, 0, err
	}
	if !found {
		replicas = 1
	}
	var spec corev1.PodSpec
	raw, _, _ := unstructured.NestedMap(w.Object, "spec", "template", "spec")
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(raw, &spec); err != nil {
		return nil, 0, fmt.Errorf("its pod template does not read: %w", err)
	}
	sum := corev1.ResourceList{}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		var s resource.Quantity
		for _, c := range spec.Containers {
			s.Add(requestOf(c, name))
		}
		for _, c := range spec.InitContainers { // they run before, one at a time
			if q := requestOf(c, name); q.Cmp(s) > 0 {
				s = q
			}
		}
		sum[name] = s
	}
	return sum, replicas, nil
}

// requestOf is what a container requests of a resource: its limit where
// it states no request, as Kubernetes defaults it.
func requestOf(c corev1.Container, name corev1.ResourceName) resource.Quantity {
	if q, ok := c.Resources.Requests[name]; ok {
		return q
	}
	return c.Resources.Limits[name]
}
