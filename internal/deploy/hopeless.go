package deploy

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// How long a state must hold before Wait takes it as final. A cluster on
// its own does not heal these: waiting the full --ready-timeout only
// delays the answer.
// (Variables, so that tests need not wait.)
var (
	settleFirst    = 15 * time.Second // let pods be created and scheduled at all
	pullGivesUp    = 30 * time.Second // an image that cannot be pulled
	unschedGivesUp = 30 * time.Second // a pod the scheduler keeps refusing
	unboundGivesUp = 90 * time.Second // ... because its claim is not bound (a provisioner may be slow)
	trapGivesUp    = 30 * time.Second // a StatefulSet stuck in a trap its own spec sets
)

// sameCrashGivesUp is how many terminations with the same exit code and
// reason make a crash loop final.
const sameCrashGivesUp = 3

// Verdict is why Wait stopped before its timeout, and the field to fix.
type Verdict struct {
	Why  string // in the student's terms
	Path string // field path of the object the finding points at ("" : the object)
}

// watch remembers what Wait saw across its polls, to tell a state that
// will not change from one still moving.
type watch struct {
	start    time.Time
	crashes  map[string]map[int32]string // pod/container -> restart count -> "exit N (Reason)"
	pulling  map[string]time.Time        // pod/container -> first seen failing to pull
	unsched  map[string]time.Time        // pod -> first seen unschedulable
	dangling *Verdict                    // names the workload depends on that do not exist (checked once)
	checked  bool
	probed   time.Time // when the readiness probe's events were last read
	trapped  time.Time // when a trap of the spec was first seen holding (zero: not holding)
}

func newWatch(start time.Time) *watch {
	return &watch{start: start, crashes: map[string]map[int32]string{}, pulling: map[string]time.Time{}, unsched: map[string]time.Time{}}
}

// verdict returns a reason to stop waiting, or nil while the workload may
// still become ready.
func (w *watch) verdict(now time.Time, o *Object, r Readiness) *Verdict {
	if r.Err != nil || now.Sub(w.start) < settleFirst {
		return nil
	}
	if v := w.trap(now, o, r); v != nil {
		return v
	}
	for i := range r.Pods {
		p := &r.Pods[i]
		if PodReady(p) {
			continue
		}
		for _, cs := range append(slices.Clone(p.Status.InitContainerStatuses), p.Status.ContainerStatuses...) {
			key := p.Name + "/" + cs.Name
			if wt := cs.State.Waiting; wt != nil {
				switch wt.Reason {
				case "ErrImageNeverPull", "InvalidImageName":
					return &Verdict{Why: fmt.Sprintf("pod %s: image %s: %s (%s); no wait will change that", p.Name, cs.Image, wt.Reason, strings.TrimSpace(wt.Message)), Path: imagePath(o, cs.Name)}
				case "ErrImagePull", "ImagePullBackOff":
					if _, ok := w.pulling[key]; !ok {
						w.pulling[key] = now
					}
					if now.Sub(w.pulling[key]) >= pullGivesUp {
						return &Verdict{Why: fmt.Sprintf("pod %s: image %s cannot be pulled (%s for %s: %s); offline, side-load a local build with --load-image LOCAL=REPOSITORY", p.Name, cs.Image, wt.Reason, now.Sub(w.pulling[key]).Round(time.Second), strings.TrimSpace(wt.Message)), Path: imagePath(o, cs.Name)}
					}
				default:
					delete(w.pulling, key)
				}
			}
			if t := cs.LastTerminationState.Terminated; t != nil && cs.RestartCount > 0 {
				if w.crashes[key] == nil {
					w.crashes[key] = map[int32]string{}
				}
				w.crashes[key][cs.RestartCount] = fmt.Sprintf("exit %d (%s)", t.ExitCode, t.Reason)
				if same := sameCrashes(w.crashes[key]); same != "" {
					return &Verdict{Why: fmt.Sprintf("container %s of pod %s crashed %d times in a row the same way (%s, %d restarts): it will not start differently next time", cs.Name, p.Name, sameCrashGivesUp, same, cs.RestartCount)}
				}
			}
		}
		if c := scheduledFalse(p); c != nil && c.Reason == corev1.PodReasonUnschedulable {
			if _, ok := w.unsched[p.Name]; !ok {
				w.unsched[p.Name] = now
			}
			limit := unschedGivesUp
			if strings.Contains(c.Message, "unbound") || strings.Contains(c.Message, "PersistentVolumeClaim") {
				limit = unboundGivesUp
			}
			if now.Sub(w.unsched[p.Name]) >= limit {
				return &Verdict{Why: fmt.Sprintf("pod %s has been unschedulable for %s: %s; the nodes will not change during the run", p.Name, now.Sub(w.unsched[p.Name]).Round(time.Second), strings.TrimSpace(c.Message))}
			}
		} else {
			delete(w.unsched, p.Name)
		}
	}
	return nil
}

