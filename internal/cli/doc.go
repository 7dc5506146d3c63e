// Package cli is labcheck's command line: it parses flags, wires the
// static pipeline (check, grade, report) together and maps the outcome to
// an exit code. Run is everything main does, so every command runs
// in-process in tests.
package cli
