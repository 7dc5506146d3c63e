// Package check runs the static phase: it discovers each argument's files,
// parses them with the ecosystem's parsers (in parallel), assembles one
// input per lab and has the engine judge it. It returns findings; scoring
// and rendering them is left to grade and report.
package check
