package cli

import (
	"context"
	"fmt"
	"strings"
)

func runQuarantine(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "quarantine", "[--dataset NAME] [--file NAME] [--rule RULE] [--format table|csv|json|markdown]",
		"List the bad rows set aside by ingest: file, line, column, value, rule and a reason that says\n"+
			"what to fix. Correct the source file and drop it in the inbox again: rows that now load\n"+
			"resolve their quarantine entries (shown again with --all).")
	wsFlag := workspaceFlag(fs)
	dataset := fs.String("dataset", "", "only this dataset")
	file := fs.String("file", "", "only this file name")
	rule := fs.String("rule", "", "only this rule (required, type, allowed, range, date_order, reference, duplicate, formula, too_long, linkable, cohort, malformed)")
	format := fs.String("format", "table", "table, csv, json or markdown")
	limit := fs.Int("limit", 0, "at most this many rows (0: all)")
	summary := fs.Bool("summary", false, "counts by dataset and rule instead of rows")
	all := fs.Bool("all", false, "also rows resolved since (a later file loaded a valid row with the same key)")
	raw := fs.Bool("raw", false, "add each row as it was read (JSON)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := oneOf("format", *format, formats...); err != nil {
		return err
	}
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	db, err := openReader(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	var where []string
	var qargs []any
	if !*all {
		where = append(where, "resolved_by IS NULL")
	}
	for _, f := range []struct{ col, v string }{{"dataset", *dataset}, {"file", *file}, {"rule", *rule}} {
		if f.v != "" {
			where = append(where, f.col+" = ?")
			qargs = append(qargs, f.v)
		}
	}
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + strings.Join(where, " AND ")
	}
	cols := `batch_id, file, line, dataset, column_name AS "column", value, rule, reason`
	if *all {
		cols += ", resolved_by"
	}
	if *raw {
		cols += ", raw"
	}
	q := `SELECT ` + cols + ` FROM quarantine ` + cond + ` ORDER BY batch_id, line, rule`
	if *summary {
		q = `SELECT dataset, rule, count(*) AS problems, count(DISTINCT (batch_id, line)) AS rows FROM quarantine ` + cond + ` GROUP BY ALL ORDER BY dataset, rule`
	}
	if *limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", *limit)
	}
	rows, err := db.QueryContext(ctx, q, qargs...)
	if err != nil {
		return err
	}
	t, err := readTable(rows)
	if err != nil {
		return err
	}
	return t.write(e.stdout, *format)
}
