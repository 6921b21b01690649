package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/imet-project/imet/cmd/internal/schedule"
	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
)

func runQuarantine(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "quarantine", "[--workspace DIR] [--dataset NAME] [--file NAME] [--rule RULE] [--summary] [--all] [--raw]\n"+
		"  [--limit N] [--format table|csv|json|markdown]",
		"List the bad rows set aside by ingest: file, line, column, value, rule and a reason that says\n"+
			"what to fix. Correct the source file and drop it in the inbox again: rows that now load\n"+
			"resolve their quarantine entries (shown again with --all). It reads the live warehouse, so a\n"+
			"load's bad rows show at once; while another process writes it, the published snapshot.\n"+
			"Values of personal columns and flag rows are blank and student ids pseudonyms, as in the\n"+
			"snapshot, unless imet.toml sets include_personal or --raw asks for the rows as sent.")
	wsFlag := workspaceFlag(fs)
	dataset := fs.String("dataset", "", "only this dataset")
	file := fs.String("file", "", "only this file name")
	rule := fs.String("rule", "", "only this rule ("+strings.Join(ruleNames(), ", ")+", or one of the FMTR reader's, docs/fmtr.md)")
	format := fs.String("format", "table", "table, csv, json or markdown")
	limit := fs.Int("limit", 0, "at most this many rows (0: all)")
	summary := fs.Bool("summary", false, "counts by dataset and rule instead of rows")
	all := fs.Bool("all", false, "also rows resolved since (a later file loaded a valid row with the same key)")
	raw := fs.Bool("raw", false, "add each row as it was read (JSON), and show every value as sent: personal data, for whoever corrects the file")
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
	db, published, closeAll, err := openQuarantine(ctx, e, ws)
	if err != nil {
		return err
	}
	defer closeAll()
	if *rule != "" {
		if err := knownRule(ctx, db, *rule); err != nil {
			return err
		}
	}
	// What leaves the warehouse follows the snapshot's rule, unless the
	// rows are asked for as sent.
	p, err := ws.privacy()
	if err != nil {
		return err
	}
	if *raw || published { // the snapshot's quarantine is published already
		p = reports.Privacy{IncludePersonal: true}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := p.Prepare(ctx, conn); err != nil {
		return err
	}
	q, qargs := quarantineListing(quarantineAsk{dataset: *dataset, file: *file, rule: *rule, all: *all, raw: *raw, summary: *summary, limit: *limit}, p)
	rows, err := conn.QueryContext(ctx, q, qargs...)
	if err != nil {
		return err
	}
	t, err := readTable(rows)
	if err != nil {
		return err
	}
	return t.write(e.stdout, *format)
}

// quarantineAsk is what imet quarantine was asked to list.
type quarantineAsk struct {
	dataset, file, rule string
	all, raw, summary   bool
	limit               int
}

// quarantineListing is the query of imet quarantine's rows (or, with
// summary, counts by dataset and rule) and its arguments, over the
// quarantine as p publishes it.
func quarantineListing(a quarantineAsk, p reports.Privacy) (string, []any) {
	var where []string
	var qargs []any
	if !a.all {
		where = append(where, "resolved_by IS NULL")
	}
	for _, f := range []struct{ col, v string }{{"dataset", a.dataset}, {"file", a.file}, {"rule", a.rule}} {
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
	if a.all {
		cols += ", resolved_by"
	}
	if a.raw {
		cols += ", raw"
	}
	from := "(" + reports.QuarantineQuery(p) + ") AS quarantine "
	q := `SELECT ` + cols + ` FROM ` + from + cond + ` ORDER BY batch_id, line, rule`
	if a.summary {
		q = `SELECT dataset, rule, count(*) AS problems, count(DISTINCT (batch_id, line)) AS rows FROM quarantine ` + cond + ` GROUP BY ALL ORDER BY dataset, rule`
	}
	if a.limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", a.limit)
	}
	return q, qargs
}

func ruleNames() []string {
	var names []string
	for _, r := range schemas.Rules {
		names = append(names, r.Name)
	}
	return names
}

// knownRule refuses a rule that is neither one of the contract's nor one
// the quarantine holds (the FMTR reader has rules of its own).
func knownRule(ctx context.Context, db *sql.DB, rule string) error {
	known := ruleNames()
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT rule FROM quarantine ORDER BY 1`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return err
		}
		if !slices.Contains(known, r) {
			known = append(known, r)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return oneOf("rule", rule, known...)
}

// openQuarantine opens what the quarantine is read from: the live
// warehouse, read-only, so that the rows a load just set aside (and their
// raw text) show at once. Unlike imet sql it reads the warehouse: the person
// correcting files needs those rows before any run publishes them. It holds
// the workspace lock shared while it reads, so a writer starting meanwhile
// waits instead of failing to open the file; when a writer holds the lock,
// it reads the published snapshot instead (without the raw rows) and says
// so (published: its quarantine is the public one already).
func openQuarantine(ctx context.Context, e *env, ws *workspace) (db *sql.DB, published bool, closeAll func(), err error) {
	if !ws.exists() {
		return nil, false, nil, notWorkspace(ws.Root)
	}
	lock, err := schedule.AcquireShared(ctx, ws.lockPath(), "quarantine", 0, nil)
	if errors.Is(err, schedule.ErrBusy) {
		if _, serr := os.Stat(ws.Snapshot); serr != nil {
			return nil, false, nil, err
		}
		fmt.Fprintf(e.stderr, "imet quarantine: %v; showing the published snapshot instead.\n", err)
		db, err := schemas.OpenReadOnly(ctx, ws.Snapshot)
		if err != nil {
			return nil, false, nil, err
		}
		return db, true, func() { db.Close() }, nil
	}
	if err != nil {
		return nil, false, nil, err
	}
	if db, err = schemas.OpenReadOnly(ctx, ws.Warehouse); err != nil {
		lock.Release()
		return nil, false, nil, err
	}
	return db, false, func() { db.Close(); lock.Release() }, nil
}