// trap is a verdict on a StatefulSet whose own spec keeps it from ever
// being ready, once that has held for trapGivesUp:
//   - OrderedReady (the default) with a readiness probe on MinIO's
//     /minio/health/cluster and a server list of peers: the first pod is
//     Ready only with its peers, which are created only once it is Ready;
//     a probe that answers alone (/minio/health/ready) only slows the
//     rollout, and is left to the timeout;
//   - a server list whose {a...b} names another number of servers than
//     the replicas: MinIO does not start on a pod outside the list.
func (w *watch) trap(now time.Time, o *Object, r Readiness) *Verdict {
	var v *Verdict
	switch {
	case orderedReadyTrap(o, r) && strings.HasPrefix(readinessPath(o), "/minio/health/cluster") && len(serverHosts(o)) > 0:
		v = &Verdict{Why: hint(o, r), Path: "spec.podManagementPolicy"}
	case readyPods(r.Pods) < r.Want:
		if h, path := ellipsisMismatch(o, r.Want); h != "" {
			v = &Verdict{Why: h, Path: path}
		}
	}
	if v == nil {
		w.trapped = time.Time{}
		return nil
	}
	if w.trapped.IsZero() {
		w.trapped = now
	}
	if now.Sub(w.trapped) < trapGivesUp {
		return nil
	}
	v.Why += fmt.Sprintf(" (unchanged for %s)", now.Sub(w.trapped).Round(time.Second))
	return v
}

// sameCrashes returns the termination seen sameCrashGivesUp times (at
// distinct restart counts), or "".
func sameCrashes(seen map[int32]string) string {
	count := map[string]int{}
	for _, s := range seen {
		count[s]++
		if count[s] >= sameCrashGivesUp {
			return s
		}
	}
	return ""
}

