// Package config reads .labcheck.yaml: which labs to check, the failure
// threshold, waivers for findings that have no line, and grading choices.
// Unknown keys are errors, so a typo never silently changes a grade.
package config
