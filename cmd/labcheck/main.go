// Command labcheck grades and lints container-orchestration lab submissions.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/labcheck/labcheck/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
