// Package rules embeds the grading rubrics; module02.yaml is the default.
package rules

import _ "embed"

// Module02 is the default rubric.
//
//go:embed module02.yaml
var Module02 []byte
