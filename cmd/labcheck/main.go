// Command labcheck grades and lints container-orchestration lab submissions.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"

	"github.com/labcheck/labcheck/internal/cli"
)

// memoryLimit is the heap size at which the garbage collector works
// harder again (a soft limit: Go's runtime never lets collecting take over
// the process).
const memoryLimit = 100 << 20

func main() {
	// GOGC and GOMEMLIMIT, when set, decide; otherwise the command's
	// garbage-collector target (cli.GCPercent says why) and a memory limit
	// that bounds grade's heap however large the class (GOGC=400 alone had
	// grown it to 198 MiB on 200 submissions).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(cli.GCPercent(os.Args[1:]))
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
