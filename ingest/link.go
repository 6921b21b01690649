package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
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

// link runs every linking step over the rows still without a student, in the
// caller's transaction, telling Step (as file's) as each begins: on a large
// dataset the candidates and the decision take a minute. It is cheap when
// nothing waits.
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
	params := map[string]any{"batch": batch, "threshold": cfg.Threshold, "margin": cfg.Margin}
	for _, t := range linkedTables {
		var pending int64
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+t.Table+" WHERE student_id IS NULL").Scan(&pending); err != nil {
			return nil, err
		}
		if pending == 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM link_review WHERE dataset = ?", t.Table); err != nil {
				return nil, err
			}
			continue
		}
		for _, name := range names {
			if label, ok := linkSteps[strings.TrimSuffix(name[strings.Index(name, "_link_")+len("_link_"):], ".sql")]; ok {
				l.step(file, fmt.Sprintf("linking %s (%d waiting): %s", t.Table, pending, label))
			}
			q, err := render(name, t)
			if err != nil {
				return nil, err
			}
			if _, err := tx.ExecContext(ctx, q, namedArgs(q, params)...); err != nil {
				return nil, fmt.Errorf("%s on %s: %w", strings.TrimPrefix(name, "sql/"), t.Table, err)
			}
		}
	}
	return linkCounts(ctx, tx)
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
