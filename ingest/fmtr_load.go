package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

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
	log := l.logger().With("file", filepath.Base(path), "dataset", res.Dataset)
	body, err := os.ReadFile(path)
	if err != nil {
		return l.rejected(ctx, res, now, fmt.Sprintf("%s cannot be read: %v", filepath.Base(path), err))
	}
	sum := sha256.Sum256(body)
	res.SHA256 = hex.EncodeToString(sum[:])
	if done, err := l.alreadyLoaded(ctx, &res, log); done || err != nil {
		return res, err
	}
	l.step(path, "reading")
	rep, err := fmtr.Parse(bytes.NewReader(body), filepath.Base(path))
	if err != nil {
		return l.rejected(ctx, res, now, err.Error())
	}
	acts, totals, bad := rep.Counts()
	res.Rows = int64(acts + totals + bad)
	if res.Rows == 0 {
		return l.rejected(ctx, res, now, fmt.Sprintf("%s has a header but no rows: nothing to load", filepath.Base(path)))
	}
	l.step(path, "writing")
	tx, err := l.DB.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	if res.BatchID, err = nextBatch(ctx, tx); err != nil {
		return res, err
	}
	file := filepath.Base(path)
	var actRecs, totalRecs, badRecs []map[string]any
	repairs := map[string]int{}
	repaired := 0
	for i := range rep.Rows {
		r := &rep.Rows[i]
		key := fmtrKey(r)
		for _, rp := range r.Repairs {
			repairs[rp]++
		}
		if len(r.Repairs) > 0 {
			repaired++
		}
		switch r.Kind {
		case fmtr.KindActivity:
			actRecs = append(actRecs, map[string]any{
				"activity_key": key, "source": r.Source, "country_name": r.CountryName, "country_code": r.CountryCode,
				"program": r.Program, "sub_program": nullable(r.SubProgram), "fiscal_year": r.FiscalYear,
				"department": nullable(r.Department), "program_text": r.ProgramText, "course_title": nullable(r.CourseTitle),
				"us_unit": nullable(r.USUnit), "student_unit": nullable(r.StudentUnit), "location": nullable(r.Location),
				"start_date": date(r.Start), "end_date": date(r.End), "quantity": r.Quantity, "cost_usd": r.Cost,
				"repairs": nullable(strings.Join(r.Repairs, ",")), "warnings": nullable(strings.Join(r.Warnings, "; ")),
				"_row": r.Line,
			})
		case fmtr.KindTotal:
			totalRecs = append(totalRecs, map[string]any{
				"total_key": key, "source": r.Source, "country_code": r.CountryCode, "program": r.Program,
				"sub_program": nullable(r.SubProgram), "fiscal_year": r.FiscalYear, "quantity": r.Quantity, "cost_usd": r.Cost,
				"_row": r.Line,
			})
		default:
			raw, _ := json.Marshal(append([][]string{r.Raw}, r.Continued...))
			badRecs = append(badRecs, map[string]any{
				"line": r.Line, "column_name": nullable(r.Column), "value": nullable(fmtrValue(rep.Header, r)),
				"rule": r.Rule, "reason": r.Reason, "raw": string(raw), "record_key": key,
			})
		}
	}
	insert := func(name, table, keyCol, cols string, recs []map[string]any) (int64, error) {
		if len(recs) == 0 {
			return 0, nil
		}
		b, err := json.Marshal(recs)
		if err != nil {
			return 0, err
		}
		q := fmt.Sprintf(`INSERT INTO %[1]s BY NAME
			SELECT r.*, $2::BIGINT AS _batch_id, $3 AS _file, $4 AS _sha256
			FROM (SELECT unnest(from_json($1::JSON, '[{%[3]s}]'), recursive := true)) AS r
			WHERE r.%[2]s NOT IN (SELECT %[2]s FROM %[1]s)`, table, keyCol, cols)
		out, err := tx.ExecContext(ctx, q, string(b), res.BatchID, file, res.SHA256)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		return out.RowsAffected()
	}
	newActs, err := insert("activities", "fmtr_activities", "activity_key", fmtrActivityCols, actRecs)
	if err != nil {
		return res, err
	}
	newTotals, err := insert("totals", "fmtr_totals", "total_key", fmtrTotalCols, totalRecs)
	if err != nil {
		return res, err
	}
	if len(badRecs) > 0 {
		b, _ := json.Marshal(badRecs)
		// a bad row of a report loaded before stays quarantined once
		out, err := tx.ExecContext(ctx, `INSERT INTO quarantine (batch_id, file, line, dataset, column_name, value, rule, reason, raw, quarantined_at, record_key)
			SELECT $2, $3, r.line, $4, r.column_name, r.value, r.rule, r.reason, r.raw, $5, r.record_key
			FROM (SELECT unnest(from_json($1::JSON, '[{"line": "BIGINT", "column_name": "VARCHAR", "value": "VARCHAR", "rule": "VARCHAR",
				"reason": "VARCHAR", "raw": "VARCHAR", "record_key": "VARCHAR"}]'), recursive := true)) AS r
			WHERE r.record_key NOT IN (SELECT record_key FROM quarantine WHERE dataset = $4 AND record_key IS NOT NULL AND resolved_by IS NULL)`,
			string(b), res.BatchID, file, res.Dataset, now)
		if err != nil {
			return res, fmt.Errorf("quarantine: %w", err)
		}
		res.Quarantined, _ = out.RowsAffected()
	}
	res.Loaded = newActs + newTotals
	res.Unchanged = int64(acts+totals) - res.Loaded
	repJSON, _ := json.Marshal(repairs) // keys sorted: a stable text
	if _, err := tx.ExecContext(ctx, `INSERT INTO fmtr_reports (batch_id, file, format, data_lines, records, activities, totals,
			quarantined, new_rows, unchanged, repairs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		res.BatchID, file, rep.Format, rep.DataLines, res.Rows, acts, totals, bad, res.Loaded, res.Unchanged, string(repJSON)); err != nil {
		return res, fmt.Errorf("record report: %w", err)
	}
	if n := len(repairs); n > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d rows repaired (%s); see fmtr_activities.repairs and docs/fmtr.md", repaired, repairList(repairs)))
	}
	res.Status = StatusLoaded
	if err := recordLoad(ctx, tx, loadRecord{batch: res.BatchID, started: now, finished: l.now().UTC(), dataset: res.Dataset, file: file,
		sha256: res.SHA256, bytes: int64(len(body)), rows: res.Rows, loaded: res.Loaded, unchanged: res.Unchanged,
		bad: res.Quarantined, message: strings.Join(res.Warnings, "; ")}); err != nil {
		return res, err
	}
	if err := tx.Commit(); err != nil {
		return res, err
	}
	log.Info("loaded", "batch", res.BatchID, "rows", res.Rows, "new", res.Loaded, "unchanged", res.Unchanged, "quarantined", res.Quarantined)
	return res, nil
}

const (
	fmtrActivityCols = `"activity_key": "VARCHAR", "source": "VARCHAR", "country_name": "VARCHAR", "country_code": "VARCHAR",
		"program": "VARCHAR", "sub_program": "VARCHAR", "fiscal_year": "INTEGER", "department": "VARCHAR", "program_text": "VARCHAR",
		"course_title": "VARCHAR", "us_unit": "VARCHAR", "student_unit": "VARCHAR", "location": "VARCHAR", "start_date": "DATE",
		"end_date": "DATE", "quantity": "BIGINT", "cost_usd": "DECIMAL(18,2)", "repairs": "VARCHAR", "warnings": "VARCHAR", "_row": "BIGINT"`
	fmtrTotalCols = `"total_key": "VARCHAR", "source": "VARCHAR", "country_code": "VARCHAR", "program": "VARCHAR",
		"sub_program": "VARCHAR", "fiscal_year": "INTEGER", "quantity": "BIGINT", "cost_usd": "DECIMAL(18,2)", "_row": "BIGINT"`
)

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
