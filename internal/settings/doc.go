// Package settings is the one road from a command line to a grade: it
// resolves flags, the config and the rubric into one Settings value, runs
// the static phase with it, and turns a check result (and the dynamic
// phase's result, under verify) into the report. labcheck, labcheck verify
// and labcheck grade all go through it, so one input has one grade. It
// renders nothing and writes no file.
package settings
