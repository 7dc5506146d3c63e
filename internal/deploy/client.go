package deploy

import (
	"context"
	"fmt"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
)

// FieldManager is the server-side apply manager of everything labcheck
// applies.
const FieldManager = "labcheck"

// Clients talk to the dynamic phase's cluster.
type Clients struct {
	Config  *rest.Config
	Kube    kubernetes.Interface
	Dynamic dynamic.Interface
	mapper  *restmapper.DeferredDiscoveryRESTMapper
}

// Connect reads a kubeconfig file (its current context) and makes the
// clients. Nothing from the environment (KUBECONFIG, in-cluster config) is
// consulted: the cluster is the one the file names.
func Connect(kubeconfig string) (*Clients, error) {
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{}).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", kubeconfig, err)
	}
	cfg.QPS, cfg.Burst = 50, 100
	cfg.Timeout = 60 * time.Second
	cfg.UserAgent = "labcheck-verify"
	return NewClients(cfg)
}

// NewClients makes the clients for a REST config.
func NewClients(cfg *rest.Config) (*Clients, error) {
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("dynamic client: %w", err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("discovery client: %w", err)
	}
	return &Clients{Config: cfg, Kube: kube, Dynamic: dyn, mapper: restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))}, nil
}

// ServerVersion is the API server's git version, e.g. v1.34.4.
func (c *Clients) ServerVersion() (string, error) {
	v, err := c.Kube.Discovery().ServerVersion()
	if err != nil {
		return "", fmt.Errorf("server version: %w", err)
	}
	return v.GitVersion, nil
}

// Facts reads the storage classes adaptation needs.
func (c *Clients) Facts(ctx context.Context) (Facts, error) {
	list, err := c.Kube.StorageV1().StorageClasses().List(ctx, metav1.ListOptions{})
	if err != nil {
		return Facts{}, fmt.Errorf("list storage classes: %w", err)
	}
	f := Facts{Classes: map[string]string{}}
	for _, sc := range list.Items {
		f.Classes[sc.Name] = sc.Provisioner
		if isDefaultClass(&sc) {
			f.DefaultClass = sc.Name
		}
	}
	return f, nil
}

func isDefaultClass(sc *storagev1.StorageClass) bool {
	return sc.Annotations["storageclass.kubernetes.io/is-default-class"] == "true" ||
		sc.Annotations["storageclass.beta.kubernetes.io/is-default-class"] == "true"
}

// Clear empties a judged lab's namespace of what its deletion would wait
// for: workloads, then pods without their grace period, then
// PersistentVolumeClaims, and waits (up to within) until no claim is left.
// A namespace deleted with pods still in it waits out their grace period
// (MinIO's is 30 s by default), and one that still holds a claim kept by
// its protection finalizer is looked at again only 15 s later. With the
// controllers gone first, nothing recreates the pods killed after them.
// Kinds the cluster does not serve are passed over.
func (c *Clients) Clear(ctx context.Context, ns string, within time.Duration) error {
	background := metav1.DeletePropagationBackground
	all, now := metav1.ListOptions{}, int64(0)
	bg := metav1.DeleteOptions{PropagationPolicy: &background}
	deletes := []struct {
		what string
		del  func() error
	}{
		{"cronjobs", func() error { return c.Kube.BatchV1().CronJobs(ns).DeleteCollection(ctx, bg, all) }},
		{"jobs", func() error { return c.Kube.BatchV1().Jobs(ns).DeleteCollection(ctx, bg, all) }},
		{"deployments", func() error { return c.Kube.AppsV1().Deployments(ns).DeleteCollection(ctx, bg, all) }},
		{"statefulsets", func() error { return c.Kube.AppsV1().StatefulSets(ns).DeleteCollection(ctx, bg, all) }},
		{"daemonsets", func() error { return c.Kube.AppsV1().DaemonSets(ns).DeleteCollection(ctx, bg, all) }},
		{"replicasets", func() error { return c.Kube.AppsV1().ReplicaSets(ns).DeleteCollection(ctx, bg, all) }},
		{"pods", func() error {
			return c.Kube.CoreV1().Pods(ns).DeleteCollection(ctx, metav1.DeleteOptions{GracePeriodSeconds: &now}, all)
		}},
		{"persistentvolumeclaims", func() error {
			return c.Kube.CoreV1().PersistentVolumeClaims(ns).DeleteCollection(ctx, metav1.DeleteOptions{}, all)
		}},
	}
	for _, d := range deletes {
		if err := d.del(); err != nil && !apierrors.IsNotFound(err) && !apierrors.IsMethodNotSupported(err) {
			return fmt.Errorf("delete the %s of namespace %s: %w", d.what, ns, err)
		}
	}
	deadline := time.Now().Add(within)
	for {
		// Best effort: a claim that lingers (or a list that fails) only
		// makes the namespace's own deletion, which follows, slower.
		claims, err := c.Kube.CoreV1().PersistentVolumeClaims(ns).List(ctx, all)
		if err != nil || len(claims.Items) == 0 || time.Now().After(deadline) {
			return context.Cause(ctx)
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// Room is what a cluster's schedulable nodes offer pods: each one's
// allocatable CPU and memory.
type Room struct{ Nodes []corev1.ResourceList }

// Room lists the nodes pods may be placed on (not cordoned, no NoSchedule
// or NoExecute taint) with what each offers.
func (c *Clients) Room(ctx context.Context) (Room, error) {
	nodes, err := c.Kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return Room{}, fmt.Errorf("list nodes: %w", err)
	}
	var room Room
	for _, n := range nodes.Items {
		if n.Spec.Unschedulable || slices.ContainsFunc(n.Spec.Taints, func(t corev1.Taint) bool {
			return t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute
		}) {
			continue
		}
		room.Nodes = append(room.Nodes, corev1.ResourceList{
			corev1.ResourceCPU:    n.Status.Allocatable[corev1.ResourceCPU],
			corev1.ResourceMemory: n.Status.Allocatable[corev1.ResourceMemory],
		})
	}
	return room, nil
}

// NodesReady waits, up to within, until no node is still coming up: each
// node's Ready condition is True and none carries a taint Kubernetes puts
// on a node that is not up yet (not-ready while its network comes up,
// unreachable while its kubelet is away, as after a restart). A workload
// applied before then is placed on the other nodes: a preferred
// anti-affinity packs two MinIO members onto one node, and no node can
// then be stopped without taking two of them. Nodes held back for good
// (cordoned, or under memory or disk pressure) are not waited for:
// waiting would not change them. It returns the nodes still coming up
// when the time ran out (nil: none).
func (c *Clients) NodesReady(ctx context.Context, within time.Duration) ([]string, error) {
	deadline := time.Now().Add(within)
	for {
		nodes, err := c.Kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, fmt.Errorf("list nodes: %w", err)
		}
		var waiting []string
		for _, n := range nodes.Items {
			if comingUp(&n) {
				waiting = append(waiting, n.Name)
			}
		}
		if len(waiting) == 0 || time.Now().After(deadline) {
			return waiting, nil
		}
		select {
		case <-ctx.Done():
			return waiting, context.Cause(ctx)
		case <-time.After(time.Second):
		}
	}
}

// comingUp reports whether a node is not up yet: not Ready, or still
// tainted by Kubernetes for it.
func comingUp(n *corev1.Node) bool {
	ready := false
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			ready = c.Status == corev1.ConditionTrue
		}
	}
	for _, t := range n.Spec.Taints {
		switch t.Key {
		case corev1.TaintNodeNotReady, corev1.TaintNodeUnreachable, corev1.TaintNodeNetworkUnavailable:
			return true
		}
	}
	return !ready
}
