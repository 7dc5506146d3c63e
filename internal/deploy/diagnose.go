package deploy

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Limits of what a diagnosis quotes, so a finding stays readable.
const (
	maxEvents   = 12
	maxLogPods  = 2
	maxLogLines = 12
)

// Diagnose explains why a workload is not ready: how many pods are, the
// state of each, a hint when the cause is a known MinIO trap, the events of
// the workload, its pods and claims, and the last log lines of the
// containers that are not ready.
//
// With a verdict (Wait stopped early because the state will not change)
// the diagnosis says so and leads with the verdict's why.
func (c *Clients) Diagnose(ctx context.Context, o *Object, r Readiness, after time.Duration, v *Verdict) string {
	var b strings.Builder
	if r.Err != nil {
		fmt.Fprintf(&b, "not readable after %s: %v", after.Round(time.Second), r.Err)
		return b.String()
	}
	fmt.Fprintf(&b, "%d of %d pods Ready after %s", readyPods(r.Pods), r.Want, after.Round(time.Second))
	if v != nil {
		if r.Done() {
			b.WriteString(", Ready by their probe, but they cannot work together")
		} else {
			b.WriteString(" (labcheck stopped waiting: this will not get better)")
		}
		b.WriteString("\n  why: " + v.Why)
	}
	have := map[string]*corev1.Pod{}
	for i := range r.Pods {
		have[r.Pods[i].Name] = &r.Pods[i]
		fmt.Fprintf(&b, "\n  pod %s: %s", r.Pods[i].Name, podState(&r.Pods[i]))
	}
	for _, name := range statefulSetPodNames(o, r.Want) {
		if have[name] == nil {
			fmt.Fprintf(&b, "\n  pod %s: not created", name)
		}
	}
	if h := hint(o, r); h != "" && (v == nil || !strings.Contains(v.Why, h)) {
		b.WriteString("\n  why: " + h)
	}
	if unschedulable(r.Pods) {
		for _, n := range c.nodeStates(ctx) {
			b.WriteString("\n  " + n)
		}
	}
	if ev := c.events(ctx, o, r.Pods); len(ev) > 0 {
		b.WriteString("\n  events (oldest first):")
		for _, e := range ev {
			b.WriteString("\n    " + e)
		}
	}
	for _, l := range c.logs(ctx, r.Pods) {
		b.WriteString("\n  " + l)
	}
	return b.String()
}

// diagnosisPath is the field a not-ready finding points at: the pod
// management policy when that is the trap, else the object.
func diagnosisPath(o *Object, r Readiness) string {
	if orderedReadyTrap(o, r) {
		return "spec.podManagementPolicy"
	}
	return "spec.replicas"
}

// orderedReadyTrap: a StatefulSet creating pods one at a time is stuck on a
// first pod that cannot be Ready alone.
func orderedReadyTrap(o *Object, r Readiness) bool {
	if o.GetKind() != "StatefulSet" || r.Want < 2 {
		return false
	}
	policy, _, _ := unstructured.NestedString(o.Object, "spec", "podManagementPolicy")
	if policy != "" && policy != string(appsv1.OrderedReadyPodManagement) {
		return false
	}
	return len(r.Pods) < r.Want && readyPods(r.Pods) < len(r.Pods)
}

// hint names the cause when it is one of the traps the labs are about.
func hint(o *Object, r Readiness) string {
	if orderedReadyTrap(o, r) {
		next := fmt.Sprintf("%s-%d", o.GetName(), len(r.Pods))
		why := "never becomes Ready on its own"
		if p := readinessPath(o); p != "" {
			why = "is Ready only once its readiness probe " + p + " answers, and for a distributed MinIO server that needs the peers that do not exist yet"
		}
		return fmt.Sprintf("podManagementPolicy is OrderedReady: the StatefulSet creates %s only once every earlier pod is Ready, but %s-0 %s, so the rollout waits forever; set podManagementPolicy: Parallel", next, o.GetName(), why)
	}
	if h := ellipsisHint(o, r.Want); h != "" {
		return h
	}
	for i := range r.Pods {
		for _, cs := range r.Pods[i].Status.ContainerStatuses {
			if w := cs.State.Waiting; w != nil && (w.Reason == "ErrImagePull" || w.Reason == "ImagePullBackOff") {
				return fmt.Sprintf("image %s cannot be pulled (%s); offline, side-load a local build with --load-image LOCAL=REPOSITORY", cs.Image, w.Reason)
			}
		}
	}
	return ""
}

