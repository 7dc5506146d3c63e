package deploy

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Workloads are the objects Wait can wait for.
func Workloads(objs []*Object) []*Object {
	var out []*Object
	for _, o := range objs {
		switch o.GetKind() {
		case "StatefulSet", "Deployment":
			out = append(out, o)
		}
	}
	return out
}

// Readiness is where a workload stands.
type Readiness struct {
	Want, Ready int
	Pods        []corev1.Pod
	Selector    string
	Err         error // the workload could not be read
}

// Done reports whether every wanted pod is Ready.
func (r Readiness) Done() bool { return r.Want > 0 && r.Ready >= r.Want && readyPods(r.Pods) >= r.Want }

// Wait waits until a StatefulSet or Deployment has all its pods Ready, at
// most timeout, reporting progress to log every 20 s. When it is not ready
// in time the returned Note explains why, with the pods' states, the
// events and the failing containers' last log lines. err is for the
// cluster failing, not the workload.
func (c *Clients) Wait(ctx context.Context, o *Object, timeout time.Duration, log io.Writer) (*Note, error) {
	start := time.Now()
	deadline := start.Add(timeout)
	lastReport := start
	w := newWatch(start)
	for {
		r, err := c.Readiness(ctx, o)
		if err != nil && ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		var v *Verdict
		if err == nil && r.Done() {
			// Pods Ready by a probe that answers alone (MinIO's
			// /minio/health/ready) say nothing of names their peers
			// cannot resolve: that is checked before they count.
			if v = w.names(ctx, c, o); v == nil {
				return nil, nil
			}
		} else {
			r.Err = err
			if time.Since(lastReport) >= 20*time.Second && log != nil {
				lastReport = time.Now()
				fmt.Fprintf(log, "        waiting %3.0fs: %s: %d/%d pods Ready%s\n", time.Since(start).Seconds(), o, readyPods(r.Pods), r.Want, podStates(r.Pods))
			}
			v = w.verdict(time.Now(), o, r)
			if v == nil && err == nil && time.Since(start) >= settleFirst {
				v = w.names(ctx, c, o)
			}
			if v == nil && err == nil && time.Since(start) >= settleFirst && time.Since(w.probed) >= 10*time.Second {
				w.probed = time.Now()
				v = c.probeForbidden(ctx, o)
			}
		}
		if v != nil {
			msg := c.Diagnose(ctx, o, r, time.Since(start), v)
			path := v.Path
			if path == "" {
				path = diagnosisPath(o, r)
			}
			n := o.note(path, "%s", msg)
			return &n, nil
		}
		if time.Now().After(deadline) {
			msg := c.Diagnose(ctx, o, r, timeout, nil)
			n := o.note(diagnosisPath(o, r), "%s", msg)
			return &n, nil
		}
		select {
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		case <-time.After(2 * time.Second):
		}
	}
}

// Readiness reads a workload's replicas and pods.
func (c *Clients) Readiness(ctx context.Context, o *Object) (Readiness, error) {
	var r Readiness
	switch o.GetKind() {
	case "StatefulSet":
		st, err := c.Kube.AppsV1().StatefulSets(o.GetNamespace()).Get(ctx, o.GetName(), metav1.GetOptions{})
		if err != nil {
			return r, err
		}
		r.Want, r.Ready = replicas(st.Spec.Replicas), int(st.Status.ReadyReplicas)
		if st.Status.ObservedGeneration < st.Generation {
			r.Ready = 0
		}
		r.Selector = metav1.FormatLabelSelector(st.Spec.Selector)
	case "Deployment":
		d, err := c.Kube.AppsV1().Deployments(o.GetNamespace()).Get(ctx, o.GetName(), metav1.GetOptions{})
		if err != nil {
			return r, err
		}
		r.Want, r.Ready = replicas(d.Spec.Replicas), int(d.Status.ReadyReplicas)
		if d.Status.ObservedGeneration < d.Generation {
			r.Ready = 0
		}
		r.Selector = metav1.FormatLabelSelector(d.Spec.Selector)
	default:
		return r, fmt.Errorf("%s: cannot wait for a %s", o, o.GetKind())
	}
	if r.Selector == "" || r.Selector == "<none>" {
		return r, nil
	}
	pods, err := c.Kube.CoreV1().Pods(o.GetNamespace()).List(ctx, metav1.ListOptions{LabelSelector: r.Selector})
	if err != nil {
		return r, err
	}
	r.Pods = pods.Items
	slices.SortFunc(r.Pods, func(a, b corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
	return r, nil
}

func replicas(p *int32) int {
	if p == nil {
		return 1
	}
	return int(*p)
}

// PodReady reports a pod's Ready condition.
func PodReady(p *corev1.Pod) bool {
	if p.DeletionTimestamp != nil {
		return false
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func readyPods(pods []corev1.Pod) int {
	n := 0
	for i := range pods {
		if PodReady(&pods[i]) {
			n++
		}
	}
	return n
}

// podStates is " (minio-0 Running/ready, minio-1 Pending: ContainerCreating)".
func podStates(pods []corev1.Pod) string {
	if len(pods) == 0 {
		return " (no pods yet)"
	}
	var s []string
	for i := range pods {
		s = append(s, pods[i].Name+" "+podState(&pods[i]))
	}
	return " (" + strings.Join(s, ", ") + ")"
}

// podState says in a few words where a pod is.
func podState(p *corev1.Pod) string {
	if p.DeletionTimestamp != nil {
		return "Terminating"
	}
	if PodReady(p) {
		return "Ready"
	}
	for _, cs := range append(slices.Clone(p.Status.InitContainerStatuses), p.Status.ContainerStatuses...) {
		if w := cs.State.Waiting; w != nil && w.Reason != "" && w.Reason != "PodInitializing" {
			return string(p.Status.Phase) + ": " + w.Reason
		}
		if t := cs.State.Terminated; t != nil && t.ExitCode != 0 {
			return fmt.Sprintf("%s: container %s exited %d (%s)", p.Status.Phase, cs.Name, t.ExitCode, t.Reason)
		}
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse {
			return "Pending: unschedulable"
		}
	}
	if p.Status.Phase == corev1.PodRunning {
		return "Running, not Ready"
	}
	return string(p.Status.Phase)
}

// statefulSetPodNames are the pods a StatefulSet should have.
func statefulSetPodNames(o *Object, want int) []string {
	if o.GetKind() != "StatefulSet" {
		return nil
	}
	names := make([]string, want)
	for i := range names {
		names[i] = fmt.Sprintf("%s-%d", o.GetName(), i)
	}
	return names
}

// Names lists objects as messages name them.
func Names(objs []*Object) string {
	var s []string
	for _, o := range objs {
		s = append(s, o.String())
	}
	return strings.Join(s, ", ")
}
