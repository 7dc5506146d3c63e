package verify

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/labcheck/labcheck/internal/deploy"
	"github.com/labcheck/labcheck/internal/finding"
)

// fakeNodes records what a nodeLoss stopped and started.
type fakeNodes struct {
	mu      sync.Mutex
	stopped []string
	started []string
}

func (f *fakeNodes) loss() *nodeLoss {
	return nodeLossWith(func(_ context.Context, n string) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.stopped = append(f.stopped, n)
		return nil
	}, func(_ context.Context, n string) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.started = append(f.started, n)
		return nil
	})
}

func (f *fakeNodes) did() (stopped, started string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.stopped, ","), strings.Join(f.started, ",")
}

// TestNodeLossSharesANode: both labs arrive; the first node each may stop
// is chosen, stopped once, for both, only once MinIO spared both labs'
// members there, and restarted once, after the last finished.
func TestNodeLossSharesANode(t *testing.T) {
	f := &fakeNodes{}
	z := f.loss()
	ctx := context.Background()
	got := make(chan string, 2)
	go func() {
		n, _ := z.arrive(ctx, finding.Kubernetes, map[string]string{"w1": "minio-1", "w2": "minio-2", "w3": "minio-3"}, "")
		got <- n
	}()
	select {
	case n := <-got:
		t.Fatalf("Lab 2 went on (%q) before Lab 3 arrived", n)
	case <-time.After(50 * time.Millisecond):
	}
	n, err := z.arrive(ctx, finding.Helm, map[string]string{"w3": "minio-1", "w2": "minio-3"}, "")
	if err != nil || n != "w2" || <-got != "w2" {
		t.Fatalf("shared node %q (%v), want w2: the first both may stop", n, err)
	}
	spared := make(chan error, 1)
	go func() { spared <- z.spared(ctx, true) }()
	select {
	case err := <-spared:
		t.Fatalf("Lab 2 went on (%v) before MinIO spared Lab 3's member", err)
	case <-time.After(50 * time.Millisecond):
	}
	if stopped, _ := f.did(); stopped != "" {
		t.Fatalf("stopped %s before MinIO spared both members", stopped)
	}
	if err := z.spared(ctx, true); err != nil || <-spared != nil {
		t.Fatalf("spared: %v", err)
	}
	if err := z.finish(); err != nil {
		t.Fatal(err)
	}
	if _, started := f.did(); started != "" {
		t.Fatalf("restarted %v while the other lab's rounds run", started)
	}
	if err := z.finish(); err != nil {
		t.Fatal(err)
	}
	if stopped, started := f.did(); stopped != "w2" || started != "w2" {
		t.Errorf("stopped %v, started %v; want w2 once each", stopped, started)
	}
}

// TestNodeLossPrefersTheRejoined: among the nodes both may stop, the one
// that hosts the members the labs deleted (and MinIO spares at once) goes
// before the first by name.
func TestNodeLossPrefersTheRejoined(t *testing.T) {
	offer := map[string]string{"w1": "minio-1", "w2": "minio-2", "w3": "minio-3"}
	for _, tc := range []struct {
		lab2, lab3, want string
	}{
		{"w3", "w3", "w3"},
		{"", "w3", "w3"},
		{"w3", "w2", "w2"}, // one vote each: the first by name
		{"w9", "", "w1"},   // a node not both may stop is no choice
	} {
		z := (&fakeNodes{}).loss()
		go z.arrive(context.Background(), finding.Kubernetes, offer, tc.lab2)
		n, err := z.arrive(context.Background(), finding.Helm, offer, tc.lab3)
		if err != nil || n != tc.want {
			t.Errorf("preferred %q and %q: chose %q (%v), want %q", tc.lab2, tc.lab3, n, err, tc.want)
		}
	}
}

