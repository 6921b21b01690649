package cli

import (
	"context"
	"fmt"

	"github.com/imet-project/imet/reports"
)

func exportLake(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "export lake", "--out DIR",
		"Write every public table (what the published snapshot holds) as Parquet, Hive-partitioned\n"+
			"by fiscal_year where a table has one (DIR/enrollments/fiscal_year=2026/…), with\n"+
			"DIR/manifest.json listing each table's columns, types, descriptions and row count.\n"+
			"Spark, Trino, Athena or DuckDB read it as it is. The folder appears whole: an existing\n"+
			"lake at DIR is replaced only once the new one is complete.")
	wsFlag := workspaceFlag(fs)
	out := fs.String("out", "", "folder to write (required)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return &usageError{"--out DIR is required"}
	}
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	if err := ws.checkOut(*out); err != nil {
		return err
	}
	db, closeAll, err := openExport(ctx, ws, "export lake")
	if err != nil {
		return err
	}
	defer closeAll()
	p, err := ws.privacy()
	if err != nil {
		return err
	}
	m, err := reports.Lake(ctx, db, *out, p, "imet "+Version)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range m.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(e.stdout, "Wrote %s: %d tables, %d rows, manifest.json.\n", *out, len(m.Tables), rows)
	return nil
}
