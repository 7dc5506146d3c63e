package deploy

import (
	"crypto/rand"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/distribution/reference"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	k8skinds "github.com/labcheck/labcheck/internal/kinds"
)

// Facts are what the cluster offers that adaptation depends on.
type Facts struct {
	Classes      map[string]string // storage class name -> provisioner
	DefaultClass string            // "" when the cluster has none
}

func (f Facts) hasProvisioner(p string) bool {
	for _, have := range f.Classes {
		if have == p {
			return true
		}
	}
	return false
}

// ImageRule is one --load-image: Local was side-loaded into the cluster
// and, when Repository is set, stands in for every image of that repository
// the submission names (any tag or digest).
type ImageRule struct {
	Local      string
	Repository string
}

// ParseImageRule reads LOCAL or LOCAL=REPOSITORY.
func ParseImageRule(s string) (ImageRule, error) {
	local, repo, _ := strings.Cut(s, "=")
	r := ImageRule{Local: local, Repository: repo}
	if _, err := reference.ParseNormalizedNamed(local); err != nil {
		return r, fmt.Errorf("--load-image %s: %w", s, err)
	}
	if repo != "" {
		if _, err := reference.ParseNormalizedNamed(repo); err != nil {
			return r, fmt.Errorf("--load-image %s: %w", s, err)
		}
	}
	return r, nil
}

// Adapter makes a submission bootable on the throw-away cluster. Every
// change it makes is returned as a Note, so the report says what was run.
type Adapter struct {
	Facts  Facts
	Images []ImageRule
	Rand   io.Reader // random source for generated secrets; crypto/rand when nil
}

// Adapt returns the objects to apply (in the order given, plus generated
// Namespaces and Secrets) and what was changed.
func (a *Adapter) Adapt(objs []*Object) ([]*Object, []Note) {
	var notes []Note
	objs, n := a.mapStorageClasses(objs)
	notes = append(notes, n...)
	objs, n = a.generateSecrets(objs)
	notes = append(notes, n...)
	notes = append(notes, a.substituteImages(objs)...)
	objs, n = labelNamespaces(objs)
	notes = append(notes, n...)
	return objs, notes
}

// Namespaced reports whether a kind lives in a namespace.
func Namespaced(kind string) bool { return !k8skinds.ClusterScoped(kind) }

// DefaultNamespaces gives every namespaced object without one the
// namespace kubectl would use.
func DefaultNamespaces(objs []*Object, ns string) {
	for _, o := range objs {
		if Namespaced(o.GetKind()) && o.GetNamespace() == "" {
			o.SetNamespace(ns)
		}
	}
}

// Pod Security: labcheck's namespaces enforce at least baseline.
const (
	psaEnforce = "pod-security.kubernetes.io/enforce"
	psaLevel   = "baseline"
)

// labelNamespaces makes every namespace the objects use enforce Pod
// Security baseline, declaring the ones the submission only names.
func labelNamespaces(objs []*Object) ([]*Object, []Note) {
	declared := map[string]*Object{}
	for _, o := range objs {
		if o.GetKind() == "Namespace" {
			declared[o.GetName()] = o
		}
	}
	var notes []Note
	for _, o := range declared {
		labels := o.GetLabels()
		if labels == nil {
			labels = map[string]string{}
		}
		switch labels[psaEnforce] {
		case "baseline", "restricted":
			continue
		case "privileged":
			notes = append(notes, o.note(fmt.Sprintf("metadata.labels[%q]", psaEnforce), "Pod Security %s=privileged lowered to %s: labcheck runs untrusted code at baseline or stricter", psaEnforce, psaLevel))
		}
		labels[psaEnforce] = psaLevel
		o.SetLabels(labels)
	}
	used := map[string]bool{}
	for _, o := range objs {
		if ns := o.GetNamespace(); ns != "" && Namespaced(o.GetKind()) {
			used[ns] = true
		}
	}
	var extra []*Object
	for _, ns := range slices.Sorted(maps.Keys(used)) {
		if declared[ns] != nil {
			continue
		}
		u := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "v1", "kind": "Namespace",
			"metadata": map[string]any{"name": ns, "labels": map[string]any{psaEnforce: psaLevel}},
		}}
		extra = append(extra, &Object{Unstructured: u})
	}
	return append(extra, objs...), notes
}

