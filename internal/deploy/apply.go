package deploy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
)

// applyOrder ranks kinds so that what others depend on exists first. Kinds
// not listed go after the workloads; PodDisruptionBudgets go last, once
// there is something to protect.
var applyOrder = []string{
	"CustomResourceDefinition", "Namespace", "ResourceQuota", "LimitRange", "PriorityClass",
	"ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
	"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service",
	"DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "Job", "CronJob", "Pod",
}

func rank(kind string) int {
	if kind == "PodDisruptionBudget" {
		return len(applyOrder) + 1
	}
	if i := slices.Index(applyOrder, kind); i >= 0 {
		return i
	}
	return len(applyOrder)
}

// Ordered returns the objects in apply order; objects of the same rank
// keep the submission's order.
func Ordered(objs []*Object) []*Object {
	out := slices.Clone(objs)
	slices.SortStableFunc(out, func(a, b *Object) int { return rank(a.GetKind()) - rank(b.GetKind()) })
	return out
}

// ApplyOptions tune Apply.
type ApplyOptions struct {
	DryRun  bool   // server-side dry run: validated and admitted, not stored
	Manager string // field manager; FieldManager when empty. Labs apply as different managers so one never takes back what another set.
}

// Apply server-side applies the objects in dependency order with strict
// field validation. What the API server rejects comes back as Notes at the
// offending field's line (or the object's); an error means the cluster
// itself failed (unreachable, the run cancelled).
func (c *Clients) Apply(ctx context.Context, objs []*Object, opts ApplyOptions) ([]Note, error) {
	var notes []Note
	var crds []string
	for _, o := range Ordered(objs) {
		if len(crds) > 0 && o.GetKind() != "CustomResourceDefinition" {
			if err := c.waitEstablished(ctx, crds); err != nil {
				return notes, err
			}
			crds = nil
		}
		err := c.applyOne(ctx, o, opts)
		if err == nil {
			if o.GetKind() == "CustomResourceDefinition" && !opts.DryRun {
				crds = append(crds, o.GetName())
			}
			continue
		}
		if n, ok := rejection(o, err); ok {
			notes = append(notes, n...)
			continue
		}
		return notes, fmt.Errorf("apply %s: %w", o, err)
	}
	if len(crds) > 0 {
		return notes, c.waitEstablished(ctx, crds)
	}
	return notes, nil
}

// errNoKind is a kind the cluster does not serve.
var errNoKind = errors.New("kind not served")

func (c *Clients) resource(o *Object) (dynamic.ResourceInterface, error) {
	gvk := schema.FromAPIVersionAndKind(o.GetAPIVersion(), o.GetKind())
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		c.mapper.Reset() // a CRD applied a moment ago
		m, err = c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	if meta.IsNoMatchError(err) {
		return nil, fmt.Errorf("%w: the cluster has no kind %s in %s", errNoKind, gvk.Kind, o.GetAPIVersion())
	}
	if err != nil {
		return nil, err
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		ns := o.GetNamespace()
		if ns == "" {
			ns = "default"
		}
		return c.Dynamic.Resource(m.Resource).Namespace(ns), nil
	}
	return c.Dynamic.Resource(m.Resource), nil
}

func (c *Clients) applyOne(ctx context.Context, o *Object, opts ApplyOptions) error {
	ri, err := c.resource(o)
	if err != nil {
		return err
	}
	data, err := o.MarshalJSON()
	if err != nil {
		return err
	}
	force := true
	manager := opts.Manager
	if manager == "" {
		manager = FieldManager
	}
	po := metav1.PatchOptions{FieldManager: manager, Force: &force, FieldValidation: "Strict"}
	if opts.DryRun {
		po.DryRun = []string{metav1.DryRunAll}
	}
	_, err = ri.Patch(ctx, o.GetName(), types.ApplyPatchType, data, po)
	return err
}

// rejection turns what the API server (or the mapper) refused into notes.
// It is false for errors that are not about the object.
func rejection(o *Object, err error) ([]Note, bool) {
	if errors.Is(err, errNoKind) {
		return []Note{o.note("apiVersion", "%s", strings.TrimPrefix(err.Error(), errNoKind.Error()+": "))}, true
	}
	var se apierrors.APIStatus
	if !errors.As(err, &se) {
		return nil, false
	}
	st := se.Status()
	switch st.Reason {
	case metav1.StatusReasonInvalid, metav1.StatusReasonBadRequest, metav1.StatusReasonForbidden,
		metav1.StatusReasonNotFound, metav1.StatusReasonConflict, metav1.StatusReasonAlreadyExists,
		metav1.StatusReasonUnsupportedMediaType, metav1.StatusReasonMethodNotAllowed, metav1.StatusReasonRequestEntityTooLarge:
	default:
		if st.Code < 400 || st.Code >= 500 {
			return nil, false
		}
	}
	if st.Details != nil && len(st.Details.Causes) > 0 {
		var out []Note
		for _, cause := range st.Details.Causes {
			msg := strings.TrimSpace(cause.Message)
			if cause.Field != "" && !strings.Contains(msg, cause.Field) {
				msg = cause.Field + ": " + msg
			}
			out = append(out, o.note(fieldPath(cause.Field), "the API server rejected it: %s", msg))
		}
		return out, true
	}
	return []Note{o.note("", "the API server rejected it: %s", st.Message)}, true
}

// fieldPath turns an API server field path (spec.template.spec.containers[0].image,
// metadata.labels[app]) into manifest.Path syntax as far as it can.
func fieldPath(f string) string {
	f = strings.TrimPrefix(f, "<nil>")
	f = strings.TrimPrefix(f, ".")
	return f
}

// waitEstablished waits (bounded) until CRDs serve their kinds.
func (c *Clients) waitEstablished(ctx context.Context, names []string) error {
	crd := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	deadline := time.Now().Add(90 * time.Second)
	for _, name := range names {
		for {
			u, err := c.Dynamic.Resource(crd).Get(ctx, name, metav1.GetOptions{})
			if err == nil && established(u) {
				break
			}
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("CustomResourceDefinition %s not established after 90s", name)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	c.mapper.Reset()
	return nil
}

func established(u *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, cnd := range conds {
		m, _ := cnd.(map[string]any)
		if m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}
