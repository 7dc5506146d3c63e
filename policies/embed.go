// Package policies embeds labcheck's Rego policies: one package per rule
// under policies/<lab>/, shared helpers under policies/lib/, and a
// _test.rego beside every file; and the catalog of the dynamic phase's
// checks (dynamic/checks.yaml), which no policy decides.
package policies

import "embed"

// FS holds the policy tree and its metadata index (index.json, see
// engine.IndexFile). Test files are embedded too, so that `labcheck test`
// and the Go tests see exactly what ships.
//
//go:embed */*.rego index.json
var FS embed.FS

// DynamicChecks is the catalog of the dynamic phase's checks: the one
// definition of every DYN rule (see internal/dynamic.Catalog).
//
//go:embed dynamic/checks.yaml
var DynamicChecks []byte
