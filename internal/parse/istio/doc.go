// Package istio validates the spec of Istio objects against Istio's own API
// types (istio.io/api), reporting each unknown field, wrong type, invalid enum
// value or missing required field at its line. It judges one object at a
// time: cross-references between objects are left to the policies.
//
// Why protojson and not the CRDs' OpenAPI schemas: Istio's types are
// protobuf messages, and protojson is the decoder their JSON form is defined
// by, so what it rejects is exactly what Istio rejects. Its errors carry a
// position in the JSON it read; labcheck writes that JSON one key per line
// and so maps each error back to a field path and the student's YAML line.
// The message descriptors then name the fields and enum values that would
// have been valid (with a "did you mean"). The CRD file
// (kubernetes/customresourcedefinitions.gen.yaml, ~1 MB) would have to be
// embedded and parsed at start-up and needs a CEL engine for its rules.
package istio
