//go:build e2e

// Package e2e holds labcheck's end-to-end smoke test of the offline kind
// environment built by env.sh: it creates a kind cluster from the locally
// assembled node image through kind's Go API, loads the locally built MinIO
// image, applies the passing fixture's Kubernetes manifests, waits for the
// MinIO pods, writes and reads an object through the S3 API, and deletes the
// cluster, leaving no containers behind.
//
// Run it through `make e2e` (test/e2e/run.sh), which provides the
// environment variables below from the cache that `make e2e-env` fills.
package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"
	"sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
	kindlog "sigs.k8s.io/kind/pkg/log"
)

const (
	clusterPrefix = "labcheck-e2e-"
	fieldManager  = "labcheck-e2e"
)

// settings from the environment (see run.sh).
type settings struct {
	nodeImage    string
	minioImage   string
	minioTar     string
	fixtureDir   string
	readyTimeout time.Duration
	keep         bool
	workers      int
}

func loadSettings(t *testing.T) settings {
	t.Helper()
	s := settings{
		nodeImage:    os.Getenv("LABCHECK_E2E_NODE_IMAGE"),
		minioImage:   os.Getenv("LABCHECK_E2E_MINIO_IMAGE"),
		minioTar:     os.Getenv("LABCHECK_E2E_MINIO_TAR"),
		fixtureDir:   os.Getenv("LABCHECK_E2E_FIXTURE_DIR"),
		readyTimeout: 6 * time.Minute,
		keep:         os.Getenv("LABCHECK_E2E_KEEP") == "1",
	}
	if s.nodeImage == "" || s.minioImage == "" {
		t.Skip("LABCHECK_E2E_NODE_IMAGE / LABCHECK_E2E_MINIO_IMAGE unset: run through `make e2e` after `make e2e-env`")
	}
	if s.fixtureDir == "" {
		s.fixtureDir = filepath.Join("..", "..", "fixtures", "passing", "labs", "kubernetes")
	}
	s.workers = 2
	if v := os.Getenv("LABCHECK_E2E_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 5 {
			t.Fatalf("LABCHECK_E2E_WORKERS=%q: want 0..5", v)
		}
		s.workers = n
	}
	if v := os.Getenv("LABCHECK_E2E_READY_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("LABCHECK_E2E_READY_TIMEOUT=%q: %v", v, err)
		}
		s.readyTimeout = d
	}
	return s
}

// tlogger adapts kind's logger to the test log.
type tlogger struct{ t *testing.T }

func (l tlogger) Warn(message string)                       { l.t.Log("kind: WARN " + strings.TrimSpace(message)) }
func (l tlogger) Warnf(format string, args ...interface{})  { l.Warn(fmt.Sprintf(format, args...)) }
func (l tlogger) Error(message string)                      { l.t.Log("kind: ERROR " + strings.TrimSpace(message)) }
func (l tlogger) Errorf(format string, args ...interface{}) { l.Error(fmt.Sprintf(format, args...)) }
func (l tlogger) V(level kindlog.Level) kindlog.InfoLogger  { return tinfo{t: l.t, on: level <= 0} }

type tinfo struct {
	t  *testing.T
	on bool
}

func (i tinfo) Info(message string) {
	if m := strings.TrimSpace(message); i.on && m != "" {
		i.t.Log("kind: " + m)
	}
}
func (i tinfo) Infof(format string, args ...interface{}) { i.Info(fmt.Sprintf(format, args...)) }
func (i tinfo) Enabled() bool                            { return i.on }

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// kindConfig: one control plane and `workers` workers. The node image's
// default CNI is labcheck-net (kindnetd cannot be built from the module proxy).
func kindConfig(workers int) string {
	c := "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n"
	for i := 0; i < workers; i++ {
		c += "- role: worker\n"
	}
	return c
}

