// Command imet is the outcome-tracking pipeline for the International
// Military Education and Training program. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/imet-project/imet/cmd/internal/cli"
)

func main() {
	restrictUmask()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
