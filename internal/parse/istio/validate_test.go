package istio

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/labcheck/labcheck/internal/parse/manifest"
)

func parseOne(t *testing.T, src string) manifest.Object {
	t.Helper()
	objs, probs := manifest.Parse("x.yaml", []byte(src), manifest.DefaultLimits)
	if len(probs) > 0 || len(objs) != 1 {
		t.Fatalf("fixture does not parse to one object: %v", probs)
	}
	return objs[0]
}

// got renders problems as "line path: message" for compact diffs.
func got(ps []Problem) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%02d | %s | %s", p.Line, p.Path, p.Message))
	}
	return out
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{{
		name: "valid virtual service in every served version",
		src: `apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: minio}
spec:
  hosts: [minio.example.com]
  http:
    - route:
        - destination: {host: minio, port: {number: 9000}}
      timeout: 1m30s
      retries: {attempts: 3, perTryTimeout: 20s}
`,
		want: []string{},
	}, {
		name: "misspelled field with a suggestion",
		src: `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: minio}
spec:
  hosts: [minio.example.com]
  htpp:
    - route: []
`,
		want: []string{`06 | spec.htpp | VirtualService minio: unknown field spec.htpp: VirtualService has no field "htpp"; did you mean http? (fields: exportTo, gateways, hosts, http, tcp, tls)`},
	}, {
		name: "every problem of an object, each on its line",
		src: `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: minio}
spec:
  gateways: minio-gateway
  http:
    - route:
        - destination:
            host: minio
            port: {number: api}
          wieght: 100
      timeout: 60
`,
		want: []string{
			`05 | spec.gateways | VirtualService minio: spec.gateways must be a list, not "minio-gateway"`,
			`10 | spec.http[0].route[0].destination.port.number | VirtualService minio: spec.http[0].route[0].destination.port.number must be a whole number (0 or more), not "api"`,
			`11 | spec.http[0].route[0].wieght | VirtualService minio: unknown field spec.http[0].route[0].wieght: HTTPRouteDestination has no field "wieght"; did you mean weight? (fields: destination, headers, weight)`,
			`12 | spec.http[0].timeout | VirtualService minio: spec.http[0].timeout must be a duration such as "30s", not 60`,
		},
	}, {
		name: "invalid enum value",
		src: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: minio}
spec:
  mtls:
    mode: STRCT
`,
		want: []string{`06 | spec.mtls.mode | PeerAuthentication default: spec.mtls.mode "STRCT" is not a valid value; did you mean STRICT? (values: UNSET, DISABLE, PERMISSIVE, STRICT)`},
	}, {
		name: "required field, proto name and one-of",
		src: `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  servers:
    - port: {number: 443, protocol: HTTPS}
      hosts: ["*"]
      tls: {mode: SIMPLE, credential_name: minio-tls}
`,
		want: []string{
			`06 | spec.servers[0].port | Gateway gw: spec.servers[0].port.name is required`,
			`08 | spec.servers[0].tls.credential_name | Gateway gw: credential_name is the protobuf name of the field; write credentialName (the API server knows only that name and would drop credential_name)`,
		},
	}, {
		name: "match sets two kinds of string match",
		src: `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  http:
    - match:
        - uri: {exact: /a, prefix: /}
`,
		want: []string{`07 | spec.http[0].match[0].uri.prefix | VirtualService vs: spec.http[0].match[0].uri.prefix: only one of exact, prefix, regex may be set in spec.http[0].match[0].uri`},
	}, {
		name: "unknown kind and version",
		src: `apiVersion: networking.istio.io/v1
kind: Gatway
metadata: {name: gw}
`,
		want: []string{`02 | kind | Gatway gw: networking.istio.io has no kind "Gatway"; did you mean Gateway? (kinds: DestinationRule, EnvoyFilter, Gateway, ServiceEntry, Sidecar, VirtualService, WorkloadEntry, WorkloadGroup)`},
	}, {
		name: "version not served, top-level typo, no name",
		src: `apiVersion: security.istio.io/v1alpha3
kind: AuthorizationPolicy
metadata: {namespace: minio}
specs: {}
`,
		want: []string{
			`01 | apiVersion | AuthorizationPolicy (unnamed): AuthorizationPolicy is not served as security.istio.io/v1alpha3; use security.istio.io/v1 (versions: v1, v1beta1)`,
			`04 | specs | AuthorizationPolicy (unnamed): unknown top-level field "specs"; did you mean spec? (fields: apiVersion, kind, metadata, spec, status)`,
			`03 | metadata | AuthorizationPolicy (unnamed): metadata.name is missing`,
		},
	}, {
		name: "map key of the wrong type",
		src: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: pa}
spec:
  selector: {matchLabels: {app: minio}}
  portLevelMtls:
    api: {mode: DISABLE}
`,
		want: []string{`07 | spec.portLevelMtls.api | PeerAuthentication pa: spec.portLevelMtls: key "api" must be a whole number (0 or more)`},
	}, {
		name: "spec that is not an object",
		src: `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr}
spec: [host]
`,
		want: []string{`04 | spec | DestinationRule dr: spec must be an object of DestinationRule fields, not a list`},
	}, {
		name: "not an Istio group",
		src: `apiVersion: v1
kind: Service
metadata: {name: minio}
spec: {bogus: true}
`,
		want: []string{},
	}, {
		name: "free-form EnvoyFilter value is not judged",
		src: `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: ef}
spec:
  configPatches:
    - applyTo: HTTP_FILTER
      patch:
        operation: INSERT_BEFORE
        value: {name: anything, typed_config: {"@type": x, whatever: [1, 2]}}
`,
		want: []string{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, got(Validate(parseOne(t, tt.src)))); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPosition(t *testing.T) {
	tests := []struct {
		err  string
		line int
		text string
	}{
		{"proto: (line 3:5): unknown field \"htpp\"", 3, `unknown field "htpp"`},
		{"proto:\u00a0syntax error (line 12:9): unexpected token 60", 12, "unexpected token 60"},
		{"proto: google.protobuf.Duration: seconds out of range 1e+12", 0, "google.protobuf.Duration: seconds out of range 1e+12"},
	}
	for _, tt := range tests {
		line, text := position(errors.New(tt.err))
		if line != tt.line || text != tt.text {
			t.Errorf("position(%q) = %d, %q; want %d, %q", tt.err, line, text, tt.line, tt.text)
		}
	}
}

// FuzzValidate: no input crashes or hangs the validator.
func FuzzValidate(f *testing.F) {
	f.Add("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\nspec: {http: [{route: [{destination: {host: a}}]}]}\n")
	f.Add("apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nspec: {mtls: {mode: 5}, portLevelMtls: {x: 1}}\n")
	f.Fuzz(func(t *testing.T, src string) {
		objs, _ := manifest.Parse("f.yaml", []byte(src), manifest.DefaultLimits)
		for _, o := range objs {
			Validate(o)
		}
	})
}
