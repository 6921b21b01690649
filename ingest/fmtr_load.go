package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/imet-project/imet/ingest/fmtr"
	"github.com/imet-project/imet/schemas"
)

// loadFMTR loads a Foreign Military Training Report file (raw scrape or
// Security Force Monitor's final dataset): activities, the printed totals
// and the report's quarantined rows, in one transaction. A row already in
// the warehouse (the same report loaded again, under any name) is counted
// unchanged, never twice.
func (l *Loader) loadFMTR(ctx context.Context, path string, now time.Time) (Result, error) {
	res := Result{File: path, Dataset: schemas.FMTRActivities}
	file := filepath.Base(path)
	log := l.logger().With("file", file, "dataset", res.Dataset)
	body, err := os.ReadFile(path)
	if err != nil {
		return l.rejected(ctx, res, now, fmt.Sprintf("%s cannot be read: %v", file, err))
	}
	sum := sha256.Sum256(body)
	res.SHA256 = hex.EncodeToString(sum[:])
	if done, err := l.alreadyLoaded(ctx, &res, log); done || err != nil {
		return res, err
	}
	l.step(path, "reading")
	rep, err := fmtr.Parse(bytes.NewReader(body), file)
	if err != nil {
		return l.rejected(ctx, res, now, err.Error())
	}
	recs := fmtrRecordsOf(rep)
	res.Rows = int64(len(rep.Rows))
	if res.Rows == 0 {
		return l.rejected(ctx, res, now, fmt.Sprintf("%s has a header but no rows: nothing to load", file))
	}
	l.step(path, "writing")
	restore, err := schemas.FitThreads(ctx, l.DB, res.Rows, 1)
	if err != nil {
		return res, err
	}
	defer restore()
	conn, err := l.DB.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("load %s: %w", file, err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("load %s: begin: %w", file, err)
	}
	defer tx.Rollback()
	if res.BatchID, err = nextBatch(ctx, tx); err != nil {
		return res, fmt.Errorf("load %s: %w", file, err)
	}
	if err := l.writeFMTR(ctx, conn, tx, &res, recs, now); err != nil {
		return res, fmt.Errorf("load %s: %w", file, err)
	}
	res.Warnings = append(res.Warnings, recs.summary(rep)...)
	if err := l.recordFMTR(ctx, tx, &res, rep, recs, len(body), now); err != nil {
		return res, fmt.Errorf("load %s: %w", file, err)
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("load %s: commit: %w", file, err)
	}
	log.Info("loaded", "batch", res.BatchID, "rows", res.Rows, "new", res.Loaded, "unchanged", res.Unchanged, "quarantined", res.Quarantined)
	return res, nil
}

// fmtrRecords are a parsed report's rows as the records writeFMTR writes,
// with the counts the file summary reports.
type fmtrRecords struct {
	acts, totals, bad []map[string]any
	repairs, warnings map[string]int // rows by repair rule, by warning rule
	badRules          map[string]int // quarantined rows by rule
	repaired, warned  int            // rows with a repair, with a warning
}

func fmtrRecordsOf(rep *fmtr.Report) *fmtrRecords {
	out := &fmtrRecords{repairs: map[string]int{}, warnings: map[string]int{}, badRules: map[string]int{}}
	for i := range rep.Rows {
		r := &rep.Rows[i]
		key := fmtrKey(r)
		for _, rp := range r.Repairs {
			out.repairs[rp]++
		}
		if len(r.Repairs) > 0 {
			out.repaired++
		}
		for _, w := range r.Warnings {
			rule, _, _ := strings.Cut(w, ":")
			out.warnings[rule]++
		}
		if len(r.Warnings) > 0 {
			out.warned++
		}
		switch r.Kind {
		case fmtr.KindActivity:
			out.acts = append(out.acts, map[string]any{
				"activity_key": key, "source": r.Source, "country_name": r.CountryName, "country_code": r.CountryCode,
				"program": r.Program, "sub_program": nullable(r.SubProgram), "fiscal_year": r.FiscalYear,
				"department": nullable(r.Department), "program_text": r.ProgramText, "course_title": nullable(r.CourseTitle),
				"us_unit": nullable(r.USUnit), "student_unit": nullable(r.StudentUnit), "location": nullable(r.Location),
				"start_date": date(r.Start), "end_date": date(r.End), "quantity": r.Quantity, "cost_usd": r.Cost,
				"repairs": nullable(strings.Join(r.Repairs, ",")), "warnings": nullable(strings.Join(r.Warnings, "; ")),
				"_row": r.Line,
			})
		case fmtr.KindTotal:
			out.totals = append(out.totals, map[string]any{
				"total_key": key, "source": r.Source, "country_code": r.CountryCode, "program": r.Program,
				"sub_program": nullable(r.SubProgram), "fiscal_year": r.FiscalYear, "quantity": r.Quantity, "cost_usd": r.Cost,
				"_row": r.Line,
			})
		default:
			out.badRules[r.Rule]++
			raw, _ := json.Marshal(append([][]string{r.Raw}, r.Continued...))
			out.bad = append(out.bad, map[string]any{
				"line": r.Line, "column_name": nullable(r.Column), "value": nullable(fmtrValue(rep.Header, r)),
				"rule": r.Rule, "reason": r.Reason, "raw": string(raw), "record_key": key,
			})
		}
	}
	return out
}