func TestSmoke(t *testing.T) {
	s := loadSettings(t)
	start := time.Now()
	phase := func(name string, since time.Time) {
		t.Logf("phase %-28s %6.1fs", name, time.Since(since).Seconds())
	}

	docs := readManifests(t, s.fixtureDir)

	provider := cluster.NewProvider(cluster.ProviderWithDocker(), cluster.ProviderWithLogger(tlogger{t}))
	name := os.Getenv("LABCHECK_E2E_CLUSTER_NAME") // run.sh names it, to clean up after a killed run
	if name == "" {
		name = clusterPrefix + randomSuffix()
	}
	if !strings.HasPrefix(name, clusterPrefix) {
		t.Fatalf("cluster name %q must start with %q", name, clusterPrefix)
	}
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if s.keep { // t.TempDir is removed when the test ends
		kubeconfig = filepath.Join(os.TempDir(), name+".kubeconfig")
	}

	// Delete the cluster however the test ends: normally, on failure, and on
	// SIGINT/SIGTERM (go test's timeout and Ctrl-C do not run t.Cleanup).
	var deleteOnce sync.Once
	deleteCluster := func() {
		deleteOnce.Do(func() {
			if s.keep {
				t.Logf("LABCHECK_E2E_KEEP=1: keeping cluster %s (kubeconfig %s)", name, kubeconfig)
				return
			}
			t0 := time.Now()
			if err := provider.Delete(name, kubeconfig); err != nil {
				t.Errorf("deleting cluster %s: %v", name, err)
			}
			phase("delete cluster", t0)
		})
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			fmt.Fprintf(os.Stderr, "e2e: %v: deleting cluster %s\n", sig, name)
			_ = provider.Delete(name, kubeconfig)
			os.Exit(1)
		case <-done:
		}
	}()
	t.Cleanup(func() {
		close(done)
		signal.Stop(sigs)
		deleteCluster()
		if !s.keep {
			assertNoContainers(t, name)
		}
	})

	// 1. Cluster.
	t0 := time.Now()
	t.Logf("creating kind cluster %s from %s: 1 control plane, %d workers", name, s.nodeImage, s.workers)
	err := provider.Create(name,
		cluster.CreateWithRawConfig([]byte(kindConfig(s.workers))),
		cluster.CreateWithNodeImage(s.nodeImage),
		cluster.CreateWithKubeconfigPath(kubeconfig),
		cluster.CreateWithWaitForReady(3*time.Minute),
		cluster.CreateWithDisplayUsage(false),
		cluster.CreateWithDisplaySalutation(false),
	)
	if err != nil {
		t.Fatalf("creating cluster: %v", err)
	}
	phase("create cluster", t0)

	// 2. MinIO image into every node.
	t0 = time.Now()
	loadImage(t, provider, name, s)
	phase("load MinIO image", t0)

	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		t.Fatalf("kubeconfig: %v", err)
	}
	cfg.Timeout = 30 * time.Second
	cs := kubernetes.NewForConfigOrDie(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()

	// On any failure from here on, show what the cluster saw (this runs
	// before the cluster is deleted: cleanups run last-registered first).
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		dctx, dcancel := context.WithTimeout(context.Background(), time.Minute)
		defer dcancel()
		for _, st := range findKind(docs, "StatefulSet") {
			sel := ""
			if got, err := cs.AppsV1().StatefulSets(st.GetNamespace()).Get(dctx, st.GetName(), metav1.GetOptions{}); err == nil {
				sel = metav1.FormatLabelSelector(got.Spec.Selector)
			}
			dumpDiagnostics(dctx, t, cs, st.GetNamespace(), sel)
		}
	})

	// 3. The fixture, adapted to this cluster, then applied.
	t0 = time.Now()
	adapt(ctx, t, cs, docs, s.minioImage)
	applyAll(ctx, t, cfg, docs)
	phase("apply fixture", t0)

	// 4. Ready.
	t0 = time.Now()
	sts := findKind(docs, "StatefulSet")
	if len(sts) == 0 {
		t.Fatalf("the fixture in %s has no StatefulSet", s.fixtureDir)
	}
	for _, st := range sts {
		waitStatefulSet(ctx, t, cs, st.GetNamespace(), st.GetName(), s.readyTimeout)
	}
	phase("wait for pods Ready", t0)

	// 5. S3 write and read through a port-forward.
	t0 = time.Now()
	st := sts[0]
	s3RoundTrip(ctx, t, cfg, cs, st)
	phase("S3 write+read", t0)

	t.Logf("smoke test body took %.1fs (cluster deletion follows)", time.Since(start).Seconds())
}

