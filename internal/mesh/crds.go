package mesh

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/labcheck/labcheck/internal/deploy"
)

// Refresh with: go generate ./internal/mesh
//go:generate sh -c "cp \"$(go list -m -f '{{.Dir}}' istio.io/api)/kubernetes/customresourcedefinitions.gen.yaml\" crds/istio-crds.gen.yaml && chmod 644 crds/istio-crds.gen.yaml"

// istioCRDs are the CustomResourceDefinitions of the istio.io/api version
// go.mod names.
//
//go:embed crds/istio-crds.gen.yaml
var istioCRDs []byte

// CRDs returns Istio's CustomResourceDefinitions as objects to apply.
func CRDs() ([]*deploy.Object, error) {
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(istioCRDs), 64<<10)
	var out []*deploy.Object
	for {
		doc := map[string]any{}
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("istio CRDs: %w", err)
		}
		if doc["kind"] != "CustomResourceDefinition" {
			continue
		}
		o, err := deploy.NewObject("", 0, nil, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
}
