package kinds

import "testing"

func TestClusterScoped(t *testing.T) {
	for kind, want := range map[string]bool{
		"Namespace": true, "StorageClass": true, "ClusterRole": true, "CustomResourceDefinition": true,
		"APIService": true, "VolumeAttachment": true,
		"StatefulSet": false, "Service": false, "ResourceQuota": false, "Role": false, "Tenant": false, "": false,
	} {
		if got := ClusterScoped(kind); got != want {
			t.Errorf("ClusterScoped(%q) = %v, want %v", kind, got, want)
		}
	}
}
