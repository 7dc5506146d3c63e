package probe

import (
	"context"
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
