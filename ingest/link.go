package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"text/template"

	"github.com/imet-project/imet/schemas"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// LinkConfig sets when a name match is good enough to link.
type LinkConfig struct {
	Threshold float64 // the best candidate's score must reach this (0..1)
	Margin    float64 // and beat the runner-up by this much
}

// DefaultLink is the linking configuration when imet.toml says nothing.
var DefaultLink = LinkConfig{Threshold: 0.90, Margin: 0.04}

// LinkResult counts the rows of linked datasets by how they were linked,
// and the rows waiting for review, after a linking pass.
type LinkResult struct {
	ByMethod  map[string]int64 // id, exact_name, fuzzy
	Ambiguous int64
	Unmatched int64
}

// linkedTable is a dataset linked to students, with its key.
type linkedTable struct{ Table, Key string }

// linkedTables are the contract's Linked datasets, in load order.
var linkedTables = func() []linkedTable {
	var out []linkedTable
	for _, d := range schemas.Datasets {
		if d.Linked {
			out = append(out, linkedTable{d.Name, d.Key[0]})
		}
	}
	return out
}()

// linkSteps names the linking statements for the Step callback, by what
// follows "_link_" in their file names; a statement not named here (quick
// ones) is not announced.
var linkSteps = map[string]string{"by_id": "by id", "candidates": "candidates", "decide": "deciding", "apply": "applying", "review": "review list"}

// link runs the linking steps over the rows still without a student, in
// the caller's transaction, telling Step (as file's) as each begins: on a
// large dataset the candidates and the decision take a minute.
//
// A waiting row's decision depends on its own names and on the students
// alone (the candidates are students; the best and the runner-up are among
// them), so a pass against the same students, settings and statements as
// the dataset's last pass (link_state) would decide the rows that pass
// decided as it did: only the rows not decided yet (new, or corrected
// since) are linked, and the rest keep their review rows. A load of 100
// career events then costs 100 rows of linking, not every row waiting in
// link_review. A changed student, threshold, margin or linking statement
// re-decides every waiting row.
func (l *Loader) link(ctx context.Context, tx *sql.Tx, batch int64, file string) (*LinkResult, error) {
	cfg := l.Link
	if cfg.Threshold == 0 {
		cfg = DefaultLink
	}
	names, err := fs.Glob(sqlFiles, "sql/0*_link_*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	against, err := linkAgainst(ctx, tx, cfg, names)
	if err != nil {
		return nil, err
	}
	params := map[string]any{"batch": batch, "threshold": cfg.Threshold, "margin": cfg.Margin}
	for _, t := range linkedTables {
		pass := linkPass{linkedTable: t}
		var pending int64
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+t.Table+" WHERE student_id IS NULL").Scan(&pending); err != nil {
			return nil, err
		}
		if pending == 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM link_review WHERE dataset = ?", t.Table); err != nil {
				return nil, err
			}
		} else {
			var last string
			err := tx.QueryRowContext(ctx, "SELECT decided_against FROM link_state WHERE dataset = ?", t.Table).Scan(&last)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("read the last linking pass of %s: %w", t.Table, err)
			}
			pass.Scoped = last == against && !l.fullLink
			if pass.Scoped {
				if pending, err = pass.scope(ctx, tx); err != nil {
					return nil, err
				}
			}
			if err := l.runPass(ctx, tx, pass, pending, names, params, file); err != nil {
				return nil, err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO link_state (dataset, decided_against, checked_batch) VALUES (?, ?, ?)`,
			t.Table, against, batch); err != nil {
			return nil, fmt.Errorf("record the linking pass of %s: %w", t.Table, err)
		}
	}
	return linkCounts(ctx, tx)
}

// linkPass is one dataset's linking pass; Scoped, it decides only the
// waiting rows in link_scope.
type linkPass struct {
	linkedTable
	Scoped bool
}

// scope puts in link_scope the waiting rows the last pass did not decide
// (no review row for the row as loaded: new, or corrected since), drops
// the review rows of rows no longer waiting as they were, and counts the
// rows to decide.
func (p linkPass) scope(ctx context.Context, tx *sql.Tx) (int64, error) {
	stmts := []string{
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE link_scope AS
			SELECT t.%[2]s AS record_id FROM %[1]s t
			WHERE t.student_id IS NULL
			  AND NOT EXISTS (SELECT 1 FROM link_review r
			                  WHERE r.dataset = '%[1]s' AND r.record_id = t.%[2]s AND r.batch_id = t._batch_id)`, p.Table, p.Key),
		fmt.Sprintf(`DELETE FROM link_review r WHERE r.dataset = '%[1]s'
			  AND NOT EXISTS (SELECT 1 FROM %[1]s t
			                  WHERE t.student_id IS NULL AND t.%[2]s = r.record_id AND t._batch_id = r.batch_id)`, p.Table, p.Key),
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("find the rows of %s to link: %w", p.Table, err)
		}
	}
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM link_scope").Scan(&n); err != nil {
		return 0, fmt.Errorf("find the rows of %s to link: %w", p.Table, err)
	}
	return n, nil
}

