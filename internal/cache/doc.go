// Package cache is labcheck's content-addressed result cache: entries
// under the user's cache folder, each named by a key that digests every
// input that can change the result stored in it. An entry is written to a
// temporary file and renamed into place, so concurrent runs see a whole
// entry or none; one that is corrupt or written for another key is
// ignored, never trusted; the folder is kept under a size bound by
// removing the entries used least recently.
package cache
