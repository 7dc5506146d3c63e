// Package gradebook grades a class: many submissions, checked in parallel
// with one compiled policy set, each bounded in time and shielded from the
// others, written out as CSV and JSON rows. A submission that breaks is a
// row with an error, never the end of the run.
package gradebook
