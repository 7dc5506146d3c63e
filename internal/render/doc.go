// Package render loads a Helm chart from files discovery already read and
// renders it with Helm's own engine, once with its default values and once
// per ci/*-values.yaml, as chart-testing does.
//
// It is a sandbox for untrusted charts: it must not read the file system
// (charts come in as bytes), reach a cluster (lookup has no client), resolve
// DNS or load remote schemas, and a render that runs past its time limit is
// abandoned and reported rather than waited for. It judges nothing: rules
// live in policies/helm.
package render
