// Command imet is the outcome-tracking pipeline for the International
// Military Education and Training program. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/imet-project/imet/cmd/internal/cli"
)

func main() {
	restrictUmask()
	// IMET_CPUPROFILE=FILE writes a Go CPU profile of the command
	// (docs/performance.md); DuckDB's own threads show as _ExternalCode.
	var profile *os.File
	if path := os.Getenv("IMET_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "imet: IMET_CPUPROFILE:", err)
			os.Exit(1)
		}
		profile = f
	}
	// SIGINT and SIGTERM cancel the context (the SQL prompt keeps SIGINT
	// to stop the statement under way).
	ctx, stop := cli.Signals(context.Background())
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if profile != nil { // os.Exit runs no deferred call
		pprof.StopCPUProfile()
		profile.Close()
	}
	os.Exit(code)
}