// mapStorageClasses replaces storage classes whose provisioner the cluster
// lacks (and references to classes that exist nowhere) with the cluster's
// default class.
func (a *Adapter) mapStorageClasses(objs []*Object) ([]*Object, []Note) {
	var notes []Note
	mapped := map[string]string{}
	submitted := map[string]bool{}
	kept := objs[:0:0]
	for _, o := range objs {
		if o.GetKind() != "StorageClass" {
			kept = append(kept, o)
			continue
		}
		submitted[o.GetName()] = true
		p, _, _ := unstructured.NestedString(o.Object, "provisioner")
		switch {
		case a.Facts.hasProvisioner(p):
			kept = append(kept, o)
		case a.Facts.DefaultClass == "":
			kept = append(kept, o)
			notes = append(notes, o.note("provisioner", "provisioner %q is not in this cluster and the cluster has no default class: its claims cannot be bound", p))
		default:
			mapped[o.GetName()] = a.Facts.DefaultClass
			notes = append(notes, o.note("provisioner", "provisioner %q is not in this cluster: claims of this class use the cluster's default class %q instead", p, a.Facts.DefaultClass))
		}
	}
	// remap changes m's storageClassName (at path in o) when its class is
	// mapped, or exists nowhere.
	remap := func(o *Object, m map[string]any, path, where string) {
		cur, ok, _ := unstructured.NestedString(m, "spec", "storageClassName")
		if !ok || cur == "" {
			return
		}
		to, isMapped := mapped[cur]
		if !isMapped {
			if _, exists := a.Facts.Classes[cur]; exists || submitted[cur] || a.Facts.DefaultClass == "" {
				return
			}
			to = a.Facts.DefaultClass
			notes = append(notes, o.note(path, "%sstorage class %q exists neither in the submission nor in the cluster: the cluster's default class %q is used instead", where, cur, to))
		}
		_ = unstructured.SetNestedField(m, to, "spec", "storageClassName")
	}
	for _, o := range kept {
		switch o.GetKind() {
		case "PersistentVolumeClaim":
			remap(o, o.Object, "spec.storageClassName", "")
		case "StatefulSet":
			vcts, _, _ := unstructured.NestedSlice(o.Object, "spec", "volumeClaimTemplates")
			for i, v := range vcts {
				if vm, ok := v.(map[string]any); ok {
					name, _, _ := unstructured.NestedString(vm, "metadata", "name")
					remap(o, vm, fmt.Sprintf("spec.volumeClaimTemplates[%d].spec.storageClassName", i), "volumeClaimTemplate "+name+": ")
				}
			}
			if len(vcts) > 0 {
				_ = unstructured.SetNestedSlice(o.Object, vcts, "spec", "volumeClaimTemplates")
			}
		}
	}
	return kept, notes
}

// secretRef is a place a pod spec names a Secret.
type secretRef struct {
	obj  *Object
	path string
	what string
	keys []string
}

// generateSecrets adds, for every Secret a workload needs but the
// submission does not provide, one with random values for the keys named.
func (a *Adapter) generateSecrets(objs []*Object) ([]*Object, []Note) {
	have := map[string]bool{}
	for _, o := range objs {
		if o.GetKind() == "Secret" {
			have[o.GetNamespace()+"/"+o.GetName()] = true
		}
	}
	need := map[string][]secretRef{}
	var order []string
	for _, o := range objs {
		for name, refs := range secretRefs(o) {
			key := o.GetNamespace() + "/" + name
			if have[key] {
				continue
			}
			if _, seen := need[key]; !seen {
				order = append(order, key)
			}
			need[key] = append(need[key], refs...)
		}
	}
	var notes []Note
	var extra []*Object
	for _, key := range order {
		ns, name, _ := strings.Cut(key, "/")
		keys := map[string]bool{}
		for _, r := range need[key] {
			for _, k := range r.keys {
				keys[k] = true
			}
		}
		data := map[string]any{}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			data[k] = a.randomValue()
		}
		u := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
			"metadata":   map[string]any{"name": name, "namespace": ns, "labels": map[string]any{"app.kubernetes.io/managed-by": "labcheck"}},
			"stringData": data,
		}}
		extra = append(extra, &Object{Unstructured: u})
		first := need[key][0]
		keyList := "no keys"
		if len(keys) > 0 {
			keyList = "random values for " + strings.Join(slices.Sorted(maps.Keys(keys)), ", ")
		}
		notes = append(notes, first.obj.note(first.path, "Secret %s is referenced (%s) but not in the submission: labcheck generated it with %s", key, first.what, keyList))
	}
	// Secrets go before what uses them; apply order sorts them anyway.
	return append(extra, objs...), notes
}

