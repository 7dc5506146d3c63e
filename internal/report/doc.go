// Package report renders a graded run in each output format. A format is
// one Renderer in formats; renderers only read the Report they are given
// and never change what was found or scored.
package report
