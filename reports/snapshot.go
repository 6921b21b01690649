package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// snapshotTable is one table of the published snapshot.
type snapshotTable struct {
	name, query, comment string
	source               string // the warehouse table or view it reads, whose column comments it carries; skipped when absent
	update               updateKind
}

// updateKind is how a publish that updates the last snapshot brings the
// table up to date (snapshot_update.go).
type updateKind int

const (
	whole    updateKind = iota // written anew
	byKey                      // a dataset: the rows of the keys batches since wrote, replaced or linked
	byPerson                   // a model: the rows of the people the headline transforms since rebuilt
	byRun                      // kept per D and vintage: the rows of the transforms since
)

// tableDoc is what the published table holds: its words here, or (a view
// whose words live in its migration) its source's COMMENT in the warehouse.
func (t snapshotTable) tableDoc(ctx context.Context, conn *sql.Conn) (string, error) {
	if t.comment != "" {
		return t.comment, nil
	}
	var doc sql.NullString
	err := conn.QueryRowContext(ctx, `SELECT comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?
		UNION ALL SELECT comment FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND view_name = ?`, t.source, t.source).Scan(&doc)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("read the comment of %s: %w", t.source, err)
	}
	if doc.String == "" {
		return Undocumented, nil
	}
	return doc.String, nil
}

// columnDocs are the warehouse's comments on the columns t publishes.
func (t snapshotTable) columnDocs(ctx context.Context, conn *sql.Conn) (map[string]string, error) {
	return schemas.ColumnComments(ctx, conn, "", t.source)
}

// Undocumented is the comment a column gets when no description is known;
// the tests hold that no published column has it.
const Undocumented = "(not documented)"

// Privacy says what the snapshot and the lake take out of the warehouse:
// with IncludePersonal, every table as stored (names, birth years, ids,
// human-rights flag detail and link review); without, the public tables
// only, each person's identifier replaced by its keyed pseudonym
// (schemas.Pseudonym with Key, which stays in the workspace: it is never
// written into a snapshot or a lake).
type Privacy struct {
	IncludePersonal bool
	Key             []byte // the workspace's pseudonym key; needed unless IncludePersonal
}

