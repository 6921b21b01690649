package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// quality is the data-quality page: what validation set aside (counts by
// dataset and rule, never the values), how records were linked, how fresh
// each source is, and the quality of each Foreign Military Training Report
// file, for one transform (?as_of=&vintage=, the headline by default).
func (s *Server) quality(r *request) (*Page, error) {
	t, filters, err := r.pickTransform()
	if err != nil {
		return nil, err
	}
	p := &Page{
		Title:   "Data quality",
		Lead:    "How far the numbers can be trusted: the rows validation set aside, how records were linked to students, how recent each source is, and the quality of each Foreign Military Training Report file. Counts only: the values set aside are never shown here.",
		Filters: filters,
	}
	comments, err := r.columnComments("quarantine", "data_quality", "fmtr_quality")
	if err != nil {
		return nil, err
	}
	com := columnDocs(comments)
	quar, err := r.quarantineTable(com)
	if err != nil {
		return nil, err
	}
	linking, fresh, rules, err := r.qualityTopics(t, com)
	if err != nil {
		return nil, err
	}
	fcols, sel := fmtrColumns(com)
	if r.public() {
		// A share beside a withheld count would give the count back.
		for _, t := range []*Table{linking, rules} {
			t.withhold(s.opt.MinCell)
			for _, row := range t.Rows {
				if row[2] == withheld {
					row[3] = withheld
				}
			}
		}
	}

	fmtr, err := r.table("fmtr_quality", "Foreign Military Training Report files", fcols, `SELECT `+sel+` FROM fmtr_quality ORDER BY file`)
	if err != nil {
		return nil, fmt.Errorf("read fmtr_quality: %w", err)
	}
	fmtr.Sortable = true

	p.Tables = []*Table{quar, linking, fresh, rules, fmtr}
	p.Notes = []string{
		"Quarantine: rows of the input files that broke a rule of the input contract (docs/schema.md, Quarantine rules) and were not loaded. A row broken in two columns counts once per column. 'Resolved' rows were later sent again, valid. The values at fault are never shown on this page; see the quarantine files of the workspace.",
		"Linking: how records of other datasets (post holders, flags) were matched to a student: by id, by exact name or by a fuzzy name match reviewed or accepted; 'unlinked' rows match no student. Metrics that count linked records read beside these shares.",
		"Freshness: the latest dated record on or before D of each dataset, and when its last file was loaded. A source that stops early makes every later period of its metrics incomplete.",
		"Foreign Military Training Report: each file's records, repairs made while reading the printed report, and whether its activities add up to the report's own printed totals. The report is public, so its counts are shown in the public view too.",
		fmt.Sprintf("Linking, freshness and the transform's quarantine shares are those of the transform %s.", t),
	}
	return p, nil
}

// columnDocs are the comments of the snapshot's columns, keyed
// "table.column" (columnComments).
type columnDocs map[string]string

// column is the column name of table, with the comment the snapshot
// gives it.
func (com columnDocs) column(table, name, label, unit string, count bool) Column {
	return Column{Name: name, Label: label, Unit: unit, Count: count, Comment: com[table+"."+name]}
}

// quarantineTable is the quarantine by dataset and rule: the rows set
// aside, still open and resolved, never their values.
func (r *request) quarantineTable(com columnDocs) (*Table, error) {
	quar, err := r.table("quarantine", "Quarantine by dataset and rule", []Column{
		com.column("quarantine", "dataset", "Dataset", "", false),
		com.column("quarantine", "rule", "Rule", "", false),
		{Name: "columns", Label: "Columns at fault", Comment: "the columns the rule found at fault"},
		{Name: "rows", Label: "Rows set aside", Unit: "count", Count: true, Comment: "quarantined rows (one row per column at fault)"},
		{Name: "open", Label: "Still open", Unit: "count", Count: true, Comment: "rows no later file has replaced with a valid row of the same key"},
		{Name: "resolved", Label: "Resolved", Unit: "count", Count: true, Comment: "rows a later batch replaced with a valid row of the same key"},
		{Name: "files", Label: "Files", Unit: "count", Comment: "files the rows came from"},
		{Name: "last_seen", Label: "Last set aside", Comment: "when the last of them was set aside (UTC)"},
	}, `SELECT dataset, rule, string_agg(DISTINCT column_name, ', ' ORDER BY column_name),
	count(*), count(*) FILTER (WHERE resolved_by IS NULL), count(resolved_by), count(DISTINCT file), max(quarantined_at)
FROM quarantine GROUP BY dataset, rule ORDER BY dataset, rule`)
	if err != nil {
		return nil, fmt.Errorf("read the quarantine: %w", err)
	}
	quar.Sortable = true
	return quar, nil
}

// qualityTopics are transform t's linking, freshness and open-quarantine
// tables, each read from data_quality.
func (r *request) qualityTopics(t transformKey, com columnDocs) (linking, fresh, rules *Table, err error) {
	linking, err = r.dataQuality(t, com, "linking", "Linking of records to students", "linking", "Method",
		com.column("data_quality", "rows", "Rows", "count", true), com.column("data_quality", "share", "Share of the dataset", "share", false))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read data_quality: %w", err)
	}
	fresh, err = r.dataQuality(t, com, "freshness", "Source freshness", "freshness", "",
		Column{Name: "rows", Label: "Files loaded", Unit: "count", Comment: com["data_quality.rows"]},
		com.column("data_quality", "latest_date", "Latest date on or before D", "", false),
		com.column("data_quality", "latest_load", "Latest load (UTC)", "", false))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read data_quality: %w", err)
	}
	rules, err = r.dataQuality(t, com, "quarantine_open", "Quarantine still open at D, as the transform counted it", "quarantine", "Rule",
		com.column("data_quality", "rows", "Rows", "count", true), com.column("data_quality", "share", "Share of the dataset's quarantined rows", "share", false))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read data_quality: %w", err)
	}
	return linking, fresh, rules, nil
}

