// Package release grades Lab 3 for real: it installs the student's chart
// with Helm's Go SDK (action.Install) into its own namespace, after the
// security gate has seen every rendered object and hook, waits for it with
// explanations, and runs its `helm test` hooks. It never reads a chart from
// outside the submission and never passes host values into the release.
package release