// readManifests reads every YAML document in dir (files sorted by name).
func readManifests(t *testing.T, dir string) []*unstructured.Unstructured {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("no manifests in %s (set LABCHECK_E2E_FIXTURE_DIR)", dir)
	}
	var docs []*unstructured.Unstructured
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(raw), 4096)
		for {
			obj := map[string]interface{}{}
			if err := dec.Decode(&obj); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				t.Fatalf("%s: %v", f, err)
			}
			if len(obj) == 0 {
				continue
			}
			u := &unstructured.Unstructured{Object: obj}
			if u.GetKind() == "List" {
				items, _, _ := unstructured.NestedSlice(obj, "items")
				for _, it := range items {
					if m, ok := it.(map[string]interface{}); ok {
						docs = append(docs, &unstructured.Unstructured{Object: m})
					}
				}
				continue
			}
			docs = append(docs, u)
		}
	}
	t.Logf("read %d objects from %d files in %s", len(docs), len(files), dir)
	return docs
}

func findKind(docs []*unstructured.Unstructured, kind string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, d := range docs {
		if d.GetKind() == kind {
			out = append(out, d)
		}
	}
	return out
}

// podSpecPath is where each workload kind keeps its pod spec.
func podSpecPath(kind string) []string {
	switch kind {
	case "Pod":
		return []string{"spec"}
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job":
		return []string{"spec", "template", "spec"}
	case "CronJob":
		return []string{"spec", "jobTemplate", "spec", "template", "spec"}
	}
	return nil
}

func isMinIOImage(image string) bool {
	repo := image
	if i := strings.LastIndex(repo, "@"); i >= 0 {
		repo = repo[:i]
	}
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	return strings.HasSuffix(repo, "/minio") || repo == "minio"
}

