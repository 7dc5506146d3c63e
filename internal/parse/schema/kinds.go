package schema

import (
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	storagev1 "k8s.io/api/storage/v1"
)

// typeKey is an apiVersion and kind as written in a manifest.
type typeKey struct{ apiVersion, kind string }

// types maps the kinds a student is likely to hand in to the Go type the
// API server decodes them into. Kinds not listed are not validated.
var types = map[typeKey]func() any{
	{"v1", "Pod"}:                   func() any { return &corev1.Pod{} },
	{"v1", "Service"}:               func() any { return &corev1.Service{} },
	{"v1", "Secret"}:                func() any { return &corev1.Secret{} },
	{"v1", "ConfigMap"}:             func() any { return &corev1.ConfigMap{} },
	{"v1", "Namespace"}:             func() any { return &corev1.Namespace{} },
	{"v1", "PersistentVolumeClaim"}: func() any { return &corev1.PersistentVolumeClaim{} },
	{"v1", "PersistentVolume"}:      func() any { return &corev1.PersistentVolume{} },
	{"v1", "ResourceQuota"}:         func() any { return &corev1.ResourceQuota{} },
	{"v1", "LimitRange"}:            func() any { return &corev1.LimitRange{} },
	{"v1", "ServiceAccount"}:        func() any { return &corev1.ServiceAccount{} },
	//lint:ignore SA1019 students still write Endpoints objects, which the API server accepts
	{"v1", "Endpoints"}:                                    func() any { return &corev1.Endpoints{} },
	{"v1", "ReplicationController"}:                        func() any { return &corev1.ReplicationController{} },
	{"apps/v1", "StatefulSet"}:                             func() any { return &appsv1.StatefulSet{} },
	{"apps/v1", "Deployment"}:                              func() any { return &appsv1.Deployment{} },
	{"apps/v1", "DaemonSet"}:                               func() any { return &appsv1.DaemonSet{} },
	{"apps/v1", "ReplicaSet"}:                              func() any { return &appsv1.ReplicaSet{} },
	{"batch/v1", "Job"}:                                    func() any { return &batchv1.Job{} },
	{"batch/v1", "CronJob"}:                                func() any { return &batchv1.CronJob{} },
	{"policy/v1", "PodDisruptionBudget"}:                   func() any { return &policyv1.PodDisruptionBudget{} },
	{"storage.k8s.io/v1", "StorageClass"}:                  func() any { return &storagev1.StorageClass{} },
	{"networking.k8s.io/v1", "NetworkPolicy"}:              func() any { return &networkingv1.NetworkPolicy{} },
	{"networking.k8s.io/v1", "Ingress"}:                    func() any { return &networkingv1.Ingress{} },
	{"networking.k8s.io/v1", "IngressClass"}:               func() any { return &networkingv1.IngressClass{} },
	{"rbac.authorization.k8s.io/v1", "Role"}:               func() any { return &rbacv1.Role{} },
	{"rbac.authorization.k8s.io/v1", "RoleBinding"}:        func() any { return &rbacv1.RoleBinding{} },
	{"rbac.authorization.k8s.io/v1", "ClusterRole"}:        func() any { return &rbacv1.ClusterRole{} },
	{"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"}: func() any { return &rbacv1.ClusterRoleBinding{} },
	{"autoscaling/v1", "HorizontalPodAutoscaler"}:          func() any { return &autoscalingv1.HorizontalPodAutoscaler{} },
	{"autoscaling/v2", "HorizontalPodAutoscaler"}:          func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	{"scheduling.k8s.io/v1", "PriorityClass"}:              func() any { return &schedulingv1.PriorityClass{} },
}

// groups are the API groups Kubernetes itself serves. A kind in one of them
// that labcheck does not know is judged only when it looks like a typo of
// one it does; kinds of other groups (CRDs) are never judged here.
var groups = map[string]bool{
	"": true, "apps": true, "batch": true, "policy": true, "storage.k8s.io": true,
	"networking.k8s.io": true, "rbac.authorization.k8s.io": true, "autoscaling": true,
	"scheduling.k8s.io": true, "extensions": true, "coordination.k8s.io": true,
	"discovery.k8s.io": true, "node.k8s.io": true, "certificates.k8s.io": true,
	"admissionregistration.k8s.io": true, "apiextensions.k8s.io": true,
}

// served is the apiVersion each known kind is served as today (the newest
// stable one), for messages about removed or misspelled versions.
var served = func() map[string]string {
	m := map[string]string{}
	for k := range types {
		if cur, ok := m[k.kind]; !ok || k.apiVersion > cur {
			m[k.kind] = k.apiVersion
		}
	}
	return m
}()
