// Package manifest reads multi-document YAML into objects, keeping the line
// of every field so that findings point at the offending key. It parses
// with kyaml (yaml.v3 nodes), resolves anchors and merge keys within fixed
// depth and size bounds, and judges nothing about what the objects mean.
package manifest