// events returns the workload's, its pods' and its claims' events, oldest
// first, repeated ones counted once.
func (c *Clients) events(ctx context.Context, o *Object, pods []corev1.Pod) []string {
	list, err := c.Kube.CoreV1().Events(o.GetNamespace()).List(ctx, metav1.ListOptions{})
	if err != nil {
		return []string{"(events unavailable: " + err.Error() + ")"}
	}
	mine := map[string]bool{o.GetKind() + "/" + o.GetName(): true}
	prefix := o.GetName() + "-"
	for _, p := range pods {
		mine["Pod/"+p.Name] = true
	}
	type entry struct {
		at   time.Time
		line string
	}
	var out []entry
	seen := map[string]int{}
	for _, e := range list.Items {
		io := e.InvolvedObject
		relevant := mine[io.Kind+"/"+io.Name] ||
			(io.Kind == "Pod" && strings.HasPrefix(io.Name, prefix)) ||
			(io.Kind == "PersistentVolumeClaim" && strings.Contains(io.Name, prefix))
		if !relevant {
			continue
		}
		line := fmt.Sprintf("%s %s %s/%s: %s", e.Type, e.Reason, strings.ToLower(io.Kind), io.Name, strings.TrimSpace(e.Message))
		count := max(int(e.Count), 1)
		if e.Series != nil {
			count = max(count, int(e.Series.Count))
		}
		if _, dup := seen[line]; dup {
			seen[line] += count
			continue
		}
		seen[line] = count
		at := e.LastTimestamp.Time
		if at.IsZero() {
			at = e.EventTime.Time
		}
		if at.IsZero() {
			at = e.CreationTimestamp.Time
		}
		out = append(out, entry{at, line})
	}
	slices.SortStableFunc(out, func(a, b entry) int { return a.at.Compare(b.at) })
	// Keep the warnings when there are too many: they are what explains.
	if len(out) > maxEvents {
		var warn, normal []entry
		for _, e := range out {
			if strings.HasPrefix(e.line, "Warning") {
				warn = append(warn, e)
			} else {
				normal = append(normal, e)
			}
		}
		if len(warn) >= maxEvents {
			out = warn[len(warn)-maxEvents:]
		} else {
			keep := normal[len(normal)-(maxEvents-len(warn)):]
			out = append(warn, keep...)
			slices.SortStableFunc(out, func(a, b entry) int { return a.at.Compare(b.at) })
		}
	}
	lines := make([]string, len(out))
	for i, e := range out {
		lines[i] = e.line
		if n := seen[e.line]; n > 1 {
			lines[i] += fmt.Sprintf(" (x%d)", n)
		}
	}
	return lines
}

// logs quotes the last lines of the containers that are not ready, the
// previous run's too when a container restarted. A log already quoted
// (the previous run's identical to the current one, or another pod's the
// same but for the pod's name) is named, not repeated.
func (c *Clients) logs(ctx context.Context, pods []corev1.Pod) []string {
	var out []string
	quoted := 0
	seen := map[string]string{} // log lines with the pod's name masked -> where first quoted
	for i := range pods {
		p := &pods[i]
		if PodReady(p) || quoted >= maxLogPods {
			continue
		}
		for _, cs := range p.Status.ContainerStatuses {
			if cs.Ready {
				continue
			}
			for _, previous := range []bool{false, true} {
				if previous && cs.RestartCount == 0 {
					continue
				}
				tail := int64(200)
				raw, err := c.Kube.CoreV1().Pods(p.Namespace).GetLogs(p.Name, &corev1.PodLogOptions{Container: cs.Name, TailLines: &tail, Previous: previous}).Do(ctx).Raw()
				if err != nil || len(strings.TrimSpace(string(raw))) == 0 {
					continue
				}
				lines, omitted := meaningful(string(raw), maxLogLines)
				which := "last"
				where := p.Name + "/" + cs.Name
				if previous {
					which = fmt.Sprintf("previous run (restarts: %d), last", cs.RestartCount)
					where += " (previous run)"
				}
				key := strings.ReplaceAll(strings.Join(lines, "\n"), p.Name, "<pod>")
				if first, dup := seen[key]; dup {
					out = append(out, fmt.Sprintf("logs of %s/%s (%s %d lines): the same as %s", p.Name, cs.Name, which, len(lines), first))
					continue
				}
				seen[key] = where
				note := ""
				if omitted {
					note = ", stack frames left out"
				}
				out = append(out, fmt.Sprintf("logs of %s/%s (%s %d lines%s):", p.Name, cs.Name, which, len(lines), note))
				for _, l := range lines {
					out = append(out, "  "+l)
				}
			}
			quoted++
		}
	}
	return out
}

func unschedulable(pods []corev1.Pod) bool {
	for i := range pods {
		for _, c := range pods[i].Status.Conditions {
			if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse {
				return true
			}
		}
	}
	return false
}