// dataQuality is the table name of transform t's data_quality rows of
// topic: the dataset, the key (labelled keyLabel; none when "") and the
// extra columns.
func (r *request) dataQuality(t transformKey, com columnDocs, name, caption, topic, keyLabel string, extra ...Column) (*Table, error) {
	cols := []Column{com.column("data_quality", "dataset", "Dataset", "", false)}
	sel := "dataset"
	if keyLabel != "" {
		cols = append(cols, com.column("data_quality", "key", keyLabel, "", false))
		sel += ", key"
	}
	cols = append(cols, extra...)
	for _, x := range extra {
		sel += ", " + x.Name
	}
	return r.table(name, caption, cols, `SELECT `+sel+` FROM data_quality
WHERE topic = ? AND as_of = ?::DATE AND vintage = ? ORDER BY dataset, key`, topic, t.AsOf.Format(time.DateOnly), t.Vintage)
}

// fmtrColumns are the columns of the Foreign Military Training Report
// files' table and the select list that reads them.
func fmtrColumns(com columnDocs) ([]Column, string) {
	c := com.column
	fcols := []Column{c("fmtr_quality", "batch_id", "Batch", "", false), c("fmtr_quality", "file", "File", "", false), c("fmtr_quality", "format", "Format", "", false)}
	// The Foreign Military Training Report is a public document: what its
	// files hold is not withheld (and its columns add up, so withholding
	// one would not hide it).
	for _, n := range []string{"data_lines", "records", "activities", "totals", "quarantined", "new_rows", "unchanged"} {
		fcols = append(fcols, c("fmtr_quality", n, n, "count", false))
	}
	fcols = append(fcols, c("fmtr_quality", "quarantined_share", "quarantined share", "share", false))
	for _, n := range []string{"groups_matching", "groups_differing", "groups_without_total", "groups_matching_rounded"} {
		fcols = append(fcols, c("fmtr_quality", n, n, "count", false))
	}
	fcols = append(fcols, c("fmtr_quality", "dollars_not_reconciled", "dollars not reconciled", "dollars", false),
		c("fmtr_quality", "students_not_reconciled", "trainees not reconciled", "count", false))
	for _, n := range []string{"repairs", "quarantined_by_rule", "warnings", "notes"} {
		fcols = append(fcols, c("fmtr_quality", n, n, "", false))
	}
	sel := ""
	for i, x := range fcols {
		if i > 0 {
			sel += ", "
		}
		sel += x.Name
		if x.Name == "students_not_reconciled" {
			sel += "::BIGINT"
		}
		if x.Name == "dollars_not_reconciled" {
			sel += "::DOUBLE"
		}
	}
	return fcols, sel
}

// pickTransform is the transform a page shows: ?as_of=YYYY-MM-DD and
// ?vintage=N, each defaulting to the headline's, with the filters that
// choose them.
func (r *request) pickTransform() (transformKey, []*Filter, error) {
	head, err := r.headline()
	if err != nil {
		return head, nil, err
	}
	all, err := r.transforms()
	if err != nil {
		return head, nil, err
	}
	k := head
	if v := r.URL.Query().Get("as_of"); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return k, nil, badf("as_of=%s: give a date YYYY-MM-DD", v)
		}
		k.AsOf = d
	}
	if v := r.URL.Query().Get("vintage"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return k, nil, badf("vintage=%s: give a batch number", v)
		}
		k.Vintage = n
	}
	found := false
	asOf := &Filter{Name: "as_of", Label: "D (period end)", Value: k.AsOf.Format(time.DateOnly)}
	vint := &Filter{Name: "vintage", Label: "Vintage", Value: strconv.FormatInt(k.Vintage, 10)}
	seenD, seenV := map[string]bool{}, map[int64]bool{}
	for _, x := range all {
		found = found || x == k
		if d := x.AsOf.Format(time.DateOnly); !seenD[d] {
			seenD[d] = true
			label := d
			if x.AsOf.Equal(head.AsOf) {
				label += " (headline)"
			}
			asOf.Options = append(asOf.Options, Option{Value: d, Label: label})
		}
		if !seenV[x.Vintage] {
			seenV[x.Vintage] = true
			vint.Options = append(vint.Options, Option{Value: strconv.FormatInt(x.Vintage, 10), Label: strconv.FormatInt(x.Vintage, 10)})
		}
	}
	if !found {
		return k, nil, fmt.Errorf("%w: the snapshot holds no transform %s (it holds %s)", errNotFound, k, listTransforms(all))
	}
	return k, []*Filter{asOf, vint}, nil
}

func listTransforms(ks []transformKey) string {
	out := ""
	for i, k := range ks {
		if i > 0 {
			out += "; "
		}
		out += k.String()
	}
	return out
}

// columnComments reads the comments of the snapshot's columns of tables,
// keyed "table.column".
func (r *request) columnComments(tables ...string) (map[string]string, error) {
	out := map[string]string{}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(tables)), ", ")
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	rows, err := r.query(`SELECT table_name, column_name, coalesce(comment, '') FROM duckdb_columns() WHERE table_name IN (`+marks+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("read column comments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t, c, com string
		if err := rows.Scan(&t, &c, &com); err != nil {
			return nil, fmt.Errorf("read column comments: %w", err)
		}
		out[t+"."+c] = com
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read column comments: %w", err)
	}
	return out, nil
}
