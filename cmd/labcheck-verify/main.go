// Command labcheck-verify runs labcheck's dynamic phase (kind, Docker,
// Helm, MinIO) and prints its result as JSON for `labcheck verify`. It is a
// separate executable so that the static `labcheck` never links, nor pays
// the start-up cost of, what the dynamic phase needs.
package main

import (
	"os"

	"github.com/labcheck/labcheck/internal/verify"
)

func main() {
	os.Exit(verify.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