// adapt makes the fixture bootable on this offline cluster, logging every
// change: MinIO images become the locally built image, and storage classes
// whose provisioner the cluster lacks become the cluster's default class.
func adapt(ctx context.Context, t *testing.T, cs kubernetes.Interface, docs []*unstructured.Unstructured, minioImage string) {
	t.Helper()
	// Storage classes the cluster serves, and its default.
	scs, err := cs.StorageV1().StorageClasses().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("listing storage classes: %v", err)
	}
	provisioners := map[string]bool{}
	defaultClass := ""
	for _, sc := range scs.Items {
		provisioners[sc.Provisioner] = true
		if sc.Annotations["storageclass.kubernetes.io/is-default-class"] == "true" {
			defaultClass = sc.Name
		}
	}
	mapped := map[string]string{}
	for _, d := range findKind(docs, "StorageClass") {
		p, _, _ := unstructured.NestedString(d.Object, "provisioner")
		if !provisioners[p] {
			if defaultClass == "" {
				t.Fatalf("StorageClass %s: provisioner %q is not in this cluster, and the cluster has no default class", d.GetName(), p)
			}
			mapped[d.GetName()] = defaultClass
			t.Logf("adapt: StorageClass %q (provisioner %q, absent from this cluster) -> cluster default %q", d.GetName(), p, defaultClass)
		} else {
			t.Logf("adapt: StorageClass %q kept: its provisioner %q is served by this cluster (default class %q)", d.GetName(), p, defaultClass)
		}
	}
	mapClass := func(where string, obj map[string]interface{}, path ...string) {
		cur, ok, _ := unstructured.NestedString(obj, path...)
		if !ok {
			return
		}
		if to, ok := mapped[cur]; ok {
			_ = unstructured.SetNestedField(obj, to, path...)
			t.Logf("adapt: %s storageClassName %q -> %q", where, cur, to)
		}
	}
	for _, d := range docs {
		where := d.GetKind() + " " + d.GetNamespace() + "/" + d.GetName()
		switch d.GetKind() {
		case "PersistentVolumeClaim":
			mapClass(where, d.Object, "spec", "storageClassName")
		case "StatefulSet":
			vcts, _, _ := unstructured.NestedSlice(d.Object, "spec", "volumeClaimTemplates")
			for i, v := range vcts {
				if m, ok := v.(map[string]interface{}); ok {
					name, _, _ := unstructured.NestedString(m, "metadata", "name")
					mapClass(where+" volumeClaimTemplate "+name, m, "spec", "storageClassName")
					vcts[i] = m
				}
			}
			if len(vcts) > 0 {
				_ = unstructured.SetNestedSlice(d.Object, vcts, "spec", "volumeClaimTemplates")
			}
		}
		path := podSpecPath(d.GetKind())
		if path == nil {
			continue
		}
		for _, field := range []string{"containers", "initContainers"} {
			cs, ok, _ := unstructured.NestedSlice(d.Object, append(append([]string{}, path...), field)...)
			if !ok {
				continue
			}
			for i, c := range cs {
				m, ok := c.(map[string]interface{})
				if !ok {
					continue
				}
				img, _, _ := unstructured.NestedString(m, "image")
				if isMinIOImage(img) {
					m["image"] = minioImage
					t.Logf("adapt: %s container %v image %q -> local build %q", where, m["name"], img, minioImage)
					if pp, _ := m["imagePullPolicy"].(string); pp == "Always" {
						m["imagePullPolicy"] = "IfNotPresent"
						t.Logf("adapt: %s container %v imagePullPolicy Always -> IfNotPresent (nothing can be pulled here)", where, m["name"])
					}
				}
				cs[i] = m
			}
			_ = unstructured.SetNestedSlice(d.Object, cs, append(append([]string{}, path...), field)...)
		}
	}
}

// applyOrder ranks kinds so that what others depend on is applied first.
func applyOrder(kind string) int {
	order := []string{"Namespace", "ResourceQuota", "LimitRange", "ServiceAccount", "Secret", "ConfigMap",
		"StorageClass", "PersistentVolume", "PersistentVolumeClaim", "Role", "ClusterRole", "RoleBinding",
		"ClusterRoleBinding", "Service", "PodDisruptionBudget", "NetworkPolicy"}
	for i, k := range order {
		if k == kind {
			return i
		}
	}
	return len(order) // workloads and everything else last
}

