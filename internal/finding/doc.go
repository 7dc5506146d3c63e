// Package finding holds the vocabulary every step shares: labs, severities
// and the Finding a rule reports. It has no behaviour beyond ordering and
// parsing these values, and imports nothing of labcheck.
package finding
