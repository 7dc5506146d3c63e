// Package scaffold writes the files `labcheck init` gives a student
// repository (a commented .labcheck.yaml, a GitHub workflow and a
// pre-commit entry) or, with --instructor, the instructor's (a class list
// and the workflow that grades the class). It never overwrites a file
// unless told to.
package scaffold