// pseudonyms defines pseudonym(x) on conn, and the table of ids already
// hashed (pseudonym_ids, filled by published), unless everything is
// published as stored.
func (p Privacy) pseudonyms(ctx context.Context, conn *sql.Conn) error {
	if p.IncludePersonal {
		return nil
	}
	q, err := schemas.PseudonymMacro(p.Key)
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("define pseudonym(): %w", err)
	}
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE pseudonym_ids (id VARCHAR, pseudonym VARCHAR)`); err != nil {
		return fmt.Errorf("define pseudonym(): %w", err)
	}
	return nil
}

// published is the query that publishes t: the table's own, with every
// person's identifier column it has replaced by its pseudonym unless p
// publishes everything as stored.
//
// Each distinct id is hashed once, into pseudonym_ids, and the rows take
// their pseudonyms from it by a join: two SHA-256s for every row of every
// id column (pseudonym() in the projection) took 9 of a 100,000-person
// snapshot's 22 seconds, for 2M career events naming 100,000 people. The
// rows come in the join's order, which a table does not promise anyway:
// numbering them and sorting them back into the warehouse's order cost a
// quarter of the publish (100,000 people: 12.4 s against 9.6 s).
func (p Privacy) published(ctx context.Context, conn *sql.Conn, t snapshotTable) (string, error) {
	if p.IncludePersonal {
		return t.query, nil
	}
	cols, err := describe(ctx, conn, t.query)
	if err != nil {
		return "", fmt.Errorf("publish %s: %w", t.name, err)
	}
	ids := schemas.PersonIDColumns()
	var repl, joins []string
	for _, c := range cols {
		if !slices.Contains(ids, c[0]) {
			continue
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`INSERT INTO temp.pseudonym_ids
			SELECT id, pseudonym(id) FROM (SELECT DISTINCT %[1]s::VARCHAR AS id FROM (%[2]s) WHERE %[1]s IS NOT NULL)
			WHERE id NOT IN (SELECT id FROM temp.pseudonym_ids)`, c[0], t.query)); err != nil {
			return "", fmt.Errorf("publish %s: the pseudonyms of %s: %w", t.name, c[0], err)
		}
		m := fmt.Sprintf("_p%d", len(repl))
		repl = append(repl, fmt.Sprintf("%s.pseudonym AS %s", m, c[0]))
		joins = append(joins, fmt.Sprintf("LEFT JOIN temp.pseudonym_ids %[1]s ON %[1]s.id = q.%[2]s::VARCHAR", m, c[0]))
	}
	if len(repl) == 0 {
		return t.query, nil
	}
	return fmt.Sprintf("SELECT q.* REPLACE (%s) FROM (%s) q %s",
		strings.Join(repl, ", "), t.query, strings.Join(joins, " ")), nil
}

// PseudonymNote is what a published column of people's ids says of its
// values, after the warehouse's words for the column.
const PseudonymNote = "Published as a pseudonym: the first 16 hex digits of HMAC-SHA256 of the id under the workspace's key, the same person's in every table, the lake and imet explain."

// columnDoc is a published column's comment: the warehouse's words (or
// Undocumented), and PseudonymNote for a column of ids p publishes as
// pseudonyms.
func (p Privacy) columnDoc(name, doc string) string {
	if doc == "" {
		doc = Undocumented
	}
	if !p.IncludePersonal && slices.Contains(schemas.PersonIDColumns(), name) {
		doc = strings.TrimSuffix(strings.TrimSpace(doc), ".") + ". " + PseudonymNote
	}
	return doc
}

// Publish writes the analysts' snapshot of the warehouse to path, whole or
// not at all: a new DuckDB file is filled beside it and renamed over it, so
// a reader that has the old file open keeps reading the old one. Personal
// columns (names, birth years), human-rights flag detail and link review
// are left out, and people's ids are pseudonyms, unless p.IncludePersonal;
// then the file is readable by its owner only (0600). Every table and
// column carries a COMMENT.
//
// The new file is a copy of the last snapshot brought up to date, when
// the warehouse wrote that snapshot and it is still as written
// (planPublish): only the rows the batches and transforms since can
// change are written (snapshot_update.go). With full, or when it cannot
// be, every table is written anew. How says which, and why.
func Publish(ctx context.Context, db *sql.DB, path string, p Privacy, full bool) (pub Published, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return pub, err
	}
	defer conn.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return pub, err
	}
	if err := p.pseudonyms(ctx, conn); err != nil {
		return pub, err
	}
	restore, err := schemas.FitThreads(ctx, conn, 0, 1)
	if err != nil {
		return pub, err
	}
	defer restore()
	plan, err := planPublish(ctx, conn, path, p, full)
	if err != nil {
		return pub, err
	}
	pub.How = plan.String()
	RemoveLeftovers(path) // of a publish killed half-way
	tmp := tempPath(path)
	os.Remove(tmp)
	os.Remove(tmp + ".wal")
	if plan.update {
		if err := copyFile(path, tmp); err != nil {
			return pub, fmt.Errorf("publish: copy the last snapshot: %w", err)
		}
	}
	if _, err := conn.ExecContext(ctx, "ATTACH "+quote(tmp)+" AS snap"); err != nil {
		os.Remove(tmp)
		return pub, fmt.Errorf("publish: create %s: %w", tmp, err)
	}
	attached := true
	defer func() {
		if attached {
			conn.ExecContext(context.Background(), "ROLLBACK") // when it failed inside the transaction
			conn.ExecContext(context.Background(), "DETACH snap")
		}
		if err != nil {
			os.Remove(tmp)
		}
	}()
	existing, err := warehouseTables(ctx, conn, "")
	if err != nil {
		return pub, err
	}
	held, err := warehouseTables(ctx, conn, "snap")
	if err != nil {
		return pub, err
	}
	// One transaction for the whole file: a commit per table and per
	// column comment cost most of a small workspace's publish.
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return pub, fmt.Errorf("publish: %w", err)
	}
	var published []snapshotTable
	for _, t := range snapshotTables(p.IncludePersonal) {
		if !existing[t.source] {
			continue
		}
		if plan.update && held[t.name] && t.update != whole && !(t.update == byPerson && plan.modelsWhole) {
			if err := plan.updateTable(ctx, conn, p, t); err != nil {
				return pub, fmt.Errorf("publish %s: %w", t.name, err)
			}
		} else {
			q, err := p.published(ctx, conn, t)
			if err != nil {
				return pub, err
			}
			if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TABLE snap.%s AS %s", t.name, q)); err != nil {
				return pub, fmt.Errorf("publish %s: %w", t.name, err)
			}
		}
		published = append(published, t)
		delete(held, t.name)
	}
	for t := range held { // in the last snapshot, no longer published
		if _, err := conn.ExecContext(ctx, "DROP TABLE snap."+t); err != nil {
			return pub, fmt.Errorf("publish: drop %s: %w", t, err)
		}
	}
	// the catalog read once for every table's comments (a query per table
	// cost as much as the copy at small sizes)
	docs, err := schemas.AllColumnComments(ctx, conn, "")
	if err != nil {
		return pub, err
	}
	cols, err := schemas.AllColumnComments(ctx, conn, "snap")
	if err != nil {
		return pub, err
	}
	for _, t := range published {
		if err := comment(ctx, conn, t, p, docs[t.source], cols[t.name]); err != nil {
			return pub, err
		}
		pub.Tables++
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return pub, fmt.Errorf("publish: write %s: %w", tmp, err)
	}
	if _, err := conn.ExecContext(ctx, "DETACH snap"); err != nil {
		return pub, fmt.Errorf("publish: close %s: %w", tmp, err)
	}
	attached = false
	if err := os.Chmod(tmp, snapshotMode(p)); err != nil {
		return pub, fmt.Errorf("publish: %w", err)
	}
	if err := commitFile(tmp, path); err != nil {
		return pub, err
	}
	return pub, plan.record(ctx, conn, path)
}

// Published is what Publish wrote: the tables, and how (updated from the
// last snapshot, or written whole, and why).
type Published struct {
	Tables int
	How    string
}

// snapshotMode is the published file's mode: readable by its owner only
// when it holds personal data, by anyone who can reach the folder
// otherwise. Set explicitly: DuckDB creates files by the umask.
func snapshotMode(p Privacy) os.FileMode {
	if p.IncludePersonal {
		return 0o600
	}
	return 0o644
}

// warehouseTables are the tables and views of the database named (the
// warehouse's, for "").
func warehouseTables(ctx context.Context, conn *sql.Conn, database string) (map[string]bool, error) {
	rows, err := conn.QueryContext(ctx, `SELECT table_name FROM duckdb_tables() WHERE database_name = coalesce(nullif($1, ''), current_database()) AND schema_name = 'main'
		UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = coalesce(nullif($1, ''), current_database()) AND schema_name = 'main' AND NOT internal`, database)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

// comment documents the table and each of its columns (cols, the published
// table's), with the words the warehouse's catalog holds for them (docs,
// its source's).
func comment(ctx context.Context, conn *sql.Conn, t snapshotTable, p Privacy, docs, cols map[string]string) error {
	about, err := t.tableDoc(ctx, conn)
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("COMMENT ON TABLE snap.%s IS %s", t.name, quote(about))); err != nil {
		return fmt.Errorf("comment on %s: %w", t.name, err)
	}
	for c := range cols {
		doc := p.columnDoc(c, docs[c])
		q := fmt.Sprintf("COMMENT ON COLUMN snap.%s.%s IS %s", t.name, c, quote(doc))
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("comment on %s.%s: %w", t.name, c, err)
		}
	}
	return nil
}

// snapshotTables lists what the snapshot holds, in order.
func snapshotTables(includePersonal bool) []snapshotTable {
	var out []snapshotTable
	for _, d := range schemas.Datasets {
		var personal []string
		for _, c := range d.Columns {
			if c.Personal {
				personal = append(personal, c.Name)
			}
		}
		doc := fmt.Sprintf("The %s dataset as loaded: the current version of every valid row, with its provenance (batch, file, line). See docs/schema.md.", d.Name)
		switch {
		case d.Restricted:
			if includePersonal {
				out = append(out, snapshotTable{d.Name, "SELECT * FROM " + d.Name, doc + " Restricted: human-rights flag detail, published because imet.toml sets include_personal.", d.Name, byKey})
			}
		case len(personal) > 0:
			out = append(out, snapshotTable{d.Name + "_public", fmt.Sprintf("SELECT * EXCLUDE (%s) FROM %s", strings.Join(personal, ", "), d.Name),
				doc + " Without the personal columns (" + strings.Join(personal, ", ") + ").", d.Name, byKey})
			if includePersonal {
				out = append(out, snapshotTable{d.Name, "SELECT * FROM " + d.Name, doc + " With personal data, published because imet.toml sets include_personal.", d.Name, byKey})
			}
		default:
			out = append(out, snapshotTable{d.Name, "SELECT * FROM " + d.Name, doc, d.Name, byKey})
		}
	}
	quarantine := QuarantineQuery(Privacy{IncludePersonal: includePersonal})
	out = append(out,
		snapshotTable{"graduates", "SELECT * FROM people WHERE cohort = 'PARTICIPANT'", "Graduates as of the headline transform's D (the as_of and vintage of metric_latest): PARTICIPANT students with a COMPLETED IMET enrollment ending on or before D, with index date, rank at index, exit, last contact and follow-up.", "people", byPerson},
		snapshotTable{"comparison_members", "SELECT * FROM people WHERE cohort = 'COMPARISON'", "Comparison peers as of the headline transform's D (COMPARISON students with an index date on or before D), with the same columns as graduates.", "people", byPerson},
		snapshotTable{"people", "SELECT * FROM people", "Graduates and comparison members together, one row each (model 040_people of the headline transform, as metric_latest).", "people", byPerson},
		snapshotTable{"outcomes", "SELECT * FROM outcomes", "One row per person and time-to-event outcome (LEAD_RANK, LEAD_POS, PROMO, RETAIN, INTEROP) as of the headline transform's D: days from the index date to the event or to the end of follow-up (status false: censored). The n of metric_latest's survival metrics counts these rows.", "outcomes", byPerson},
		snapshotTable{"career_timeline", "SELECT * FROM career_timeline", "Career events linked to a student and dated on or before the headline transform's D, without the identity columns they were linked by.", "career_timeline", byPerson},
		snapshotTable{"enrollment_facts", "SELECT * FROM enrollment_facts", "Enrollments that started on or before the headline transform's D, with the student's country, region and sex, the course's category and the periods each counts in.", "enrollment_facts", byPerson},
		snapshotTable{"rank_observations", "SELECT * FROM rank_observations", "Every dated observation of a person's rank on or before the headline transform's D.", "rank_observations", byPerson},
		snapshotTable{"metric_latest", metricLatest, "The headline numbers: the metric_values rows of the headline transform only (the latest period end D transformed, its newest vintage; as_of and vintage say which), one row per metric, period and disaggregation. The model tables (graduates, outcomes, …) are this transform's. Definitions: docs/metrics.md or 'imet metrics list'.", "metric_latest", whole},
		snapshotTable{"metric_values", "SELECT * FROM metric_values", "Every published number: one row per metric, period and disaggregation, for each transform's D and vintage, the quarters a report compares with among them (filter on as_of and vintage, or read metric_latest for the headline). Definitions: docs/metrics.md or 'imet metrics list'.", "metric_values", byRun},
		snapshotTable{"km_curves", "SELECT * FROM km_curves", "Kaplan-Meier step tables of each time-to-event outcome, whole population, by cohort, for each transform's D and vintage: what the quarterly report draws.", "km_curves", byRun},
		snapshotTable{"cif_curves", "SELECT * FROM cif_curves", "Aalen-Johansen step tables of the outcomes with a competing exit (LEAD_RANK, LEAD_POS, INTEROP), whole population, by cohort, for each transform's D and vintage: the share who reached the event, who left the service first, and neither, at every time (the stacked picture of the _CIF metrics).", "cif_curves", byRun},
		snapshotTable{"ipw_balance", "SELECT * FROM ipw_balance ORDER BY as_of, vintage, position", "The balance table of the adjusted comparison (LEAD_RANK_HR_IPW and the _IPW metrics), for each transform's D and vintage: every covariate level of the propensity model with its standardised mean difference before and after inverse-probability weighting (|SMD| < 0.1: balanced).", "ipw_balance", whole},
		snapshotTable{"ipw_overlap", "SELECT * FROM ipw_overlap ORDER BY as_of, vintage, cohort", "Overlap of the propensity scores of the adjusted comparison by arm, for each transform's D and vintage: score range, share outside [0.1, 0.9], Kish effective sample size, largest weight, and the countries and people left out because all their members are in one arm.", "ipw_overlap", whole},
		snapshotTable{"transform_runs", "SELECT * FROM transform_runs", "One row per transform: D, vintage, timings and settings.", "transform_runs", whole},
		snapshotTable{"data_quality", "SELECT * FROM data_quality", "How far the metrics can be trusted: linking by method, open quarantine by rule, freshness of each source, for each transform's D and vintage.", "data_quality", byRun},
		snapshotTable{"fmtr_activities", "SELECT * FROM fmtr_activities", "Training activities of the Foreign Military Training Report as loaded (data: Security Force Monitor, MIT licence), normalised: ISO country, program, fiscal year, dates, quantity, cost, with the repairs applied to damaged rows. See docs/fmtr.md.", "fmtr_activities", whole},
		snapshotTable{"fmtr_totals", "SELECT * FROM fmtr_totals", "The Foreign Military Training Report's own printed program totals per country, program and fiscal year: control totals, never counted as activities.", "fmtr_totals", whole},
		snapshotTable{"fmtr_reconciliation", "SELECT * FROM fmtr_reconciliation", "Activities summed against the report's printed totals, per report, country, program and fiscal year: matches, matches (rounded) (to the dollar, as the report rounds), differs (by how much) or no_printed_total.", "fmtr_reconciliation", whole},
		snapshotTable{"fmtr_summary", "SELECT * FROM fmtr_summary", "The Foreign Military Training Report's columns per fiscal year, region, country and program: training sessions, course count, dollar value, the printed totals and their reconciliation (what 'imet export fmtr' writes).", "fmtr_summary", whole},
		snapshotTable{"fmtr_trends", "SELECT * FROM fmtr_trends", "", "fmtr_trends", whole}, // words: COMMENT ON in 0010_fmtr_trends.sql
		snapshotTable{"fmtr_quality", "SELECT * FROM fmtr_quality", "Data quality of each loaded Foreign Military Training Report file: rows read, repaired, quarantined, groups reconciled and amounts not reconciled.", "fmtr_quality", whole},
		snapshotTable{"batches", "SELECT * FROM batches", "One row per file load (batch): when, what, how many rows loaded, replaced, unchanged and quarantined.", "batches", whole},
		snapshotTable{"files", "SELECT * FROM files", "The file ledger: every file loaded, by SHA-256, so a file sent again is recognised.", "files", whole},
		snapshotTable{"quarantine", quarantine, "Rows set aside by validation, with the rule and what to fix (unless include_personal: the raw row left out, values of personal columns and flag rows blanked, student ids as pseudonyms).", "quarantine", whole},
	)
	if includePersonal {
		// Link review lists flags and holdings with their candidate
		// students and the identities compared: it stays inside unless
		// personal data is published.
		out = append(out, snapshotTable{"link_review", "SELECT * FROM link_review", "Career events, flags and post holdings without a student id that could not be linked with confidence, with their best candidates. Published because imet.toml sets include_personal.", "link_review", whole})
	}
	return out
}

// QuarantineQuery is the quarantine as p may show it: the table itself
// with personal data, else the published quarantine (publicQuarantine),
// which needs p's pseudonym() on the connection (Privacy.Prepare).
func QuarantineQuery(p Privacy) string {
	if p.IncludePersonal {
		return "SELECT * FROM quarantine"
	}
	return publicQuarantine()
}

// Prepare defines on conn what the queries of p need (pseudonym()).
func (p Privacy) Prepare(ctx context.Context, conn *sql.Conn) error { return p.pseudonyms(ctx, conn) }

// publicQuarantine is the quarantine as published without personal data,
// by the contract's one rule (schemas.Dataset.Discloses, which the reason
// texts follow too): the raw row left out; the value of a column the
// contract does not disclose blanked, or, for a person's identifier, its
// pseudonym; the record key of a dataset keyed by a person's identifier a
// pseudonym too.
func publicQuarantine() string {
	var blank, pseudo, keyed []string
	ids := schemas.PersonIDColumns()
	for _, d := range schemas.Datasets {
		var hidden, named []string
		for _, c := range d.Columns {
			switch {
			case d.Restricted:
			case c.Identifies:
				named = append(named, quote(c.Name))
			case !d.Discloses(c):
				hidden = append(hidden, quote(c.Name))
			}
		}
		if d.Restricted {
			blank = append(blank, fmt.Sprintf("dataset = %s", quote(d.Name)))
			continue
		}
		if len(hidden) > 0 {
			blank = append(blank, fmt.Sprintf("(dataset = %s AND column_name IN (%s))", quote(d.Name), strings.Join(hidden, ", ")))
		}
		if len(named) > 0 {
			pseudo = append(pseudo, fmt.Sprintf("(dataset = %s AND column_name IN (%s))", quote(d.Name), strings.Join(named, ", ")))
		}
		if len(d.Key) == 1 && slices.Contains(ids, d.Key[0]) {
			keyed = append(keyed, quote(d.Name))
		}
	}
	or := func(conds []string) string {
		if len(conds) == 0 {
			return "false"
		}
		return strings.Join(conds, " OR ")
	}
	in := func(names []string) string {
		if len(names) == 0 {
			return "false"
		}
		return "dataset IN (" + strings.Join(names, ", ") + ")"
	}
	return fmt.Sprintf(`SELECT * EXCLUDE (raw, value) REPLACE (CASE WHEN %s THEN pseudonym(record_key) ELSE record_key END AS record_key),
		CASE WHEN %s THEN NULL WHEN %s THEN pseudonym(value) ELSE value END AS value
		FROM quarantine`, in(keyed), or(blank), or(pseudo))
}

// metricLatest selects the headline transform's metric_values (the
// warehouse view metric_latest, over headline_transform, which holds the
// rule), in the order of MetricsQuery.
const metricLatest = "SELECT * FROM metric_latest " + metricOrder
