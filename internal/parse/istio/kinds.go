package istio

import (
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	networking "istio.io/api/networking/v1alpha3"
	security "istio.io/api/security/v1beta1"
)

// Groups are the API groups whose objects this package validates.
var Groups = []string{"networking.istio.io", "security.istio.io"}

// kind is one Istio kind: the versions the API server serves it in and the
// message its spec decodes into. Istio's v1 and v1beta1 Go types are aliases
// of the v1alpha3 (networking) and v1beta1 (security) messages, so one
// message serves every version.
type kind struct {
	versions []string
	spec     proto.Message
}

// networkingVersions are the versions Istio 1.32's CRDs serve for most
// networking kinds, newest first.
var networkingVersions = []string{"v1", "v1beta1", "v1alpha3"}

var securityVersions = []string{"v1", "v1beta1"}

var kinds = map[string]map[string]kind{
	"networking.istio.io": {
		"DestinationRule": {networkingVersions, &networking.DestinationRule{}},
		"EnvoyFilter":     {[]string{"v1alpha3"}, &networking.EnvoyFilter{}},
		"Gateway":         {networkingVersions, &networking.Gateway{}},
		"ServiceEntry":    {networkingVersions, &networking.ServiceEntry{}},
		"Sidecar":         {networkingVersions, &networking.Sidecar{}},
		"VirtualService":  {networkingVersions, &networking.VirtualService{}},
		"WorkloadEntry":   {networkingVersions, &networking.WorkloadEntry{}},
		"WorkloadGroup":   {networkingVersions, &networking.WorkloadGroup{}},
	},
	"security.istio.io": {
		"AuthorizationPolicy":   {securityVersions, &security.AuthorizationPolicy{}},
		"PeerAuthentication":    {securityVersions, &security.PeerAuthentication{}},
		"RequestAuthentication": {securityVersions, &security.RequestAuthentication{}},
	},
}

// IsIstio reports whether apiVersion names one of Istio's groups.
func IsIstio(apiVersion string) bool {
	group, _, _ := strings.Cut(apiVersion, "/")
	return slices.Contains(Groups, group)
}

// specDescriptor returns the message a kind's spec decodes into.
func (k kind) descriptor() protoreflect.MessageDescriptor {
	return k.spec.ProtoReflect().Descriptor()
}

func kindNames(group string) []string {
	var out []string
	for name := range kinds[group] {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}
