package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	"github.com/imet-project/imet/synth"
)

func runGenerate(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "generate", "--out DIR [--students N] [--seed S] [--format csv|csv.gz|ndjson|parquet|xlsx] [--selection]",
		"Write a synthetic IMET program as input files, deterministic for a seed: DIR/<dataset>/<dataset>.<ext>\n"+
			"(so DIR can serve as an inbox) and DIR/_truth/ (the planted bad rows, the true links behind\n"+
			"name variants, and the planted effects), for tests, benchmarks and demonstrations.")
	out := fs.String("out", "", "output folder (required)")
	students := fs.Int("students", 2000, "people to generate (participants and comparison peers)")
	seed := fs.Int64("seed", 1, "random seed")
	format := fs.String("format", "csv", "csv, csv.gz, ndjson, parquet or xlsx")
	clean := fs.Bool("clean", false, "plant no bad rows")
	selection := fs.Bool("selection", false, "plant a selection effect: comparison peers not matched on country and rank (see _truth/summary.json, planted.selection)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return &usageError{"--out DIR is required"}
	}
	if *students < 1 {
		return &usageError{"--students must be at least 1"}
	}
	if err := oneOf("format", *format, "csv", "csv.gz", "ndjson", "parquet", "xlsx"); err != nil {
		return err
	}
	start := time.Now()
	res, err := synth.Generate(ctx, *out, synth.Options{Students: *students, Seed: *seed, Format: *format, BadRows: !*clean, Selection: *selection})
	if err != nil {
		return err
	}
	printGenerated(e, *out, res, time.Since(start))
	return nil
}

func printGenerated(e *env, dir string, res synth.Result, took time.Duration) {
	names := make([]string, 0, len(res.Files))
	for n := range res.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	t := &table{cols: []string{"dataset", "file", "rows", "bad rows planted"}}
	total := 0
	for _, n := range names {
		name := res.Files[n]
		if rel, err := filepath.Rel(dir, name); err == nil {
			name = rel
		}
		t.rows = append(t.rows, []any{n, filepath.ToSlash(name), res.Rows[n], res.Bad[n]})
		total += res.Rows[n]
	}
	t.writeAligned(e.stdout)
	fmt.Fprintf(e.stdout, "Wrote %d rows to %s in %.1fs.\n", total, dir, took.Seconds())
}