// TestNodeLossNotSpared: a lab whose member MinIO does not spare runs no
// rounds; the node is stopped for the other, and restarted after its
// rounds; when neither is spared, nothing is stopped.
func TestNodeLossNotSpared(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		lab2, lab3 bool
		stopped    string
	}{
		{true, false, "w1"},
		{false, true, "w1"},
		{false, false, ""},
	} {
		f := &fakeNodes{}
		z := f.loss()
		go z.arrive(ctx, finding.Kubernetes, map[string]string{"w1": "m"}, "")
		if _, err := z.arrive(ctx, finding.Helm, map[string]string{"w1": "m"}, ""); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 1)
		go func() { errs <- z.spared(ctx, tc.lab2) }()
		if err := z.spared(ctx, tc.lab3); err != nil || <-errs != nil {
			t.Fatalf("spared: %v", err)
		}
		if stopped, _ := f.did(); stopped != tc.stopped {
			t.Errorf("spared %v, %v: stopped %q, want %q", tc.lab2, tc.lab3, stopped, tc.stopped)
		}
		if tc.stopped != "" {
			if err := z.finish(); err != nil {
				t.Fatal(err)
			}
			if _, started := f.did(); started != tc.stopped {
				t.Errorf("spared %v, %v: restarted %q after the one lab's rounds", tc.lab2, tc.lab3, started)
			}
		}
	}
}

// TestNodeLossAlone: no node serves both, or the other lab left (it failed
// before its step), or offered none: nothing is stopped for both and each
// goes on alone.
func TestNodeLossAlone(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		steps func(z *nodeLoss) (string, error)
	}{
		{"no common node", func(z *nodeLoss) (string, error) {
			go z.arrive(ctx, finding.Kubernetes, map[string]string{"w1": "minio-1"}, "w1")
			return z.arrive(ctx, finding.Helm, map[string]string{"w2": "minio-1"}, "w2")
		}},
		{"the other left", func(z *nodeLoss) (string, error) {
			z.leave(finding.Kubernetes)
			return z.arrive(ctx, finding.Helm, map[string]string{"w2": "minio-1"}, "")
		}},
		{"the other offered none", func(z *nodeLoss) (string, error) {
			go z.arrive(ctx, finding.Kubernetes, nil, "")
			return z.arrive(ctx, finding.Helm, map[string]string{"w2": "minio-1"}, "")
		}},
		{"left after arriving is no second leave", func(z *nodeLoss) (string, error) {
			z.leave(finding.Helm)
			z.leave(finding.Helm)
			return z.arrive(ctx, finding.Kubernetes, map[string]string{"w2": "minio-1"}, "")
		}},
	} {
		f := &fakeNodes{}
		z := f.loss()
		n, err := tc.steps(z)
		if stopped, _ := f.did(); err != nil || n != "" || stopped != "" {
			t.Errorf("%s: node %q, err %v, stopped %v; want each lab alone", tc.name, n, err, stopped)
		}
	}
}

// TestNodeLossStopFails: a node that does not stop is the error of every
// lab spared on it.
func TestNodeLossStopFails(t *testing.T) {
	z := (&fakeNodes{}).loss()
	z.stop = func(context.Context, string) error { return errors.New("docker stop: no such container") }
	go z.arrive(context.Background(), finding.Kubernetes, map[string]string{"w1": "m"}, "")
	if _, err := z.arrive(context.Background(), finding.Helm, map[string]string{"w1": "m"}, ""); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 1)
	go func() { errs <- z.spared(context.Background(), true) }()
	if err := z.spared(context.Background(), true); err == nil || <-errs == nil {
		t.Error("a failed stop is no error")
	}
}

// TestNodeLossCancelled: a lab waiting for the other stops when the run
// is cancelled, at either wait.
func TestNodeLossCancelled(t *testing.T) {
	z := (&fakeNodes{}).loss()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := z.arrive(ctx, finding.Kubernetes, map[string]string{"w1": "m"}, ""); err == nil {
		t.Error("waited on after the run was cancelled")
	}
	z = (&fakeNodes{}).loss()
	go z.arrive(context.Background(), finding.Kubernetes, map[string]string{"w1": "m"}, "")
	if _, err := z.arrive(context.Background(), finding.Helm, map[string]string{"w1": "m"}, ""); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if err := z.spared(ctx2, true); err == nil {
		t.Error("waited on the other lab's answer after the run was cancelled")
	}
}

