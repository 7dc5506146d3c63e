package deploy

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/kubernetes/fake"
)

func TestRejection(t *testing.T) {
	o := parse(t, "labs/kubernetes/s.yaml", statefulSet)[1]
	err := apierrors.NewInvalid(schema.GroupKind{Group: "apps", Kind: "StatefulSet"}, "minio", field.ErrorList{
		field.Required(field.NewPath("spec", "template", "spec", "containers").Index(0).Child("image"), ""),
		field.Invalid(field.NewPath("spec", "replicas"), -1, "must be greater than or equal to 0"),
	})
	notes, ok := rejection(o, err)
	if !ok || len(notes) != 2 {
		t.Fatalf("rejection: %v %v", ok, notes)
	}
	if notes[0].Line != 18 || !strings.Contains(notes[0].Message, "spec.template.spec.containers[0].image: Required value") {
		t.Errorf("first note %+v", notes[0])
	}
	if notes[1].Line != 13 || !strings.Contains(notes[1].Message, "the API server rejected it") {
		t.Errorf("second note %+v", notes[1])
	}
	if _, ok := rejection(o, errors.New("connection refused")); ok {
		t.Error("a transport error was taken for the object's fault")
	}
	if _, ok := rejection(o, apierrors.NewServiceUnavailable("etcd")); ok {
		t.Error("a 503 was taken for the object's fault")
	}
	forbidden := apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "minio-0", errors.New("exceeded quota: minio-quota"))
	if n, ok := rejection(o, forbidden); !ok || n[0].Line != o.Line {
		t.Errorf("quota refusal: %v %v", ok, n)
	}
}

// TestDiagnoseOrderedReady is the broken variant of the issue: a
// StatefulSet behind a readiness probe with OrderedReady is stuck on its
// first pod, and the finding must say so with events and logs.
func TestDiagnoseOrderedReady(t *testing.T) {
	src := strings.Replace(statefulSet, "  replicas: 4\n", "  replicas: 4\n  podManagementPolicy: OrderedReady\n", 1)
	o := parse(t, "labs/kubernetes/s.yaml", src)[1]
	four := int32(4)
	kube := fake.NewClientset(
		&appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "minio", Namespace: "minio"}, Spec: appsv1.StatefulSetSpec{
			Replicas: &four, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "minio"}}}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "minio-0", Namespace: "minio", Labels: map[string]string{"app": "minio"}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning,
				Conditions:        []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse}},
				ContainerStatuses: []corev1.ContainerStatus{{Name: "minio", Ready: false, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}}},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e1", Namespace: "minio"}, Type: "Warning", Reason: "Unhealthy", Count: 31,
			Message: "Readiness probe failed: HTTP probe failed with statuscode: 503", InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "minio-0"}},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e2", Namespace: "minio"}, Type: "Normal", Reason: "SuccessfulCreate",
			Message: "create Pod minio-0 in StatefulSet minio successful", InvolvedObject: corev1.ObjectReference{Kind: "StatefulSet", Name: "minio"}},
		&corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e3", Namespace: "other"}, Type: "Warning", Reason: "Noise",
			Message: "not ours", InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "x"}},
	)
	c := &Clients{Kube: kube}
	n, err := c.Wait(context.Background(), o, 10*time.Millisecond, nil)
	if err != nil || n == nil {
		t.Fatalf("Wait: %v, %v", n, err)
	}
	if n.Line != 14 {
		t.Errorf("points at line %d, want 14 (podManagementPolicy)", n.Line)
	}
	for _, want := range []string{
		"StatefulSet minio/minio: 0 of 4 pods Ready",
		"pods Ready after",
		"pod minio-0: Running, not Ready",
		"pod minio-1: not created",
		"why: podManagementPolicy is OrderedReady: the StatefulSet creates minio-1 only once every earlier pod is Ready",
		"Warning Unhealthy pod/minio-0: Readiness probe failed: HTTP probe failed with statuscode: 503 (x31)",
		"Normal SuccessfulCreate statefulset/minio",
		"logs of minio-0/minio (last 1 lines):",
	} {
		if !strings.Contains(n.Message, want) {
			t.Errorf("diagnosis lacks %q:\n%s", want, n.Message)
		}
	}
	if strings.Contains(n.Message, "not ours") {
		t.Errorf("diagnosis quotes another namespace's events:\n%s", n.Message)
	}
}

func TestWaitReady(t *testing.T) {
	o := parse(t, "labs/kubernetes/s.yaml", statefulSet)[1]
	one := int32(1)
	kube := fake.NewClientset(
		&appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "minio", Namespace: "minio"}, Spec: appsv1.StatefulSetSpec{
			Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "minio"}}},
			Status: appsv1.StatefulSetStatus{ReadyReplicas: 1}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "minio-0", Namespace: "minio", Labels: map[string]string{"app": "minio"}},
			Status: corev1.PodStatus{Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}}},
	)
	c := &Clients{Kube: kube}
	n, err := c.Wait(context.Background(), o, time.Second, nil)
	if err != nil || n != nil {
		t.Errorf("Wait on a ready StatefulSet: %v, %v", n, err)
	}
}

func TestEllipsisHint(t *testing.T) {
	src := strings.Replace(statefulSet, "          imagePullPolicy: Always\n", "          args: [server, \"http://minio-{0...2}.minio-headless.minio.svc.cluster.local/data\"]\n", 1)
	o := parse(t, "s.yaml", src)[1]
	h := hint(o, Readiness{Want: 4})
	if !strings.Contains(h, "the server list {0...2} names 3 servers but the StatefulSet runs 4 pods") {
		t.Errorf("hint %q", h)
	}
	if h := hint(o, Readiness{Want: 3}); h != "" {
		t.Errorf("a matching list got a hint: %q", h)
	}
}

func TestMeaningful(t *testing.T) {
	log := "API: SYSTEM.peers\nError: Expected number of all hosts (3) to be remote +1 (3)\n       8: github.com/minio/minio/internal/logger/logger.go:271:logger.LogIf()\n\n       7: github.com/minio/minio/cmd/logging.go:59:cmd.peersLogIf()\n"
	got, omitted := meaningful(log, 12)
	if !omitted || len(got) != 2 || got[1] != "Error: Expected number of all hosts (3) to be remote +1 (3)" {
		t.Errorf("got %q, omitted %v", got, omitted)
	}
}
