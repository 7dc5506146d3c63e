package mesh

import (
	"context"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/labcheck/labcheck/internal/deploy"
)

// Manager is the field manager of what Lab 4 applies.
const Manager = "labcheck-istio"

// IsIstio reports whether an object is one of Istio's kinds.
func IsIstio(o *deploy.Object) bool {
	group, _, _ := strings.Cut(o.GetAPIVersion(), "/")
	return strings.HasSuffix(group, ".istio.io")
}

// Validate installs Istio's CRDs, applies the lab's other objects (its
// namespaces) for real and submits its Istio objects with server-side dry
// run. The notes are what the API server refused, at the offending lines.
func Validate(ctx context.Context, c *deploy.Clients, objs []*deploy.Object) (accepted int, notes []deploy.Note, err error) {
	crds, err := CRDs()
	if err != nil {
		return 0, nil, err
	}
	if n, err := c.Apply(ctx, crds, deploy.ApplyOptions{}); err != nil || len(n) > 0 {
		if err == nil {
			err = fmt.Errorf("istio CRD %s", n[0].Message)
		}
		return 0, nil, fmt.Errorf("install Istio's CRDs: %w", err)
	}
	var istio, other []*deploy.Object
	for _, o := range objs {
		if IsIstio(o) {
			istio = append(istio, o)
		} else {
			other = append(other, o)
		}
	}
	if len(other) > 0 {
		n, err := c.Apply(ctx, other, deploy.ApplyOptions{Manager: Manager})
		if err != nil {
			return 0, nil, err
		}
		notes = append(notes, n...)
	}
	for _, o := range deploy.Ordered(istio) {
		n, err := c.Apply(ctx, []*deploy.Object{o}, deploy.ApplyOptions{DryRun: true, Manager: Manager})
		if err != nil {
			return accepted, notes, err
		}
		if len(n) == 0 {
			accepted++
		}
		notes = append(notes, n...)
	}
	return accepted, notes, nil
}

// destination is a route's target as the submission writes it.
type destination struct {
	obj  *deploy.Object
	path string
	host string
	port int64 // 0 when not given
}

// destinations lists the hosts a VirtualService routes to and the hosts
// DestinationRules configure.
func destinations(objs []*deploy.Object) []destination {
	var out []destination
	for _, o := range objs {
		switch o.GetKind() {
		case "VirtualService":
			for _, proto := range []string{"http", "tcp", "tls"} {
				routes, _, _ := unstructured.NestedSlice(o.Object, "spec", proto)
				for i, r := range routes {
					rm, _ := r.(map[string]any)
					dests, _, _ := unstructured.NestedSlice(rm, "route")
					for j, d := range dests {
						dm, _ := d.(map[string]any)
						host, _, _ := unstructured.NestedString(dm, "destination", "host")
						port, _, _ := unstructured.NestedInt64(dm, "destination", "port", "number")
						if host != "" {
							out = append(out, destination{o, fmt.Sprintf("spec.%s[%d].route[%d].destination.host", proto, i, j), host, port})
						}
					}
				}
			}
		case "DestinationRule":
			if host, _, _ := unstructured.NestedString(o.Object, "spec", "host"); host != "" {
				out = append(out, destination{o, "spec.host", host, 0})
			}
		}
	}
	return out
}

// CrossCheck checks that every route destination and DestinationRule host
// names a Service that is deployed in the cluster, on a port it has.
// Hosts that a ServiceEntry of the submission declares are external and
// left alone.
func CrossCheck(ctx context.Context, c *deploy.Clients, objs []*deploy.Object) (checked int, notes []deploy.Note, err error) {
	external := map[string]bool{}
	for _, o := range objs {
		if o.GetKind() == "ServiceEntry" {
			hosts, _, _ := unstructured.NestedStringSlice(o.Object, "spec", "hosts")
			for _, h := range hosts {
				external[h] = true
			}
		}
	}
	for _, d := range destinations(objs) {
		if external[d.host] || strings.Contains(d.host, "*") {
			continue
		}
		ns := d.obj.GetNamespace()
		if ns == "" {
			ns = "default"
		}
		name, svcNS, ok := serviceOf(d.host, ns)
		if !ok {
			notes = append(notes, noteAt(d, "host %q is not a Service of this cluster (want name, name.namespace or name.namespace.svc.cluster.local)", d.host))
			continue
		}
		svc, err := c.Kube.CoreV1().Services(svcNS).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			notes = append(notes, noteAt(d, "host %q: no Service %s/%s is deployed (the routes would send traffic nowhere)", d.host, svcNS, name))
			continue
		}
		if err != nil {
			return checked, notes, fmt.Errorf("get Service %s/%s: %w", svcNS, name, err)
		}
		checked++
		if d.port != 0 && !hasPort(svc, d.port) {
			notes = append(notes, noteAt(d, "host %q: the deployed Service %s/%s has no port %d (it has %s)", d.host, svcNS, name, d.port, ports(svc)))
		}
	}
	return checked, notes, nil
}

func noteAt(d destination, format string, args ...any) deploy.Note {
	return deploy.Note{File: d.obj.File, Line: d.obj.At(d.path), Message: d.obj.String() + ": " + fmt.Sprintf(format, args...)}
}

// serviceOf resolves an Istio host to a Service name and namespace.
func serviceOf(host, ns string) (string, string, bool) {
	host = strings.TrimSuffix(host, ".")
	parts := strings.Split(host, ".")
	switch {
	case len(parts) == 1:
		return parts[0], ns, true
	case len(parts) == 2:
		return parts[0], parts[1], true
	case len(parts) == 3 && parts[2] == "svc":
		return parts[0], parts[1], true
	case len(parts) >= 4 && parts[2] == "svc":
		return parts[0], parts[1], true
	}
	return "", "", false
}

func hasPort(svc *corev1.Service, port int64) bool {
	return slices.ContainsFunc(svc.Spec.Ports, func(p corev1.ServicePort) bool { return int64(p.Port) == port })
}

func ports(svc *corev1.Service) string {
	var s []string
	for _, p := range svc.Spec.Ports {
		s = append(s, fmt.Sprint(p.Port))
	}
	return strings.Join(s, ", ")
}
