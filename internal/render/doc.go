// Package render loads a Helm chart from files discovery already read and
// renders it with Helm's own engine, with its default values and with each
// ci/*-values.yaml, inside a sandbox (no file system, cluster, DNS or remote
// schema; a time limit). It judges nothing: rules live in policies/helm.
// README.md describes the release it renders, the sandbox and how rendered
// lines are mapped back to template lines.
package render