// applyAll applies every object with server-side apply.
func applyAll(ctx context.Context, t *testing.T, cfg *rest.Config, docs []*unstructured.Unstructured) {
	t.Helper()
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sorted := append([]*unstructured.Unstructured{}, docs...)
	sort.SliceStable(sorted, func(i, j int) bool { return applyOrder(sorted[i].GetKind()) < applyOrder(sorted[j].GetKind()) })
	for _, d := range sorted {
		gvk := schema.FromAPIVersionAndKind(d.GetAPIVersion(), d.GetKind())
		m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			t.Fatalf("%s %s: %v", gvk, d.GetName(), err)
		}
		var ri dynamic.ResourceInterface = dyn.Resource(m.Resource)
		if m.Scope.Name() == meta.RESTScopeNameNamespace {
			ns := d.GetNamespace()
			if ns == "" {
				ns = "default"
				d.SetNamespace(ns)
			}
			ri = dyn.Resource(m.Resource).Namespace(ns)
		}
		if _, err := ri.Apply(ctx, d.GetName(), d, metav1.ApplyOptions{FieldManager: fieldManager, Force: true}); err != nil {
			t.Fatalf("applying %s %s/%s: %v", d.GetKind(), d.GetNamespace(), d.GetName(), err)
		}
		t.Logf("applied %s %s/%s", d.GetKind(), d.GetNamespace(), d.GetName())
	}
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// waitStatefulSet waits, bounded, until every replica is Ready; on timeout it
// prints the pods, their events and their containers' logs.
func waitStatefulSet(ctx context.Context, t *testing.T, cs kubernetes.Interface, ns, name string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	lastReport := time.Time{}
	for {
		st, err := cs.AppsV1().StatefulSets(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			t.Logf("get statefulset %s/%s: %v", ns, name, err)
		}
		want := int32(1)
		var ready int32
		var selector string
		if err == nil {
			if st.Spec.Replicas != nil {
				want = *st.Spec.Replicas
			}
			ready = st.Status.ReadyReplicas
			selector = metav1.FormatLabelSelector(st.Spec.Selector)
		}
		pods := &corev1.PodList{}
		if selector != "" {
			if p, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector}); err == nil {
				pods = p
			}
		}
		readyPods := 0
		for i := range pods.Items {
			if podReady(&pods.Items[i]) {
				readyPods++
			}
		}
		if err == nil && ready == want && readyPods == int(want) {
			var where []string
			for _, p := range pods.Items {
				where = append(where, p.Name+"@"+p.Spec.NodeName)
			}
			sort.Strings(where)
			t.Logf("StatefulSet %s/%s: %d/%d pods Ready [%s]", ns, name, readyPods, want, strings.Join(where, " "))
			return
		}
		if time.Since(lastReport) > 20*time.Second {
			lastReport = time.Now()
			var states []string
			for _, p := range pods.Items {
				states = append(states, fmt.Sprintf("%s=%s/ready=%v", p.Name, p.Status.Phase, podReady(&p)))
			}
			t.Logf("StatefulSet %s/%s: %d/%d Ready [%s]", ns, name, readyPods, want, strings.Join(states, " "))
		}
		if time.Now().After(deadline) {
			t.Fatalf("StatefulSet %s/%s: %d/%d pods Ready after %s", ns, name, readyPods, want, timeout)
		}
		time.Sleep(3 * time.Second)
	}
}

func dumpDiagnostics(ctx context.Context, t *testing.T, cs kubernetes.Interface, ns, selector string) {
	t.Helper()
	if evs, err := cs.CoreV1().Events(ns).List(ctx, metav1.ListOptions{}); err == nil {
		sort.Slice(evs.Items, func(i, j int) bool { return evs.Items[i].LastTimestamp.Before(&evs.Items[j].LastTimestamp) })
		t.Logf("--- events in namespace %s ---", ns)
		for _, e := range evs.Items {
			t.Logf("%s %s %s/%s: %s (x%d)", e.LastTimestamp.Format(time.RFC3339), e.Type, e.InvolvedObject.Kind, e.InvolvedObject.Name, strings.TrimSpace(e.Message), e.Count)
		}
	}
	if pvcs, err := cs.CoreV1().PersistentVolumeClaims(ns).List(ctx, metav1.ListOptions{}); err == nil {
		for _, p := range pvcs.Items {
			sc := ""
			if p.Spec.StorageClassName != nil {
				sc = *p.Spec.StorageClassName
			}
			t.Logf("pvc %s: %s (class %q, volume %q)", p.Name, p.Status.Phase, sc, p.Spec.VolumeName)
		}
	}
	pods, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return
	}
	tail := int64(40)
	for _, p := range pods.Items {
		t.Logf("--- pod %s: phase %s, node %q, conditions %v ---", p.Name, p.Status.Phase, p.Spec.NodeName, p.Status.Conditions)
		for _, c := range p.Status.ContainerStatuses {
			t.Logf("container %s: ready=%v restarts=%d state=%+v last=%+v", c.Name, c.Ready, c.RestartCount, c.State, c.LastTerminationState)
			for _, previous := range []bool{false, true} {
				raw, err := cs.CoreV1().Pods(ns).GetLogs(p.Name, &corev1.PodLogOptions{Container: c.Name, TailLines: &tail, Previous: previous}).Do(ctx).Raw()
				if err == nil && len(raw) > 0 {
					t.Logf("logs %s/%s (previous=%v):\n%s", p.Name, c.Name, previous, raw)
				}
			}
		}
	}
	// Everything else in the cluster, briefly (system pods).
	if all, err := cs.CoreV1().Pods("").List(ctx, metav1.ListOptions{}); err == nil {
		for _, p := range all.Items {
			t.Logf("pod %s/%s: %s ready=%v", p.Namespace, p.Name, p.Status.Phase, podReady(&p))
		}
	}
}

