package deploy

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/labcheck/labcheck/internal/parse/manifest"
)

// parse reads a YAML submission into objects, as labcheck-verify does.
func parse(t *testing.T, file, src string) []*Object {
	t.Helper()
	ms, probs := manifest.Parse(file, []byte(src), manifest.DefaultLimits)
	if len(probs) > 0 {
		t.Fatalf("parse: %v", probs)
	}
	objs, err := FromManifests(ms)
	if err != nil {
		t.Fatal(err)
	}
	DefaultNamespaces(objs, "default")
	return objs
}

func kinds(objs []*Object) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.GetKind()+"/"+o.GetName())
	}
	return out
}

func TestOrdered(t *testing.T) {
	src := `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: minio}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pvc}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: sc}
---
apiVersion: v1
kind: Secret
metadata: {name: b}
---
apiVersion: v1
kind: Secret
metadata: {name: a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
---
apiVersion: v1
kind: LimitRange
metadata: {name: lr}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: rq}
---
apiVersion: v1
kind: Namespace
metadata: {name: ns}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crd}
`
	got := kinds(Ordered(parse(t, "m.yaml", src)))
	want := []string{"CustomResourceDefinition/crd", "Namespace/ns", "ResourceQuota/rq", "LimitRange/lr", "Secret/b", "Secret/a",
		"ConfigMap/cm", "StorageClass/sc", "PersistentVolumeClaim/pvc", "Service/svc", "StatefulSet/minio", "NetworkPolicy/np", "PodDisruptionBudget/pdb"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("apply order (-want +got):\n%s", diff)
	}
}

const insecure = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: minio
  namespace: minio
spec:
  template:
    spec:
      hostNetwork: true
      hostPID: true
      volumes:
        - name: host
          hostPath:
            path: /var/run/docker.sock
      initContainers:
        - name: init
          image: busybox
          securityContext:
            privileged: true
      containers:
        - name: minio
          image: minio
          ports:
            - containerPort: 9000
              hostPort: 9000
            - containerPort: 9001
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv
spec:
  hostPath:
    path: /data
`

func TestGate(t *testing.T) {
	notes := Gate(parse(t, "labs/kubernetes/bad.yaml", insecure))
	var got []string
	for _, n := range notes {
		got = append(got, strings.Join([]string{n.File, strconv.Itoa(n.Line), n.Message}, ":"))
	}
	want := []string{
		"labs/kubernetes/bad.yaml:9:StatefulSet minio/minio: refused to deploy: hostNetwork: true shares the node's namespace with the pod",
		"labs/kubernetes/bad.yaml:10:StatefulSet minio/minio: refused to deploy: hostPID: true shares the node's namespace with the pod",
		`labs/kubernetes/bad.yaml:13:StatefulSet minio/minio: refused to deploy: volume host mounts the node's "/var/run/docker.sock" (hostPath)`,
		"labs/kubernetes/bad.yaml:19:StatefulSet minio/minio: refused to deploy: container init is privileged",
		"labs/kubernetes/bad.yaml:25:StatefulSet minio/minio: refused to deploy: container minio binds the node's port 9000 (hostPort)",
		"labs/kubernetes/bad.yaml:33:PersistentVolume pv: refused to deploy: the volume is the node's file system (hostPath)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("gate (-want +got):\n%s", diff)
	}
}

func TestGateLetsTheFixturePass(t *testing.T) {
	objs := parse(t, "s.yaml", statefulSet)
	if notes := Gate(objs); len(notes) > 0 {
		t.Errorf("gate refused a clean StatefulSet: %v", notes)
	}
}

const statefulSet = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast-ssd
provisioner: ebs.csi.aws.com
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: minio
  namespace: minio
spec:
  replicas: 4
  template:
    spec:
      containers:
        - name: minio
          image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
          imagePullPolicy: Always
          env:
            - name: MINIO_ROOT_USER
              valueFrom:
                secretKeyRef: {name: minio-credentials, key: rootUser}
            - name: MINIO_ROOT_PASSWORD
              valueFrom:
                secretKeyRef: {name: minio-credentials, key: rootPassword}
            - name: OPTIONAL
              valueFrom:
                secretKeyRef: {name: maybe, key: x, optional: true}
        - name: sidecar
          image: busybox:1.36
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        storageClassName: fast-ssd
        resources: {requests: {storage: 1Gi}}
    - metadata: {name: logs}
      spec:
        storageClassName: gp2
        resources: {requests: {storage: 1Gi}}
