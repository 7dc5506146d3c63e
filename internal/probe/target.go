package probe

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
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
	Drives                 int // drives per pod in MinIO's server list (1 unless its path has an ellipsis)
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
	t := Target{Namespace: ns, StatefulSet: name, Replicas: 1, Drives: drivesPerPod(c), Port: apiPort(c), User: "minioadmin", Password: "minioadmin"}
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
		return "", false, fmt.Errorf("read Secret %s/%s: %w", s.ns, name, err)
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

// pathEllipsis matches {a...b} in the path of a server-list endpoint.
var pathEllipsis = regexp.MustCompile(`\{(\d+)\.\.\.(\d+)\}`)

// drivesPerPod counts the drives each pod serves: the path part of the
// server list's endpoint ("http://minio-{0...3}.minio-hl/data{1...2}": 2).
func drivesPerPod(c *corev1.Container) int {
	for _, a := range append(append([]string{}, c.Command...), c.Args...) {
		_, rest, ok := strings.Cut(a, "://")
		if !ok {
			continue
		}
		_, path, ok := strings.Cut(rest, "/")
		if !ok {
			continue
		}
		n := 1
		for _, m := range pathEllipsis.FindAllStringSubmatch(path, -1) {
			from, _ := strconv.Atoi(m[1])
			to, _ := strconv.Atoi(m[2])
			if to >= from {
				n *= to - from + 1
			}
		}
		return n
	}
	return 1
}

// Quorum is MinIO's arithmetic for one erasure set with its default
// parity: drives in the set, parity drives, and how many drives a write
// needs.
type Quorum struct{ Drives, Parity, Write int }

// ErasureQuorum is the default parity and write quorum of a set of n
// drives (MinIO: EC:1 up to 3 drives, EC:2 up to 5, EC:3 up to 7, EC:4
// from 8; a write needs the data drives, one more when data and parity
// are as many).
func ErasureQuorum(n int) Quorum {
	parity := 4
	switch {
	case n <= 1:
		parity = 0
	case n <= 3:
		parity = 1
	case n <= 5:
		parity = 2
	case n <= 7:
		parity = 3
	}
	write := n - parity
	if write == parity {
		write++
	}
	return Quorum{Drives: n, Parity: parity, Write: write}
}

// CanLoseMember reports whether the StatefulSet keeps write quorum with
// one pod (and its drives) gone, and if not, says why in the student's
// terms.
func (t Target) CanLoseMember() (bool, string) {
	drives := max(t.Replicas, 1) * max(t.Drives, 1)
	if drives > 16 {
		return true, "" // several erasure sets: not judged here
	}
	q := ErasureQuorum(drives)
	if drives-max(t.Drives, 1) >= q.Write {
		return true, ""
	}
	return false, fmt.Sprintf("%d replicas with %d drive(s) each make %d drives, which MinIO codes with parity EC:%d; a write needs %d of them, so with one member down (%d left) MinIO refuses writes. "+
		"Run 4 replicas or more (4 drives: EC:2, writes need 3, so one member can go)", t.Replicas, max(t.Drives, 1), drives, q.Parity, q.Write, drives-max(t.Drives, 1))
}
