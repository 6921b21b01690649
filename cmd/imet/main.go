// Command imet is the outcome-tracking pipeline for the International
// Military Education and Training program. See README.md.
package main

import (
	"context"
	"os"

	"github.com/imet-project/imet/cmd/internal/cli"
)

func main() {
	restrictUmask()
	// SIGINT and SIGTERM cancel the context (the SQL prompt keeps SIGINT
	// to stop the statement under way).
	ctx, stop := cli.Signals(context.Background())
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