`

func TestAdapt(t *testing.T) {
	a := &Adapter{
		Facts:  Facts{Classes: map[string]string{"standard": "rancher.io/local-path"}, DefaultClass: "standard"},
		Images: []ImageRule{{Local: "labcheck.local/minio:dev", Repository: "quay.io/minio/minio"}},
		Rand:   bytes.NewReader(bytes.Repeat([]byte{7}, 1024)),
	}
	objs, notes := a.Adapt(parse(t, "labs/kubernetes/s.yaml", statefulSet))
	if diff := cmp.Diff([]string{"Namespace/minio", "Secret/minio-credentials", "StatefulSet/minio"}, kinds(objs)); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
	var got []string
	for _, n := range notes {
		got = append(got, strconv.Itoa(n.Line)+": "+n.Message)
	}
	want := []string{
		`5: StorageClass fast-ssd: provisioner "ebs.csi.aws.com" is not in this cluster: claims of this class use the cluster's default class "standard" instead`,
		`39: StatefulSet minio/minio: volumeClaimTemplate logs: storage class "gp2" exists neither in the submission nor in the cluster: the cluster's default class "standard" is used instead`,
		`23: StatefulSet minio/minio: Secret minio/minio-credentials is referenced (container minio env MINIO_ROOT_USER) but not in the submission: labcheck generated it with random values for rootPassword, rootUser`,
		`18: StatefulSet minio/minio: container minio image quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z replaced by the side-loaded labcheck.local/minio:dev (--load-image)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	sts := objs[2].Object
	for i, want := range []string{"standard", "standard"} {
		vcts, _, _ := unstructured.NestedSlice(sts, "spec", "volumeClaimTemplates")
		got, _, _ := unstructured.NestedString(vcts[i].(map[string]any), "spec", "storageClassName")
		if got != want {
			t.Errorf("volumeClaimTemplate %d: storageClassName %q, want %q", i, got, want)
		}
	}
	cs, _, _ := unstructured.NestedSlice(sts, "spec", "template", "spec", "containers")
	c0 := cs[0].(map[string]any)
	if c0["image"] != "labcheck.local/minio:dev" || c0["imagePullPolicy"] != "IfNotPresent" {
		t.Errorf("container minio: image %v pull %v", c0["image"], c0["imagePullPolicy"])
	}
	if c1 := cs[1].(map[string]any); c1["image"] != "busybox:1.36" || c1["imagePullPolicy"] != nil {
		t.Errorf("sidecar changed: %v", c1)
	}
	data, _, _ := unstructured.NestedStringMap(objs[1].Object, "stringData")
	if len(data["rootUser"]) != 24 || len(data["rootPassword"]) != 24 {
		t.Errorf("generated secret data %v", data)
	}
	ns := objs[0].GetLabels()
	if ns["pod-security.kubernetes.io/enforce"] != "baseline" {
		t.Errorf("namespace labels %v", ns)
	}
}

func TestAdaptKeepsWhatTheClusterServes(t *testing.T) {
	src := strings.Replace(statefulSet, "ebs.csi.aws.com", "rancher.io/local-path", 1)
	src = strings.Replace(src, "storageClassName: gp2", "storageClassName: standard", 1)
	a := &Adapter{Facts: Facts{Classes: map[string]string{"standard": "rancher.io/local-path"}, DefaultClass: "standard"}}
	objs, notes := a.Adapt(parse(t, "s.yaml", src))
	for _, n := range notes {
		if strings.Contains(n.Message, "storage class") || strings.Contains(n.Message, "StorageClass") {
			t.Errorf("unexpected storage note: %s", n.Message)
		}
	}
	if !slices.Contains(kinds(objs), "StorageClass/fast-ssd") {
		t.Errorf("a class the cluster can provision was dropped: %v", kinds(objs))
	}
}

func TestNamespaceLabels(t *testing.T) {
	src := `apiVersion: v1
