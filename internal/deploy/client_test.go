package deploy

import (
	"context"
	"slices"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// TestClear: a judged lab's namespace loses its controllers first, then
// its pods without grace, then its claims; nothing is asked of other namespaces. (The fake
// clientset records collection deletes but does not carry them out, so the
// requests are what is checked.)
func TestClear(t *testing.T) {
	meta := func(ns, name string) metav1.ObjectMeta { return metav1.ObjectMeta{Namespace: ns, Name: name} }
	kube := fake.NewClientset(
		&appsv1.StatefulSet{ObjectMeta: meta("minio", "minio")},
		&appsv1.Deployment{ObjectMeta: meta("minio", "console")},
		&corev1.Pod{ObjectMeta: meta("minio", "minio-0")},
		&corev1.Pod{ObjectMeta: meta("minio", "console-abc")},
		&appsv1.StatefulSet{ObjectMeta: meta("other", "keep")},
		&corev1.Pod{ObjectMeta: meta("other", "keep-0")},
	)
	var order []string
	var podGrace *int64
	kube.PrependReactor("delete-collection", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if a.GetNamespace() != "minio" {
			t.Errorf("%s deleted in namespace %s", a.GetResource().Resource, a.GetNamespace())
		}
		order = append(order, a.GetResource().Resource)
		if a.GetResource().Resource == "pods" {
			podGrace = a.(k8stesting.DeleteCollectionActionImpl).DeleteOptions.GracePeriodSeconds
		}
		return false, nil, nil
	})
	c := &Clients{Kube: kube}
	if err := c.Clear(context.Background(), "minio", time.Second); err != nil {
		t.Fatal(err)
	}
	if i := slices.Index(order, "pods"); i < 0 || i != len(order)-2 || order[len(order)-1] != "persistentvolumeclaims" {
		t.Errorf("deleted %v: the pods must go after what would recreate them, and the claims after the pods that hold them", order)
	}
	for _, want := range []string{"statefulsets", "deployments", "replicasets", "daemonsets", "jobs", "cronjobs"} {
		if !slices.Contains(order, want) {
			t.Errorf("deleted %v: no %s, which would recreate pods", order, want)
		}
	}
	if podGrace == nil || *podGrace != 0 {
		t.Errorf("pods deleted with grace %v, want 0", podGrace)
	}
}

// TestNodesReady: the control plane's own taint does not hold the wait
// up; a worker whose network is still coming up (NotReady, tainted
// not-ready) does until it can take pods, and one that never comes back is
// named when the time runs out. Nodes held back for good (cordoned, under
// disk pressure) are not waited for.
func TestNodesReady(t *testing.T) {
	node := func(name string, ready corev1.ConditionStatus, taints ...corev1.Taint) *corev1.Node {
		return &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec:       corev1.NodeSpec{Taints: taints},
			Status:     corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: ready}}},
		}
	}
	controlPlane := corev1.Taint{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule}
	notReady := corev1.Taint{Key: "node.kubernetes.io/not-ready", Effect: corev1.TaintEffectNoSchedule}
	ctx := context.Background()

	kube := fake.NewClientset(
		node("cp", corev1.ConditionTrue, controlPlane),
		node("worker", corev1.ConditionTrue),
		node("worker2", corev1.ConditionFalse, notReady),
	)
	go func() {
		time.Sleep(1500 * time.Millisecond)
		// Ready first, the taint lifted a moment later, as the node
		// lifecycle controller does: only then may pods go there.
		_, _ = kube.CoreV1().Nodes().Update(ctx, node("worker2", corev1.ConditionTrue, notReady), metav1.UpdateOptions{})
		time.Sleep(1500 * time.Millisecond)
		_, _ = kube.CoreV1().Nodes().Update(ctx, node("worker2", corev1.ConditionTrue), metav1.UpdateOptions{})
	}()
	start := time.Now()
	waiting, err := (&Clients{Kube: kube}).NodesReady(ctx, time.Minute)
	if err != nil || waiting != nil {
		t.Fatalf("NodesReady = %v, %v; want every node able to take pods", waiting, err)
	}
	if took := time.Since(start); took < 3*time.Second {
		t.Errorf("returned after %s, before worker2 lost its not-ready taint (3s)", took)
	}

	kube = fake.NewClientset(
		node("cp", corev1.ConditionTrue, controlPlane),
		node("worker", corev1.ConditionTrue),
		node("worker3", corev1.ConditionUnknown, corev1.Taint{Key: "node.kubernetes.io/unreachable", Effect: corev1.TaintEffectNoExecute}),
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "worker4"}, Spec: corev1.NodeSpec{Unschedulable: true},
			Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}},
		node("worker5", corev1.ConditionTrue, corev1.Taint{Key: "node.kubernetes.io/disk-pressure", Effect: corev1.TaintEffectNoSchedule}),
		node("worker6", corev1.ConditionFalse),
	)
	waiting, err = (&Clients{Kube: kube}).NodesReady(ctx, 1500*time.Millisecond)
	if err != nil || !slices.Equal(waiting, []string{"worker3", "worker6"}) {
		t.Errorf("NodesReady = %v, %v; want [worker3 worker6] (unreachable, not Ready) when the time runs out, and neither the cordoned worker4 nor worker5 under disk pressure", waiting, err)
	}
}
