package deploy

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Gate is the SPEC's safety rule for deploying untrusted manifests: it
// returns a refusal for every object that would reach out of its container
// (privileged containers, host paths, host namespaces, host ports). If it
// returns anything, nothing of the lab may be deployed.
func Gate(objs []*Object) []Note {
	var out []Note
	for _, o := range objs {
		out = append(out, gatePodSpec(o)...)
		out = append(out, gateVolume(o)...)
	}
	return out
}

func gatePodSpec(o *Object) []Note {
	sp := podSpecPath(o.GetKind())
	if sp == nil {
		return nil
	}
	var out []Note
	base := joinPath(sp)
	for _, host := range []string{"hostNetwork", "hostPID", "hostIPC"} {
		if on, _, _ := unstructured.NestedBool(o.Object, append(append([]string{}, sp...), host)...); on {
			out = append(out, o.note(base+"."+host, "refused to deploy: %s: true shares the node's namespace with the pod", host))
		}
	}
	vols, _, _ := unstructured.NestedSlice(o.Object, append(append([]string{}, sp...), "volumes")...)
	for i, v := range vols {
		m, _ := v.(map[string]any)
		if _, ok := m["hostPath"]; ok {
			path, _, _ := unstructured.NestedString(m, "hostPath", "path")
			out = append(out, o.note(fmt.Sprintf("%s.volumes[%d].hostPath", base, i), "refused to deploy: volume %v mounts the node's %q (hostPath)", m["name"], path))
		}
	}
	for _, c := range o.containers() {
		if on, _, _ := unstructured.NestedBool(c.m, "securityContext", "privileged"); on {
			out = append(out, o.note(c.path+".securityContext.privileged", "refused to deploy: container %v is privileged", c.m["name"]))
		}
		ports, _, _ := unstructured.NestedSlice(c.m, "ports")
		for j, p := range ports {
			pm, _ := p.(map[string]any)
			if hp, ok := pm["hostPort"]; ok && fmt.Sprint(hp) != "0" {
				out = append(out, o.note(fmt.Sprintf("%s.ports[%d].hostPort", c.path, j), "refused to deploy: container %v binds the node's port %v (hostPort)", c.m["name"], hp))
			}
		}
	}
	return out
}

// gateVolume refuses PersistentVolumes backed by the node's file system.
func gateVolume(o *Object) []Note {
	if o.GetKind() != "PersistentVolume" {
		return nil
	}
	for _, src := range []string{"hostPath", "local"} {
		if _, ok, _ := unstructured.NestedFieldNoCopy(o.Object, "spec", src); ok {
			return []Note{o.note("spec."+src, "refused to deploy: the volume is the node's file system (%s)", src)}
		}
	}
	return nil
}