kind: Namespace
metadata:
  name: open
  labels:
    pod-security.kubernetes.io/enforce: privileged
---
apiVersion: v1
kind: Namespace
metadata:
  name: strict
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
`
	a := &Adapter{}
	objs, notes := a.Adapt(parse(t, "ns.yaml", src))
	levels := map[string]string{}
	for _, o := range objs {
		if o.GetKind() == "Namespace" {
			levels[o.GetName()] = o.GetLabels()["pod-security.kubernetes.io/enforce"]
		}
	}
	if diff := cmp.Diff(map[string]string{"default": "baseline", "open": "baseline", "strict": "restricted"}, levels); diff != "" {
		t.Errorf("levels (-want +got):\n%s", diff)
	}
	if len(notes) != 1 || notes[0].Line != 6 || !strings.Contains(notes[0].Message, "lowered to baseline") {
		t.Errorf("notes %v", notes)
	}
}

func TestParseImageRule(t *testing.T) {
	r, err := ParseImageRule("labcheck.local/minio:v1=quay.io/minio/minio")
	if err != nil || r.Local != "labcheck.local/minio:v1" || r.Repository != "quay.io/minio/minio" {
		t.Errorf("got %+v, %v", r, err)
	}
	if _, err := ParseImageRule("Not An Image"); err == nil {
		t.Error("a bad reference was accepted")
	}
	a := &Adapter{Images: []ImageRule{{Local: "minio/minio:dev"}}}
	if got, ok := a.localImage("docker.io/minio/minio:dev"); !ok || got != "minio/minio:dev" {
		t.Errorf("an exact image (normalized) was not recognised: %q %v", got, ok)
	}
	if _, ok := a.localImage("minio/minio:other"); ok {
		t.Error("a load-only rule matched another tag")
	}
}

func TestAt(t *testing.T) {
	objs := parse(t, "s.yaml", statefulSet)
	sts := objs[1]
	for path, want := range map[string]int{
		"spec.replicas":                                          13,
		"spec.template.spec.containers[0].image":                 18,
		"spec.template.spec.containers[0].securityContext.runAs": 17, // absent: the closest parent present
		"nothing.here":                                           7,
	} {
		if got := sts.At(path); got != want {
			t.Errorf("At(%s) = %d, want %d", path, got, want)
		}
	}
}

// TestSecretRefs: every non-optional Secret a pod spec uses, through env,
// envFrom and volumes (with the keys a volume picks).
func TestSecretRefs(t *testing.T) {
	objs := parse(t, "labs/kubernetes/d.yaml", `apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: ns}
spec:
  template:
    spec:
      containers:
        - name: app
          image: app:1
          env:
            - name: A
              valueFrom: {secretKeyRef: {name: env-secret, key: a}}
            - name: B
              valueFrom: {secretKeyRef: {name: optional-env, key: b, optional: true}}
            - name: C
              value: plain
          envFrom:
            - secretRef: {name: from-secret}
            - configMapRef: {name: not-a-secret}
            - secretRef: {name: optional-from, optional: true}
      volumes:
        - name: certs
          secret:
            secretName: vol-secret
            items: [{key: tls.crt, path: tls.crt}, {key: tls.key, path: tls.key}]
        - name: maybe
          secret: {secretName: optional-vol, optional: true}
        - name: scratch
          emptyDir: {}
`)
	refs := secretRefs(objs[0])
	got := map[string]string{}
	for name, rs := range refs {
		for _, r := range rs {
			got[name] += fmt.Sprintf("%s (%s) %v; ", r.path, r.what, r.keys)
		}
	}
	want := map[string]string{
		"env-secret":  "spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef (container app env A) [a]; ",
		"from-secret": "spec.template.spec.containers[0].envFrom[0].secretRef (container app envFrom) []; ",
		"vol-secret":  "spec.template.spec.volumes[0].secret (volume certs) [tls.crt tls.key]; ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("secret references (-want +got):\n%s", diff)
	}
}