// TestVictim: the labs delete, in their pod-loss steps, members that share
// a node both may stop later: the node the other lab picked when this one
// may stop it; when neither picked yet, the first node both may stop (by
// where the other's members are now); else the lab's own first.
func TestVictim(t *testing.T) {
	ctx := context.Background()
	lab2 := map[string]string{"w2": "minio-3", "w3": "minio-1", "w4": "minio-2"} // minio-0 on w1
	lab3 := map[string]string{"w1": "rel-1", "w3": "rel-3", "w4": "rel-2"}       // rel-0 on w2
	placed := func(m map[string]string) func(context.Context) (map[string]string, string, error) {
		return func(context.Context) (map[string]string, string, error) { return m, "", nil }
	}

	z := (&fakeNodes{}).loss()
	z.place(finding.Kubernetes, placed(lab2))
	z.place(finding.Helm, placed(lab3))
	if m := z.victim(ctx, finding.Kubernetes, lab2); m != "minio-1" {
		t.Errorf("Lab 2 first: deletes %q, want minio-1 (on w3, the first node Lab 3 may stop too)", m)
	}
	if m := z.victim(ctx, finding.Helm, lab3); m != "rel-3" {
		t.Errorf("Lab 3 second: deletes %q, want rel-3 (on w3, Lab 2's pick)", m)
	}

	z = (&fakeNodes{}).loss()
	z.place(finding.Helm, placed(lab3))
	z.picked[finding.Kubernetes] = "w2" // Lab 3 may not stop w2 (rel-0 is there)
	if m := z.victim(ctx, finding.Helm, lab3); m != "rel-1" {
		t.Errorf("Lab 3 after a pick it cannot share: deletes %q, want rel-1 (its first)", m)
	}

	z = (&fakeNodes{}).loss()
	if m := z.victim(ctx, finding.Kubernetes, lab2); m != "minio-3" {
		t.Errorf("Lab 2 alone: deletes %q, want minio-3 (on w2, its first)", m)
	}
	if m := z.victim(ctx, finding.Kubernetes, nil); m != "" {
		t.Errorf("no node to stop: deletes %q, want the proof's default", m)
	}

	// Both at once, each with the other's placement: the same node.
	z = (&fakeNodes{}).loss()
	z.place(finding.Kubernetes, placed(lab2))
	z.place(finding.Helm, placed(lab3))
	var wg sync.WaitGroup
	var a, b string
	wg.Go(func() { a = z.victim(ctx, finding.Kubernetes, lab2) })
	wg.Go(func() { b = z.victim(ctx, finding.Helm, lab3) })
	wg.Wait()
	if a != "minio-1" || b != "rel-3" {
		t.Errorf("at once: %q and %q, want minio-1 and rel-3 (both on w3)", a, b)
	}
}