// nodeStates says what keeps pods off the nodes: their taints and the
// conditions that are not as they should be.
func (c *Clients) nodeStates(ctx context.Context) []string {
	nodes, err := c.Kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return []string{"(nodes unavailable: " + err.Error() + ")"}
	}
	var out []string
	for _, n := range nodes.Items {
		var s []string
		for _, t := range n.Spec.Taints {
			s = append(s, fmt.Sprintf("taint %s=%s:%s", t.Key, t.Value, t.Effect))
		}
		for _, cond := range n.Status.Conditions {
			bad := cond.Status == corev1.ConditionTrue
			if cond.Type == corev1.NodeReady {
				bad = cond.Status != corev1.ConditionTrue
			}
			if bad {
				s = append(s, fmt.Sprintf("%s=%s (%s: %s)", cond.Type, cond.Status, cond.Reason, strings.TrimSpace(cond.Message)))
			}
		}
		if len(s) == 0 {
			s = []string{"no taints, Ready"}
		}
		out = append(out, "node "+n.Name+": "+strings.Join(s, "; "))
	}
	return out
}

// podHost matches a host of a server list that names StatefulSet pods:
// http://<statefulset>-{a...b}… or http://<statefulset>-<n>… (the
// StatefulSet's name, then the range or ordinal).
var podHost = regexp.MustCompile(`https?://([a-z0-9-]+?)-(?:\{(\d+)\.\.\.(\d+)\}|(\d+))[.:/]`)

// ellipsis matches MinIO's {a...b} server list expansion.
var ellipsis = regexp.MustCompile(`\{(\d+)\.\.\.(\d+)\}`)

// ellipsisHint: a server list whose {a...b} names another number of
// servers than the StatefulSet runs leaves pods outside the cluster.
func ellipsisHint(o *Object, replicas int) string {
	h, _ := ellipsisMismatch(o, replicas)
	return h
}

// ellipsisMismatch is ellipsisHint with the field path of the argument.
// The servers are those of every host of the StatefulSet's own pods in
// its containers' arguments, across server pools
// (http://minio-{0...3}… http://minio-{4...7}… for 8 replicas) and hosts
// written out (http://minio-4…); a list without {a...b} is not judged.
func ellipsisMismatch(o *Object, replicas int) (hint, path string) {
	if o.GetKind() != "StatefulSet" {
		return "", ""
	}
	servers := map[int]bool{}
	var ranges []string
	for _, c := range o.containers() {
		for _, field := range []string{"args", "command"} {
			vals, _, _ := unstructured.NestedStringSlice(c.m, field)
			for i, v := range vals {
				for _, m := range podHost.FindAllStringSubmatch(v, -1) {
					if m[1] != o.GetName() {
						continue
					}
					m = m[1:]
					if m[3] != "" {
						n, _ := strconv.Atoi(m[3])
						servers[n] = true
						continue
					}
					from, _ := strconv.Atoi(m[1])
					to, _ := strconv.Atoi(m[2])
					for n := from; n <= to && len(servers) <= replicas; n++ {
						servers[n] = true
					}
					ranges = append(ranges, "{"+m[1]+"..."+m[2]+"}")
					if path == "" {
						path = fmt.Sprintf("%s.%s[%d]", c.path, field, i)
					}
				}
			}
		}
	}
	whole := len(servers) == replicas
	for n := range replicas {
		whole = whole && servers[n]
	}
	if len(ranges) == 0 || whole {
		return "", ""
	}
	lists := fmt.Sprintf("names %d servers but the StatefulSet runs %d pods", len(servers), replicas)
	switch {
	case len(servers) > replicas:
		lists = fmt.Sprintf("names more than %d servers but the StatefulSet runs %d pods", replicas, replicas)
	case len(servers) == replicas:
		lists = fmt.Sprintf("names other servers than the %d pods the StatefulSet runs", replicas)
	}
	return fmt.Sprintf("the server list %s %s: MinIO refuses to start on a pod that is not in the list, and the list must name exactly the pods %s-0 to %s-%d", strings.Join(ranges, " "), lists, o.GetName(), o.GetName(), replicas-1), path
}

// stackFrame matches a Go stack frame line as MinIO logs them
// ("   8: github.com/minio/minio/cmd/server-main.go:452:cmd.initAllSubsystems()").
var stackFrame = regexp.MustCompile(`^\s*\d+: \S+\.go:\d+:`)

// meaningful returns the last n log lines that are not blank or stack
// frames, and whether frames were left out.
func meaningful(log string, n int) ([]string, bool) {
	var keep []string
	omitted := false
	for _, l := range strings.Split(log, "\n") {
		l = strings.TrimRight(l, "\r ")
		switch {
		case strings.TrimSpace(l) == "":
		case stackFrame.MatchString(l):
			omitted = true
		default:
			keep = append(keep, l)
		}
	}
	if len(keep) > n {
		keep = keep[len(keep)-n:]
	}
	return keep, omitted
}

// readinessPath is the HTTP path of the first container's readiness probe.
func readinessPath(o *Object) string {
	for _, c := range o.containers() {
		if p, ok, _ := unstructured.NestedString(c.m, "readinessProbe", "httpGet", "path"); ok {
			return p
		}
	}
	return ""
}