// secretRefs lists the non-optional Secrets an object's pod spec uses.
func secretRefs(o *Object) map[string][]secretRef {
	out := map[string][]secretRef{}
	// add records the Secret a reference names in its nameField, unless
	// the reference is optional.
	add := func(ref map[string]any, nameField, path, what string, keys ...string) {
		name, _ := ref[nameField].(string)
		if optional, _ := ref["optional"].(bool); name == "" || optional {
			return
		}
		out[name] = append(out[name], secretRef{obj: o, path: path, what: what, keys: keys})
	}
	for _, c := range o.containers() {
		eachRef(c.m, "env", []string{"valueFrom", "secretKeyRef"}, func(i int, item, ref map[string]any) {
			key, _ := ref["key"].(string)
			add(ref, "name", fmt.Sprintf("%s.env[%d].valueFrom.secretKeyRef", c.path, i), fmt.Sprintf("container %v env %v", c.m["name"], item["name"]), key)
		})
		eachRef(c.m, "envFrom", []string{"secretRef"}, func(i int, _, ref map[string]any) {
			add(ref, "name", fmt.Sprintf("%s.envFrom[%d].secretRef", c.path, i), fmt.Sprintf("container %v envFrom", c.m["name"]))
		})
	}
	sp := podSpecPath(o.GetKind())
	if sp == nil {
		return out
	}
	v, _, _ := unstructured.NestedFieldNoCopy(o.Object, sp...)
	spec, _ := v.(map[string]any)
	eachRef(spec, "volumes", []string{"secret"}, func(i int, vm, sec map[string]any) {
		var keys []string
		items, _, _ := unstructured.NestedSlice(sec, "items")
		for _, it := range items {
			if im, ok := it.(map[string]any); ok {
				if k, ok := im["key"].(string); ok {
					keys = append(keys, k)
				}
			}
		}
		add(sec, "secretName", fmt.Sprintf("%s.volumes[%d].secret", joinPath(sp), i), fmt.Sprintf("volume %v", vm["name"]), keys...)
	})
	return out
}

// eachRef calls f for each item of the list m[list] that holds a map at
// path, with the item's index, the item and that map.
func eachRef(m map[string]any, list string, path []string, f func(i int, item, ref map[string]any)) {
	items, _, _ := unstructured.NestedSlice(m, list)
	for i, it := range items {
		item, _ := it.(map[string]any)
		if ref, ok, _ := unstructured.NestedMap(item, path...); ok {
			f(i, item, ref)
		}
	}
}

const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomValue is 24 letters and digits: long enough for any password
// rule MinIO has (root user >= 3, password >= 8 characters).
func (a *Adapter) randomValue() string {
	r := a.Rand
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, 24)
	if _, err := io.ReadFull(r, b); err != nil {
		panic(fmt.Sprintf("random source: %v", err))
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// substituteImages points containers at side-loaded images and makes sure
// the kubelet uses them instead of trying to pull.
func (a *Adapter) substituteImages(objs []*Object) []Note {
	if len(a.Images) == 0 {
		return nil
	}
	var notes []Note
	for _, o := range objs {
		o.editContainers(func(c container) bool {
			img, _ := c.m["image"].(string)
			to, loaded := a.localImage(img)
			if !loaded {
				return false
			}
			if to != img {
				c.m["image"] = to
				notes = append(notes, o.note(c.path+".image", "container %v image %s replaced by the side-loaded %s (--load-image)", c.m["name"], img, to))
			}
			if pp, _ := c.m["imagePullPolicy"].(string); pp != "IfNotPresent" && pp != "Never" {
				c.m["imagePullPolicy"] = "IfNotPresent"
			}
			return true
		})
	}
	return notes
}

// localImage returns the side-loaded image to use for img, if any.
func (a *Adapter) localImage(img string) (string, bool) {
	if img == "" {
		return "", false
	}
	name := repositoryOf(img)
	for _, r := range a.Images {
		if r.Local == img || (r.Repository == "" && repositoryOf(r.Local) == name && sameTag(r.Local, img)) {
			return r.Local, true
		}
		if r.Repository != "" && repositoryOf(r.Repository) == name {
			return r.Local, true
		}
	}
	return "", false
}

// repositoryOf returns an image's fully qualified repository
// (docker.io/library/alpine for alpine:3.20), or img itself if it does not
// parse.
func repositoryOf(img string) string {
	n, err := reference.ParseNormalizedNamed(img)
	if err != nil {
		return img
	}
	return n.Name()
}

func sameTag(a, b string) bool {
	na, errA := reference.ParseNormalizedNamed(a)
	nb, errB := reference.ParseNormalizedNamed(b)
	if errA != nil || errB != nil {
		return false
	}
	return reference.TagNameOnly(na).String() == reference.TagNameOnly(nb).String()
}

// AdaptRelease adapts a Helm release's rendered objects: as Adapt, except
// that namespaces are left to the caller (Helm must not own the release's
// namespace) and namespaced objects without one land in ns.
func (a *Adapter) AdaptRelease(objs []*Object, ns string) ([]*Object, []Note) {
	DefaultNamespaces(objs, ns)
	var notes []Note
	objs, n := a.mapStorageClasses(objs)
	notes = append(notes, n...)
	objs, n = a.generateSecrets(objs)
	notes = append(notes, n...)
	notes = append(notes, a.substituteImages(objs)...)
	return objs, notes
}

// SubstituteImages points an object's containers at side-loaded images.
func (a *Adapter) SubstituteImages(objs []*Object) []Note { return a.substituteImages(objs) }

// Images lists the images an object's containers run.
func (o *Object) Images() []string {
	var out []string
	for _, c := range o.containers() {
		if img, ok := c.m["image"].(string); ok && img != "" {
			out = append(out, img)
		}
	}
	return out
}