func statefulSet(t *testing.T, replicas int, requests, limits map[string]any) *deploy.Object {
	t.Helper()
	res := map[string]any{}
	if requests != nil {
		res["requests"] = requests
	}
	if limits != nil {
		res["limits"] = limits
	}
	o, err := deploy.NewObject("sts.yaml", 1, nil, map[string]any{
		"apiVersion": "apps/v1", "kind": "StatefulSet",
		"metadata": map[string]any{"name": "minio", "namespace": "minio"},
		"spec": map[string]any{
			"replicas": int64(replicas),
			"template": map[string]any{"spec": map[string]any{"containers": []any{
				map[string]any{"name": "minio", "image": "minio", "resources": res},
			}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestFitTogether: two labs go side by side only when their requests
// (limits where no request is stated) fit the nodes with room to spare.
func TestFitTogether(t *testing.T) {
	node := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("2"), corev1.ResourceMemory: resource.MustParse("8Gi")}
	four := deploy.Room{Nodes: []corev1.ResourceList{node, node, node, node}}
	small := map[string]any{"cpu": "250m", "memory": "512Mi"}
	for _, tc := range []struct {
		name string
		a, b *deploy.Object
		room deploy.Room
		want string // "" fits; else a part of the reason
	}{
		{"the fixture's size", statefulSet(t, 4, small, nil), statefulSet(t, 4, small, nil), four, ""},
		{"no requests at all", statefulSet(t, 4, nil, nil), statefulSet(t, 4, nil, nil), four, ""},
		{"a chart asking for 16Gi per pod", statefulSet(t, 4, small, nil), statefulSet(t, 4, map[string]any{"memory": "16Gi"}, nil), four, "memory"},
		{"limits count where requests are absent", statefulSet(t, 4, nil, map[string]any{"cpu": "1"}), statefulSet(t, 4, nil, map[string]any{"cpu": "1"}), four, "cpu"},
		{"one pod of each too big for a node", statefulSet(t, 1, map[string]any{"cpu": "1"}, nil), statefulSet(t, 1, map[string]any{"cpu": "1"}, nil), four, "smallest node"},
		{"two billion replicas are counted, not looped over", statefulSet(t, 2_000_000_000, small, nil), statefulSet(t, 4, small, nil), four, "cpu"},
		{"no schedulable node", statefulSet(t, 1, small, nil), statefulSet(t, 1, small, nil), deploy.Room{}, "no schedulable node"},
	} {
		got := fitTogether([]*deploy.Object{tc.a}, []*deploy.Object{tc.b}, tc.room)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func object(t *testing.T, kind, ns, name string) *deploy.Object {
	t.Helper()
	meta := map[string]any{"name": name}
	if ns != "" {
		meta["namespace"] = ns
	}
	o, err := deploy.NewObject("x.yaml", 1, nil, map[string]any{"apiVersion": "v1", "kind": kind, "metadata": meta})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestApart: the chart goes beside Lab 2 only where nothing of it lands in
// Lab 2's namespaces (their quota would count it) or remakes one of Lab 2's
// cluster-wide objects.
func TestApart(t *testing.T) {
	lab2 := []*deploy.Object{
		object(t, "Namespace", "", "minio"), object(t, "ResourceQuota", "minio", "quota"),
		object(t, "StatefulSet", "minio", "minio"), object(t, "StorageClass", "", "fast"),
	}
	for _, tc := range []struct {
		name  string
		chart []*deploy.Object
		want  string
	}{
		{"the release's own namespace", []*deploy.Object{object(t, "StatefulSet", "", "minio"), object(t, "Service", "labcheck-helm", "minio")}, ""},
		{"a namespace written into the templates", []*deploy.Object{object(t, "StatefulSet", "minio", "minio")}, "namespace minio"},
		{"the same namespace made again", []*deploy.Object{object(t, "Namespace", "", "minio")}, "makes namespace minio"},
		{"the same storage class", []*deploy.Object{object(t, "StorageClass", "", "fast")}, "cluster-wide"},
		{"another storage class", []*deploy.Object{object(t, "StorageClass", "", "slow")}, ""},
	} {
		got := apart(lab2, tc.chart, "labcheck-helm")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestAfterChart: side by side, Lab 2's manifests wait for the chart's
// release to be made first (or for the chart to say it will not be), at
// most chartLead; one lab after the other, they do not wait.
func TestAfterChart(t *testing.T) {
	wait := func(e *env, ctx context.Context) (time.Duration, string) {
		var log bytes.Buffer
		r := newRunner(&log)
		start := time.Now()
		r.afterChart(ctx, e)
		return time.Since(start), log.String()
	}
	sideBySide := func() *env {
		in := make(chan struct{})
		return &env{chartIn: in, chartMade: sync.OnceFunc(func() { close(in) })}
	}
	t.Run("until the chart is made", func(t *testing.T) {
		e := sideBySide()
		go func() { time.Sleep(1100 * time.Millisecond); e.chartMade(); e.chartMade() }()
		d, log := wait(e, context.Background())
		if d < time.Second || d > 5*time.Second {
			t.Errorf("waited %s, want about 1.1s", d)
		}
		if !strings.Contains(log, "the manifests waited 1.") || !strings.Contains(log, "s for the chart's release to be made first") {
			t.Errorf("log %q does not say how long the manifests waited", log)
		}
	})
	t.Run("at most chartLead", func(t *testing.T) {
		defer func(d time.Duration) { chartLead = d }(chartLead)
		chartLead = 50 * time.Millisecond
		d, log := wait(sideBySide(), context.Background())
		if d > 2*time.Second {
			t.Errorf("waited %s past chartLead", d)
		}
		if !strings.Contains(log, "the chart's release was not made within 50ms; the manifests are applied now") {
			t.Errorf("log %q does not say the chart's release was not made", log)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		e := sideBySide()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if d, log := wait(e, ctx); d > time.Second || log != "" {
			t.Errorf("waited %s (log %q) after the run was cancelled", d, log)
		}
	})
	t.Run("one lab after the other", func(t *testing.T) {
		if d, log := wait(&env{}, context.Background()); d > 100*time.Millisecond || log != "" {
			t.Errorf("waited %s (log %q) with no chart beside", d, log)
		}
	})
}
