package probe

import (
	"context"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func sts(c corev1.Container) *appsv1.StatefulSet {
	four := int32(4)
	return &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "minio", Namespace: "minio"},
		Spec: appsv1.StatefulSetSpec{Replicas: &four, Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "sidecar", Image: "busybox"}, c}}}}}
}

func TestResolve(t *testing.T) {
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "creds", Namespace: "minio"},
		Data: map[string][]byte{"rootUser": []byte("admin"), "rootPassword": []byte("s3cr3t-pass"), "MINIO_ROOT_USER": []byte("env-admin"), "MINIO_ROOT_PASSWORD": []byte("env-pass-123")}}
	for name, tc := range map[string]struct {
		c              corev1.Container
		user, password string
		port           int
	}{
		"secretKeyRef": {corev1.Container{Name: "minio", Args: []string{"server", "/data"},
			Ports: []corev1.ContainerPort{{Name: "console", ContainerPort: 9001}, {Name: "api", ContainerPort: 9000}},
			Env: []corev1.EnvVar{
				{Name: "MINIO_ROOT_USER", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "creds"}, Key: "rootUser"}}},
				{Name: "MINIO_ROOT_PASSWORD", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "creds"}, Key: "rootPassword"}}},
			}}, "admin", "s3cr3t-pass", 9000},
		"envFrom": {corev1.Container{Name: "minio", Command: []string{"minio", "server"}, Ports: []corev1.ContainerPort{{ContainerPort: 9100}},
			EnvFrom: []corev1.EnvFromSource{{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "creds"}}}}},
			"env-admin", "env-pass-123", 9100},
		"literal legacy": {corev1.Container{Name: "minio", Args: []string{"server"},
			Env: []corev1.EnvVar{{Name: "MINIO_ACCESS_KEY", Value: "ak"}, {Name: "MINIO_SECRET_KEY", Value: "sk-12345"}}}, "ak", "sk-12345", 9000},
		"defaults": {corev1.Container{Name: "minio", Args: []string{"server"}}, "minioadmin", "minioadmin", 9000},
	} {
		kube := fake.NewClientset(sts(tc.c), secret)
		got, err := Resolve(context.Background(), kube, "minio", "minio")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got.User != tc.user || got.Password != tc.password || got.Port != tc.port || got.Replicas != 4 {
			t.Errorf("%s: got %+v", name, got)
		}
	}
}

// TestCanLoseMember: MinIO's default parity decides whether one member
// can go; two replicas of one drive cannot (both are needed for writes).
func TestCanLoseMember(t *testing.T) {
	for _, tc := range []struct {
		replicas, drives int
		ok               bool
		why              string
	}{
		{2, 1, false, "2 replicas with 1 drive(s) each make 2 drives, which MinIO codes with parity EC:1; a write needs 2 of them"},
		{4, 1, true, ""},
		{3, 1, true, ""}, // EC:1, writes need 2 of 3
		{1, 4, false, "a write needs 3 of them, so with one member down (0 left)"},
		{2, 2, false, "with one member down (2 left)"}, // 4 drives, EC:2: writes need 3
	} {
		ok, why := Target{Replicas: tc.replicas, Drives: tc.drives}.CanLoseMember()
		if ok != tc.ok || !strings.Contains(why, tc.why) {
			t.Errorf("%d replicas x %d drives: %v %q", tc.replicas, tc.drives, ok, why)
		}
	}
	if q := ErasureQuorum(4); q != (Quorum{4, 2, 3}) {
		t.Errorf("4 drives: %+v", q)
	}
	if q := ErasureQuorum(16); q != (Quorum{16, 4, 12}) {
		t.Errorf("16 drives: %+v", q)
	}
	c := corev1.Container{Args: []string{"server", "http://minio-{0...3}.minio-hl.minio.svc.cluster.local/data{1...2}"}}
	if n := drivesPerPod(&c); n != 2 {
		t.Errorf("drivesPerPod = %d, want 2", n)
	}
	if n := drivesPerPod(&corev1.Container{Args: []string{"server", "/data"}}); n != 1 {
		t.Errorf("standalone drivesPerPod = %d, want 1", n)
	}
}

// TestRecoverNeedsADeletion: DYN-015's precondition is a deleted member;
// without one it is not awarded (it used to pass by reading the objects
// back).
func TestRecoverNeedsADeletion(t *testing.T) {
	p := &Prober{t: Target{Namespace: "minio", StatefulSet: "minio", Replicas: 2}}
	out, err := p.Recover(context.Background(), func(context.Context) (bool, error) { return true, nil })
	if err != nil || !out.Failed || !strings.HasPrefix(out.Message, "not awarded: no member was deleted") {
		t.Errorf("got %+v, %v", out, err)
	}
}

// TestStoppableSparesTheControlPlane: the node-loss proof may stop a node
// hosting exactly one member, never the port-forwarded pod's and never a
// control plane (its API server carries the port-forward and every later
// step); a control plane that runs a member sorts first in kind's names.
func TestStoppableSparesTheControlPlane(t *testing.T) {
	node := func(name string, labels map[string]string) *corev1.Node {
		return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
	}
	kube := fake.NewClientset(
		node("lab-control-plane", map[string]string{controlPlaneLabel: ""}),
		node("lab-worker", nil), node("lab-worker2", nil), node("lab-worker3", nil),
	)
	planes, err := controlPlanes(context.Background(), kube)
	if err != nil {
		t.Fatal(err)
	}
	if len(planes) != 1 || !planes["lab-control-plane"] {
		t.Fatalf("control planes: %v", planes)
	}
	for _, tc := range []struct {
		name    string
		perNode map[string][]string
		want    string
	}{
		{"workers, not the control plane that sorts first", map[string][]string{
			"lab-control-plane": {"minio-3"}, "lab-worker": {"minio-0"}, "lab-worker2": {"minio-1"}, "lab-worker3": {"minio-2"},
		}, "lab-worker2 lab-worker3"},
		{"only the control plane hosts one member alone", map[string][]string{
			"lab-control-plane": {"minio-3"}, "lab-worker": {"minio-0"}, "lab-worker2": {"minio-1", "minio-2"},
		}, ""},
		{"workers only", map[string][]string{
			"lab-worker": {"minio-1"}, "lab-worker2": {"minio-0"}, "lab-worker3": {"minio-2"},
		}, "lab-worker lab-worker3"},
	} {
		if got := strings.Join(stoppable(tc.perNode, "minio-0", planes), " "); got != tc.want {
			t.Errorf("%s: may stop %q, want %q", tc.name, got, tc.want)
		}
	}
}