// runPass runs the linking statements of one pass over its n rows. A
// scoped pass keeps the review rows of the rows it does not decide (the
// list is rebuilt only by a whole pass) and marks them checked by batch.
func (l *Loader) runPass(ctx context.Context, tx *sql.Tx, p linkPass, n int64, names []string, params map[string]any, file string) error {
	if n > 0 {
		for _, name := range names {
			step := strings.TrimSuffix(name[strings.Index(name, "_link_")+len("_link_"):], ".sql")
			if p.Scoped && step == "review_clear" {
				continue
			}
			if label, ok := linkSteps[step]; ok {
				l.step(file, fmt.Sprintf("linking %s (%d waiting): %s", p.Table, n, label))
			}
			q, err := render(name, p)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, q, namedArgs(q, params)...); err != nil {
				return fmt.Errorf("%s on %s: %w", strings.TrimPrefix(name, "sql/"), p.Table, err)
			}
		}
	}
	if p.Scoped {
		if _, err := tx.ExecContext(ctx, "UPDATE link_review SET checked_batch = ? WHERE dataset = ?", params["batch"], p.Table); err != nil {
			return fmt.Errorf("mark the review rows of %s checked: %w", p.Table, err)
		}
	}
	return nil
}

// linkAgainst is what a linking pass decides against: the students'
// linking columns (their count and the XOR of their rows' hashes), the
// settings, the linking statements and the last migration (which defines
// fold_name and name_skeleton).
func linkAgainst(ctx context.Context, tx *sql.Tx, cfg LinkConfig, names []string) (string, error) {
	var students, migration string
	err := tx.QueryRowContext(ctx, `SELECT count(*) || '/' || coalesce(bit_xor(hash(student_id, country_code, birth_year, family_name, given_names)), 0),
		       (SELECT max(name) FROM schema_migrations)
		FROM students`).Scan(&students, &migration)
	if err != nil {
		return "", fmt.Errorf("fingerprint the students for linking: %w", err)
	}
	h := sha256.New()
	for _, name := range names {
		body, err := sqlFiles.ReadFile(name)
		if err != nil {
			return "", err
		}
		h.Write(body)
	}
	return fmt.Sprintf("students %s; threshold %g; margin %g; statements %x; migration %s", students, cfg.Threshold, cfg.Margin, h.Sum(nil)[:8], migration), nil
}

func render(name string, data any) (string, error) {
	body, err := sqlFiles.ReadFile(name)
	if err != nil {
		return "", err
	}
	tpl, err := template.New(name).Parse(string(body))
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	err = tpl.Execute(&b, data)
	return b.String(), err
}

// namedArgs binds the $names a statement uses, and only those.
func namedArgs(q string, params map[string]any) []any {
	var args []any
	for k, v := range params {
		if strings.Contains(q, "$"+k) {
			args = append(args, sql.Named(k, v))
		}
	}
	return args
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func linkCounts(ctx context.Context, q querier) (*LinkResult, error) {
	r := &LinkResult{ByMethod: map[string]int64{}}
	parts := make([]string, len(linkedTables))
	for i, t := range linkedTables {
		parts[i] = "SELECT link_method FROM " + t.Table + " WHERE link_method IS NOT NULL"
	}
	rows, err := q.QueryContext(ctx, "SELECT link_method, count(*) FROM ("+strings.Join(parts, " UNION ALL ")+") GROUP BY ALL")
	if err != nil {
		return nil, fmt.Errorf("count links: %w", err)
	}
	for rows.Next() {
		var m string
		var n int64
		if err := rows.Scan(&m, &n); err != nil {
			rows.Close()
			return nil, err
		}
		r.ByMethod[m] = n
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, "SELECT status, count(*) FROM link_review GROUP BY ALL")
	if err != nil {
		return nil, fmt.Errorf("count link reviews: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		if s == "ambiguous" {
			r.Ambiguous = n
		} else {
			r.Unmatched = n
		}
	}
	return r, rows.Err()
}

// LinkStatus reports the current linking figures of the warehouse.
func LinkStatus(ctx context.Context, db *sql.DB) (*LinkResult, error) { return linkCounts(ctx, db) }
