// Package deps pins, for the duration of the lab issues in flight, the
// modules their packages are about to import, so that go.mod does not change
// under several people at once. It is removed once they are imported for real.
package deps

import (
	_ "helm.sh/helm/v3/pkg/chart/loader"
	_ "helm.sh/helm/v3/pkg/chartutil"
	_ "helm.sh/helm/v3/pkg/engine"
	_ "istio.io/api/networking/v1"
	_ "istio.io/api/networking/v1beta1"
	_ "istio.io/api/security/v1"
	_ "istio.io/api/security/v1beta1"
	_ "istio.io/client-go/pkg/apis/networking/v1"
	_ "istio.io/client-go/pkg/apis/security/v1"
	_ "k8s.io/api/apps/v1"
	_ "k8s.io/api/core/v1"
	_ "k8s.io/api/policy/v1"
	_ "k8s.io/api/storage/v1"
	_ "k8s.io/apimachinery/pkg/runtime/serializer/json"
	_ "sigs.k8s.io/json"
	_ "sigs.k8s.io/kustomize/kyaml/yaml"
)
