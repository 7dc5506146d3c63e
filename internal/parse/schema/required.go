package schema

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// required reports the fields the API server's validation insists on that
// strict decoding cannot see: a container without an image, a Service port
// without a port number. It is not the whole of the server's validation,
// only what a hand-written manifest commonly gets wrong.
func required(v *validation, target any) {
	if m, ok := target.(metav1.Object); ok && m.GetName() == "" && m.GetGenerateName() == "" {
		v.require("metadata.name", "metadata.name is required")
	}
	switch o := target.(type) {
	case *corev1.Pod:
		podSpec(v, "spec", &o.Spec)
	case *appsv1.StatefulSet:
		workload(v, o.Spec.Selector, &o.Spec.Template)
		for i, c := range o.Spec.VolumeClaimTemplates {
			p := fmt.Sprintf("spec.volumeClaimTemplates[%d]", i)
			if c.Name == "" {
				v.require(p+".metadata.name", fmt.Sprintf("%s.metadata.name is required: pods mount the claim by this name", p))
			}
			if len(c.Spec.AccessModes) == 0 {
				v.require(p+".spec.accessModes", fmt.Sprintf("%s.spec.accessModes is required, e.g. [ReadWriteOnce]", p))
			}
		}
	case *appsv1.Deployment:
		workload(v, o.Spec.Selector, &o.Spec.Template)
	case *appsv1.DaemonSet:
		workload(v, o.Spec.Selector, &o.Spec.Template)
	case *appsv1.ReplicaSet:
		workload(v, o.Spec.Selector, &o.Spec.Template)
	case *batchv1.Job:
		podSpec(v, "spec.template.spec", &o.Spec.Template.Spec)
	case *batchv1.CronJob:
		if o.Spec.Schedule == "" {
			v.require("spec.schedule", "spec.schedule is required")
		}
		podSpec(v, "spec.jobTemplate.spec.template.spec", &o.Spec.JobTemplate.Spec.Template.Spec)
	case *corev1.Service:
		service(v, o)
	case *corev1.PersistentVolumeClaim:
		if len(o.Spec.AccessModes) == 0 {
			v.require("spec.accessModes", "spec.accessModes is required, e.g. [ReadWriteOnce]")
		}
		if _, ok := o.Spec.Resources.Requests[corev1.ResourceStorage]; !ok {
			v.require("spec.resources.requests.storage", "spec.resources.requests.storage is required")
		}
	case *policyv1.PodDisruptionBudget:
		if o.Spec.MinAvailable != nil && o.Spec.MaxUnavailable != nil {
			v.require("spec.maxUnavailable", "spec.minAvailable and spec.maxUnavailable cannot both be set")
		}
	case *storagev1.StorageClass:
		if o.Provisioner == "" {
			v.require("provisioner", "provisioner is required, e.g. rancher.io/local-path on kind")
		}
	}
}

func workload(v *validation, sel *metav1.LabelSelector, tpl *corev1.PodTemplateSpec) {
	if sel == nil {
		v.require("spec.selector", "spec.selector is required: it must match spec.template.metadata.labels")
	}
	podSpec(v, "spec.template.spec", &tpl.Spec)
}

func podSpec(v *validation, path string, s *corev1.PodSpec) {
	if len(s.Containers) == 0 {
		v.require(path+".containers", fmt.Sprintf("%s.containers is required: a pod needs at least one container", path))
	}
	for i := range s.InitContainers {
		container(v, fmt.Sprintf("%s.initContainers[%d]", path, i), &s.InitContainers[i])
	}
	for i := range s.Containers {
		container(v, fmt.Sprintf("%s.containers[%d]", path, i), &s.Containers[i])
	}
	for i, vol := range s.Volumes {
		if vol.Name == "" {
			p := fmt.Sprintf("%s.volumes[%d]", path, i)
			v.require(p+".name", p+".name is required")
		}
	}
}

func container(v *validation, path string, c *corev1.Container) {
	label := "container"
	if c.Name != "" {
		label = "container " + c.Name
	} else {
		v.require(path+".name", fmt.Sprintf("%s.name is required", path))
	}
	if c.Image == "" {
		v.require(path+".image", fmt.Sprintf("%s has no image (%s.image is required)", label, path))
	}
	for i, p := range c.Ports {
		if p.ContainerPort == 0 {
			pp := fmt.Sprintf("%s.ports[%d]", path, i)
			v.require(pp+".containerPort", fmt.Sprintf("%s: port %s has no containerPort (%s.containerPort is required)", label, orDefault(p.Name, fmt.Sprint(i)), pp))
		}
	}
	for i, e := range c.Env {
		if e.Name == "" {
			pp := fmt.Sprintf("%s.env[%d]", path, i)
			v.require(pp+".name", fmt.Sprintf("%s: %s.name is required", label, pp))
		}
	}
	for i, m := range c.VolumeMounts {
		pp := fmt.Sprintf("%s.volumeMounts[%d]", path, i)
		if m.Name == "" {
			v.require(pp+".name", fmt.Sprintf("%s: %s.name is required", label, pp))
		}
		if m.MountPath == "" {
			v.require(pp+".mountPath", fmt.Sprintf("%s: %s.mountPath is required", label, pp))
		}
	}
}

func service(v *validation, s *corev1.Service) {
	headless := s.Spec.ClusterIP == corev1.ClusterIPNone
	switch {
	case s.Spec.Type == corev1.ServiceTypeExternalName:
		if s.Spec.ExternalName == "" {
			v.require("spec.externalName", "spec.externalName is required for a Service of type ExternalName")
		}
		return
	case len(s.Spec.Ports) == 0 && !headless:
		v.require("spec.ports", "spec.ports is required: a Service that is not headless needs at least one port")
	}
	for i, p := range s.Spec.Ports {
		pp := fmt.Sprintf("spec.ports[%d]", i)
		if p.Port == 0 {
			v.require(pp+".port", fmt.Sprintf("%s.port is required: the port number the Service listens on", pp))
		}
		if p.Name == "" && len(s.Spec.Ports) > 1 {
			v.require(pp+".name", fmt.Sprintf("%s.name is required when a Service has more than one port", pp))
		}
	}
}