// envFrom resolves a container env var (plain value or from a Secret).
func envFrom(ctx context.Context, cs kubernetes.Interface, ns string, c map[string]interface{}, name string) (string, error) {
	envs, _, _ := unstructured.NestedSlice(c, "env")
	for _, e := range envs {
		m, _ := e.(map[string]interface{})
		if m["name"] != name {
			continue
		}
		if v, ok := m["value"].(string); ok {
			return v, nil
		}
		sn, _, _ := unstructured.NestedString(m, "valueFrom", "secretKeyRef", "name")
		key, _, _ := unstructured.NestedString(m, "valueFrom", "secretKeyRef", "key")
		if sn == "" {
			return "", fmt.Errorf("env %s: neither value nor secretKeyRef", name)
		}
		sec, err := cs.CoreV1().Secrets(ns).Get(ctx, sn, metav1.GetOptions{})
		if err != nil {
			return "", err
		}
		return string(sec.Data[key]), nil
	}
	return "", fmt.Errorf("env %s not set on container %v", name, c["name"])
}

// s3RoundTrip port-forwards to the first MinIO pod and proves a write and a
// read through the S3 API.
func s3RoundTrip(ctx context.Context, t *testing.T, cfg *rest.Config, cs kubernetes.Interface, st *unstructured.Unstructured) {
	t.Helper()
	ns := st.GetNamespace()
	containers, _, _ := unstructured.NestedSlice(st.Object, "spec", "template", "spec", "containers")
	var minioC map[string]interface{}
	for _, c := range containers {
		if m, ok := c.(map[string]interface{}); ok {
			if img, _ := m["image"].(string); strings.Contains(img, "minio") {
				minioC = m
			}
		}
	}
	if minioC == nil {
		t.Fatalf("StatefulSet %s has no MinIO container", st.GetName())
	}
	user, err := envFrom(ctx, cs, ns, minioC, "MINIO_ROOT_USER")
	if err != nil {
		t.Fatal(err)
	}
	pass, err := envFrom(ctx, cs, ns, minioC, "MINIO_ROOT_PASSWORD")
	if err != nil {
		t.Fatal(err)
	}
	pod := st.GetName() + "-0"
	port, stop := portForward(t, cfg, ns, pod, 9000)
	defer stop()
	endpoint := "127.0.0.1:" + strconv.Itoa(port)
	t.Logf("port-forward 127.0.0.1:%d -> %s/%s:9000", port, ns, pod)

	// The cluster-level health endpoint: 200 once write quorum is there.
	hc := &http.Client{Timeout: 30 * time.Second}
	if err := retry(ctx, 2*time.Minute, func() error {
		resp, err := hc.Get("http://" + endpoint + "/minio/health/cluster")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("/minio/health/cluster: %s", resp.Status)
		}
		return nil
	}); err != nil {
		t.Fatalf("MinIO cluster health: %v", err)
	}
	t.Logf("/minio/health/cluster: 200 OK")

	mc, err := minio.New(endpoint, &minio.Options{Creds: credentials.NewStaticV4(user, pass, ""), Secure: false})
	if err != nil {
		t.Fatal(err)
	}
	mc.SetAppInfo("labcheck-e2e", "1")
	bucket := "labcheck-e2e"
	object := "smoke/" + randomSuffix() + ".bin"
	payload := make([]byte, 1<<20)
	_, _ = rand.Read(payload)
	want := sha256.Sum256(payload)

	if err := retry(ctx, 2*time.Minute, func() error {
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		ok, err := mc.BucketExists(c, bucket)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		return mc.MakeBucket(c, bucket, minio.MakeBucketOptions{})
	}); err != nil {
		t.Fatalf("make bucket: %v", err)
	}
	c, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	info, err := mc.PutObject(c, bucket, object, bytes.NewReader(payload), int64(len(payload)), minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		t.Fatalf("put object: %v", err)
	}
	t.Logf("wrote s3://%s/%s (%d bytes, etag %s, sha256 %x)", bucket, object, info.Size, info.ETag, want)
	obj, err := mc.GetObject(c, bucket, object, minio.GetObjectOptions{})
	if err != nil {
		t.Fatalf("get object: %v", err)
	}
	got, err := io.ReadAll(obj)
	obj.Close()
	if err != nil {
		t.Fatalf("read object: %v", err)
	}
	if sum := sha256.Sum256(got); sum != want {
		t.Fatalf("read back %d bytes with sha256 %x, want %d bytes with %x", len(got), sum, len(payload), want)
	}
	t.Logf("read s3://%s/%s back: %d bytes, sha256 matches", bucket, object, len(got))
}

