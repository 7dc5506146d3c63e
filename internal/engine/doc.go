// Package engine compiles the Rego policies once per process and evaluates
// a lab's input against them, turning each `deny` result into a Finding
// with the rule's metadata. It knows nothing of files or parsers: inputs
// arrive as plain values, and rules are read from the policies' METADATA.
package engine
