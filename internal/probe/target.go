package probe

import (
	"context"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Target is a MinIO StatefulSet to probe and how to reach its S3 API.
type Target struct {
	Namespace, StatefulSet string
	Replicas               int
	Port                   int // the container's S3 API port
	User, Password         string
}

// Resolve reads from the cluster what the probe needs of a StatefulSet:
// its replicas, the MinIO container's API port and the root credentials
// it was given (literal, or from a Secret). MinIO's defaults stand in for
// what is not set.
func Resolve(ctx context.Context, kube kubernetes.Interface, ns, name string) (Target, error) {
	st, err := kube.AppsV1().StatefulSets(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return Target{}, fmt.Errorf("StatefulSet %s/%s: %w", ns, name, err)
	}
	c := minioContainer(st)
	if c == nil {
		return Target{}, fmt.Errorf("StatefulSet %s/%s has no containers", ns, name)
	}
	t := Target{Namespace: ns, StatefulSet: name, Replicas: 1, Port: apiPort(c), User: "minioadmin", Password: "minioadmin"}
	if st.Spec.Replicas != nil {
		t.Replicas = int(*st.Spec.Replicas)
	}
	secrets := secretReader{ctx: ctx, kube: kube, ns: ns}
	for _, pair := range [][2]string{{"MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"}, {"MINIO_ACCESS_KEY", "MINIO_SECRET_KEY"}} {
		u, uok, err := envValue(c, pair[0], secrets)
		if err != nil {
			return t, err
		}
		p, pok, err := envValue(c, pair[1], secrets)
		if err != nil {
			return t, err
		}
		if uok && pok {
			t.User, t.Password = u, p
			break
		}
	}
	return t, nil
}

// minioContainer is the container running MinIO: the one whose command or
// args say "server", else the first.
func minioContainer(st *appsv1.StatefulSet) *corev1.Container {
	cs := st.Spec.Template.Spec.Containers
	for i := range cs {
		for _, a := range append(append([]string{}, cs[i].Command...), cs[i].Args...) {
			if a == "server" {
				return &cs[i]
			}
		}
	}
	if len(cs) > 0 {
		return &cs[0]
	}
	return nil
}

// apiPort is the port named api/http/s3, else 9000 if declared, else the
// first declared, else MinIO's default 9000.
func apiPort(c *corev1.Container) int {
	for _, name := range []string{"api", "http", "s3", "http-api", "minio"} {
		for _, p := range c.Ports {
			if p.Name == name {
				return int(p.ContainerPort)
			}
		}
	}
	for _, p := range c.Ports {
		if p.ContainerPort == 9000 {
			return 9000
		}
	}
	if len(c.Ports) > 0 {
		return int(c.Ports[0].ContainerPort)
	}
	return 9000
}

type secretReader struct {
	ctx  context.Context
	kube kubernetes.Interface
	ns   string
}

func (s secretReader) get(name, key string) (string, bool, error) {
	sec, err := s.kube.CoreV1().Secrets(s.ns).Get(s.ctx, name, metav1.GetOptions{})
	if err != nil {
		return "", false, fmt.Errorf("Secret %s/%s: %w", s.ns, name, err)
	}
	v, ok := sec.Data[key]
	return string(v), ok, nil
}

// envValue resolves a container's environment variable: a literal value,
// a secretKeyRef, or a key of an envFrom Secret.
func envValue(c *corev1.Container, name string, secrets secretReader) (string, bool, error) {
	for _, e := range c.Env {
		if e.Name != name {
			continue
		}
		if e.ValueFrom == nil {
			return e.Value, true, nil
		}
		if ref := e.ValueFrom.SecretKeyRef; ref != nil {
			return secrets.get(ref.Name, ref.Key)
		}
		return "", false, nil
	}
	for _, ef := range c.EnvFrom {
		if ef.SecretRef == nil {
			continue
		}
		key, hasPrefix := strings.CutPrefix(name, ef.Prefix)
		if !hasPrefix {
			continue
		}
		v, ok, err := secrets.get(ef.SecretRef.Name, key)
		if err != nil || ok {
			return v, ok, err
		}
	}
	return "", false, nil
}
