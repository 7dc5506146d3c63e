// Package verify runs the dynamic phase end to end: provision (kind),
// then per lab build or deploy, probe, and record every step as a timed
// DYN- check with its findings. It is linked only into labcheck-verify;
// the static path must never import it.
package verify