func retry(ctx context.Context, within time.Duration, f func() error) error {
	deadline := time.Now().Add(within)
	var err error
	for {
		if err = f(); err == nil {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		time.Sleep(3 * time.Second)
	}
}

// portForward forwards a random local port to pod:port and returns it.
func portForward(t *testing.T, cfg *rest.Config, ns, pod string, port int) (int, func()) {
	t.Helper()
	transport, upgrader, err := spdy.RoundTripperFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cs := kubernetes.NewForConfigOrDie(cfg)
	req := cs.CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name(pod).SubResource("portforward")
	dialer := spdy.NewDialer(upgrader, &http.Client{Transport: transport}, http.MethodPost, req.URL())
	stopCh := make(chan struct{})
	readyCh := make(chan struct{})
	fw, err := portforward.NewOnAddresses(dialer, []string{"127.0.0.1"}, []string{"0:" + strconv.Itoa(port)}, stopCh, readyCh, io.Discard, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	errCh := make(chan error, 1)
	go func() { errCh <- fw.ForwardPorts() }()
	select {
	case <-readyCh:
	case err := <-errCh:
		t.Fatalf("port-forward to %s/%s: %v", ns, pod, err)
	case <-time.After(30 * time.Second):
		close(stopCh)
		t.Fatalf("port-forward to %s/%s: not ready after 30s", ns, pod)
	}
	ports, err := fw.GetPorts()
	if err != nil || len(ports) == 0 {
		t.Fatalf("port-forward ports: %v", err)
	}
	var once sync.Once
	return int(ports[0].Local), func() { once.Do(func() { close(stopCh) }) }
}

// loadImage loads the MinIO image into every node of the cluster (what
// `kind load docker-image` does), from the tarball env.sh wrote or else from
// `docker save`.
func loadImage(t *testing.T, provider *cluster.Provider, name string, s settings) {
	t.Helper()
	nodes, err := provider.ListInternalNodes(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		var r io.ReadCloser
		if s.minioTar != "" {
			f, err := os.Open(s.minioTar)
			if err != nil {
				t.Fatal(err)
			}
			r = f
		} else {
			cmd := exec.Command("docker", "save", s.minioImage)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Wait() //nolint:errcheck
			r = out
		}
		err := nodeutils.LoadImageArchive(n, r)
		r.Close()
		if err != nil {
			t.Fatalf("loading %s into node %s: %v", s.minioImage, n.String(), err)
		}
		t.Logf("loaded %s into node %s", s.minioImage, n.String())
	}
}

// assertNoContainers fails the test if any container of the cluster is left.
func assertNoContainers(t *testing.T, name string) {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-aq", "--filter", "label=io.x-k8s.kind.cluster="+name).Output()
	if err != nil {
		t.Errorf("docker ps: %v", err)
		return
	}
	if left := strings.Fields(string(out)); len(left) > 0 {
		t.Errorf("cluster %s left %d containers behind: %v", name, len(left), left)
		return
	}
	t.Logf("no containers left for cluster %s", name)
}