// summary is what the file summary of imet ingest says about the report
// beyond its counts: repairs, rows kept with a warning (unknown programs,
// costs not printed), the share quarantined and why, the file's notes.
func (f *fmtrRecords) summary(rep *fmtr.Report) []string {
	var out []string
	if len(f.repairs) > 0 {
		out = append(out, fmt.Sprintf("%s repaired (%s); see fmtr_activities.repairs and docs/fmtr.md", rowsText(f.repaired), repairList(f.repairs)))
	}
	if len(f.warnings) > 0 {
		out = append(out, fmt.Sprintf("%s kept as printed with a warning (%s); see fmtr_activities.warnings", rowsText(f.warned), repairList(f.warnings)))
	}
	if n := len(f.bad); n > 0 {
		out = append(out, fmt.Sprintf("%d of %d records quarantined (%.1f%%: %s); see imet quarantine", n, len(rep.Rows),
			100*float64(n)/float64(len(rep.Rows)), repairList(f.badRules)))
	}
	return append(out, rep.Notes...)
}

func rowsText(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

// writeFMTR inserts the activities, totals and quarantined rows that are
// not in the warehouse yet.
func (l *Loader) writeFMTR(ctx context.Context, conn *sql.Conn, tx *sql.Tx, res *Result, f *fmtrRecords, now time.Time) error {
	file := filepath.Base(res.File)
	insert := func(name, table, keyCol string, cols []string, recs []map[string]any) (int64, error) {
		if len(recs) == 0 {
			return 0, nil
		}
		stage, drop, err := stageText(ctx, conn, tx, name, cols, recs)
		if err != nil {
			return 0, err
		}
		defer drop()
		q := fmt.Sprintf(`INSERT INTO %[1]s BY NAME
			SELECT r.*, $1::BIGINT AS _batch_id, $2 AS _file, $3 AS _sha256
			FROM %[3]s AS r
			WHERE r.%[2]s NOT IN (SELECT %[2]s FROM %[1]s)`, table, keyCol, stage)
		out, err := tx.ExecContext(ctx, q, res.BatchID, file, res.SHA256)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		return out.RowsAffected()
	}
	newActs, err := insert("activities", "fmtr_activities", "activity_key", fmtrActivityCols, f.acts)
	if err != nil {
		return err
	}
	newTotals, err := insert("totals", "fmtr_totals", "total_key", fmtrTotalCols, f.totals)
	if err != nil {
		return err
	}
	res.Loaded = newActs + newTotals
	res.Unchanged = int64(len(f.acts)+len(f.totals)) - res.Loaded
	if len(f.bad) == 0 {
		return nil
	}
	stage, drop, err := stageText(ctx, conn, tx, "quarantine", fmtrBadCols, f.bad)
	if err != nil {
		return err
	}
	defer drop()
	// a bad row of a report loaded before stays quarantined once
	out, err := tx.ExecContext(ctx, `INSERT INTO quarantine BY NAME
		SELECT r.*, $1::BIGINT AS batch_id, $2 AS file, $3 AS dataset, $4::TIMESTAMP AS quarantined_at
		FROM `+stage+` AS r
		WHERE r.record_key NOT IN (SELECT record_key FROM quarantine WHERE dataset = $3 AND record_key IS NOT NULL AND resolved_by IS NULL)`,
		res.BatchID, file, res.Dataset, now)
	if err != nil {
		return fmt.Errorf("quarantine: %w", err)
	}
	res.Quarantined, _ = out.RowsAffected()
	return nil
}

// stageText puts records into a new temporary table of text columns,
// fmtr_stage_<name>, through DuckDB's appender, and returns its name and
// what drops it (also when a later step fails or is cancelled). An
// INSERT … BY NAME from it lets the target table's DDL cast each value to
// its column's type: many times faster than the same rows as one JSON
// value, and no list of types in Go.
func stageText(ctx context.Context, conn *sql.Conn, tx *sql.Tx, name string, cols []string, recs []map[string]any) (string, func(), error) {
	stage := "fmtr_stage_" + name
	drop := func() { tx.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS temp.main."+stage) }
	defs := make([]string, len(cols))
	for i, c := range cols {
		defs[i] = ident(c) + " VARCHAR"
	}
	if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+stage+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return "", nil, fmt.Errorf("%s: %w", name, err)
	}
	err := appendRows(ctx, conn, stage, func(app *duckdb.Appender) error {
		row := make([]driver.Value, len(cols))
		for _, rec := range recs {
			for i, c := range cols {
				row[i] = textValue(rec[c])
			}
			if err := app.AppendRow(row...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		drop()
		return "", nil, fmt.Errorf("%s: %w", name, err)
	}
	return stage, drop, nil
}

// recordFMTR writes the report's row of fmtr_reports, the file ledger and
// the batch.
func (l *Loader) recordFMTR(ctx context.Context, tx *sql.Tx, res *Result, rep *fmtr.Report, f *fmtrRecords, size int, now time.Time) error {
	file := filepath.Base(res.File)
	repJSON, _ := json.Marshal(f.repairs) // keys sorted: a stable text
	warnJSON, _ := json.Marshal(f.warnings)
	notes := rep.Notes
	if notes == nil {
		notes = []string{}
	}
	notesJSON, _ := json.Marshal(notes)
	if _, err := tx.ExecContext(ctx, `INSERT INTO fmtr_reports (batch_id, file, format, data_lines, records, activities, totals,
			quarantined, new_rows, unchanged, repairs, warnings, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		res.BatchID, file, rep.Format, rep.DataLines, res.Rows, len(f.acts), len(f.totals), len(f.bad), res.Loaded, res.Unchanged,
		string(repJSON), string(warnJSON), string(notesJSON)); err != nil {
		return fmt.Errorf("record report: %w", err)
	}
	res.Status = StatusLoaded
	return recordLoad(ctx, tx, loadRecord{batch: res.BatchID, started: now, finished: l.now().UTC(), dataset: res.Dataset, file: file,
		sha256: res.SHA256, bytes: int64(size), rows: res.Rows, loaded: res.Loaded, unchanged: res.Unchanged,
		bad: res.Quarantined, message: strings.Join(res.Warnings, "; ")})
}

// The columns of the report rows written from Go (the rest are the
// batch's provenance); their types are the tables' own.
var (
	fmtrActivityCols = []string{"activity_key", "source", "country_name", "country_code", "program", "sub_program", "fiscal_year",
		"department", "program_text", "course_title", "us_unit", "student_unit", "location", "start_date", "end_date", "quantity",
		"cost_usd", "repairs", "warnings", "_row"}
	fmtrBadCols   = []string{"line", "column_name", "value", "rule", "reason", "raw", "record_key"}
	fmtrTotalCols = []string{"total_key", "source", "country_code", "program", "sub_program", "fiscal_year", "quantity", "cost_usd", "_row"}
)

// textValue is a record's value as the text a VARCHAR stage column holds
// (nil for NULL): numbers in Go's shortest exact form, which the
// table's DDL casts to its types.
func textValue(v any) driver.Value {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case *int64:
		if x == nil {
			return nil
		}
		return strconv.FormatInt(*x, 10)
	case *float64:
		if x == nil {
			return nil
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// fmtrKey identifies a row of a report however the file is named: Security
// Force Monitor's id where the file has one, else the report's document
// number, the row's fingerprint and its occurrence among identical rows.
func fmtrKey(r *fmtr.Row) string {
	if r.ID != "" {
		return "sfm:" + r.ID
	}
	return r.Source + "|" + r.Fingerprint + "|" + strconv.Itoa(r.Occurrence)
}

// fmtrValue is the printed value of the column a bad row is faulted for.
func fmtrValue(header []string, r *fmtr.Row) string {
	for i, h := range header {
		if h == r.Column && i < len(r.Raw) {
			return r.Raw[i]
		}
	}
	return ""
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func date(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(time.DateOnly)
}

func repairList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
