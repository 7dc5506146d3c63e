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