func scheduledFalse(p *corev1.Pod) *corev1.PodCondition {
	for i, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

// imagePath is the field path of a container's image.
func imagePath(o *Object, name string) string {
	for _, c := range o.containers() {
		if c.m["name"] == name {
			return c.path + ".image"
		}
	}
	return ""
}

// hostName matches the host of an http(s) endpoint in MinIO's server
// list: pod.service[.namespace[.svc[.cluster.local]]].
var hostName = regexp.MustCompile(`https?://([a-z0-9{}.\-]+?)(?::\d+)?(?:/|$)`)

// names is danglingNames' verdict, read once per Wait.
func (w *watch) names(ctx context.Context, c *Clients, o *Object) *Verdict {
	if !w.checked {
		w.checked = true
		w.dangling = c.danglingNames(ctx, o)
	}
	return w.dangling
}

// danglingNames checks, once, that the names a StatefulSet's pods are
// reached by exist: its serviceName must name a Service in its namespace
// (the pods' DNS names are <pod>.<serviceName>.<namespace>.svc), and the
// Services its MinIO server list names must exist. Without them the names
// never resolve, and MinIO never forms its cluster.
func (c *Clients) danglingNames(ctx context.Context, o *Object) *Verdict {
	if o.GetKind() != "StatefulSet" {
		return nil
	}
	ns := o.GetNamespace()
	exists := func(namespace, name string) bool {
		_, err := c.Kube.CoreV1().Services(namespace).Get(ctx, name, metav1.GetOptions{})
		return err == nil || !apierrors.IsNotFound(err)
	}
	svc, _, _ := unstructured.NestedString(o.Object, "spec", "serviceName")
	hosts := serverHosts(o)
	if len(hosts) == 0 {
		return nil // not a server list of peers: a missing name may not matter
	}
	if svc != "" && !exists(ns, svc) {
		return &Verdict{Path: "spec.serviceName", Why: fmt.Sprintf(
			"spec.serviceName %q names no Service in namespace %s, so the pods' DNS names (%s-0.%s.%s.svc.cluster.local, …) do not exist and MinIO cannot reach its peers by the names in its server list; "+
				"name the headless Service (clusterIP: None) that selects these pods, or create it", svc, ns, o.GetName(), svc, ns)}
	}
	for _, h := range hosts {
		switch {
		case h.service != svc:
			return &Verdict{Path: h.path, Why: fmt.Sprintf(
				"the server list names hosts under %q (%s), but a StatefulSet's pods are named <pod>.<serviceName>: %s-0.%s.%s.svc.cluster.local, …; the names in the list never resolve, so MinIO cannot reach its peers. "+
					"Use %q (spec.serviceName) in the server list", h.service, h.text, o.GetName(), svc, ns, svc)}
		case !exists(h.namespace, h.service):
			return &Verdict{Path: h.path, Why: fmt.Sprintf(
				"the server list names hosts under %q (%s), but namespace %s has no Service %s, so those DNS names do not exist and MinIO cannot reach its peers", h.service, h.text, h.namespace, h.service)}
		}
	}
	return nil
}

// serverHost is a peer host in a StatefulSet's server list.
type serverHost struct {
	text, service, namespace string
	path                     string // field path of the argument
}

// serverHosts lists the hosts of the StatefulSet's own pods in its
// containers' arguments (http://minio-{0...3}.minio-hl.minio.svc…/data).
func serverHosts(o *Object) []serverHost {
	var out []serverHost
	for _, ct := range o.containers() {
		for _, field := range []string{"args", "command"} {
			vals, _, _ := unstructured.NestedStringSlice(ct.m, field)
			for i, v := range vals {
				for _, m := range hostName.FindAllStringSubmatch(v, -1) {
					parts := strings.Split(ellipsis.ReplaceAllString(m[1], "N"), ".")
					if len(parts) < 2 || !strings.HasPrefix(parts[0], o.GetName()+"-") {
						continue
					}
					h := serverHost{text: m[1], service: parts[1], namespace: o.GetNamespace(), path: fmt.Sprintf("%s.%s[%d]", ct.path, field, i)}
					if len(parts) >= 3 && parts[2] != "svc" {
						h.namespace = parts[2]
					}
					out = append(out, h)
				}
			}
		}
	}
	return out
}

// probeForbidden: MinIO answers 403 on paths outside its public health
// endpoints (the S3 API wants credentials), so a readiness probe on such
// a path fails forever. Three such failures of one pod are final; the
// finding points at the probe's path.
func (c *Clients) probeForbidden(ctx context.Context, o *Object) *Verdict {
	path, field := "", ""
	for _, ct := range o.containers() {
		if p, ok, _ := unstructured.NestedString(ct.m, "readinessProbe", "httpGet", "path"); ok {
			path, field = p, ct.path+".readinessProbe.httpGet.path"
			break
		}
	}
	if field == "" {
		return nil
	}
	list, err := c.Kube.CoreV1().Events(o.GetNamespace()).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil
	}
	for _, e := range list.Items {
		if e.InvolvedObject.Kind != "Pod" || !strings.HasPrefix(e.InvolvedObject.Name, o.GetName()+"-") {
			continue
		}
		count := max(int(e.Count), 1)
		if e.Series != nil {
			count = max(count, int(e.Series.Count))
		}
		if count >= 3 && strings.Contains(e.Message, "Readiness probe failed") && strings.Contains(e.Message, "statuscode: 403") {
			return &Verdict{Path: field, Why: fmt.Sprintf(
				"the readiness probe asks %s, which MinIO answers 403 Forbidden (%d times on pod %s): only its health endpoints answer without credentials, so the pods are never Ready; probe /minio/health/ready (and /minio/health/live for liveness)",
				path, count, e.InvolvedObject.Name)}
		}
	}
	return nil
}
