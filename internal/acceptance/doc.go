// Package acceptance holds tests of labcheck as its users meet it: the
// built binary behind the GitHub Action's script, the example workflow
// under actionlint, `labcheck init` in an empty repository, the
// pre-commit hook with the real pre-commit, and the repository's own
// Dockerfile under labcheck's Docker rules. It has no non-test code.
package acceptance
