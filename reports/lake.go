package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// LakeManifest describes an exported lake: every table, its columns and
// row count, and where its files are.
type LakeManifest struct {
	Format    string      `json:"format"` // parquet, Hive-partitioned where partitioned_by is set
	AsOf      string      `json:"as_of,omitempty"`
	Vintage   int64       `json:"vintage,omitempty"`
	Tables    []LakeTable `json:"tables"`
	Generated string      `json:"generated_by"`
}

// LakeTable is one table of the lake.
type LakeTable struct {
	Name        string       `json:"name"`
	Comment     string       `json:"comment"`
	Path        string       `json:"path"` // relative to the lake's root
	PartitionBy []string     `json:"partitioned_by,omitempty"`
	Rows        int64        `json:"rows"`
	Columns     []LakeColumn `json:"columns"`
}

// LakeColumn is one column: its DuckDB type and description.
type LakeColumn struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Comment string `json:"comment"`
}

// Lake writes every public table of the warehouse (what the snapshot
// publishes, with the same pseudonyms: see Privacy) to dir as Parquet,
// partitioned by fiscal_year where a table has one
// (dir/<table>/fiscal_year=2026/…), with manifest.json. The lake appears
// whole: it is written beside dir and renamed into place, and an older
// lake at dir is replaced only then. A lake with personal data
// (p.IncludePersonal) is readable by its owner only.
func Lake(ctx context.Context, db *sql.DB, dir string, p Privacy, generatedBy string) (*LakeManifest, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := replaceable(dir); err != nil {
		return nil, err
	}
	if err := p.pseudonyms(ctx, conn); err != nil {
		return nil, err
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	RemoveLeftovers(filepath.Clean(dir))
	tmp, err := os.MkdirTemp(parent, tempPattern(filepath.Clean(dir)))
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	existing, err := warehouseTables(ctx, conn, "")
	if err != nil {
		return nil, err
	}
	m := &LakeManifest{Format: "parquet", Generated: generatedBy}
	for _, t := range snapshotTables(p.IncludePersonal) {
		if !existing[t.source] {
			continue
		}
		query, err := p.published(ctx, conn, t)
		if err != nil {
			return nil, err
		}
		lt, err := lakeTable(ctx, conn, p, t, query, tmp)
		if err != nil {
			return nil, err
		}
		m.Tables = append(m.Tables, lt)
	}
	if asOf, v, err := LatestTransform(ctx, conn); err == nil {
		m.AsOf, m.Vintage = asOf.Format(time.DateOnly), v
	}
	body, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(tmp, "manifest.json"), append(body, '\n'), 0o644); err != nil {
		return nil, err
	}
	if p.IncludePersonal {
		if err := ownerOnly(tmp); err != nil {
			return nil, err
		}
	}
	if err := swapIn(tmp, dir); err != nil {
		return nil, err
	}
	return m, nil
}

// lakeTable writes one table of the lake under tmp (partitioned by
// fiscal_year where it has one) and returns its manifest entry: its
// columns and their words, and its rows.
func lakeTable(ctx context.Context, conn *sql.Conn, p Privacy, t snapshotTable, query, tmp string) (LakeTable, error) {
	// the table's shape, and whether it has a fiscal year
	cols, err := describe(ctx, conn, query)
	if err != nil {
		return LakeTable{}, fmt.Errorf("lake %s: %w", t.name, err)
	}
	docs, err := t.columnDocs(ctx, conn)
	if err != nil {
		return LakeTable{}, err
	}
	about, err := t.tableDoc(ctx, conn)
	if err != nil {
		return LakeTable{}, err
	}
	lt := LakeTable{Name: t.name, Comment: about, Path: t.name}
	for _, c := range cols {
		doc := p.columnDoc(c[0], docs[c[0]])
		lt.Columns = append(lt.Columns, LakeColumn{Name: c[0], Type: c[1], Comment: doc})
	}
	target := filepath.Join(tmp, t.name)
	opts := "FORMAT parquet, COMPRESSION zstd"
	if slices.ContainsFunc(cols, func(c [2]string) bool { return c[0] == "fiscal_year" }) {
		lt.PartitionBy = []string{"fiscal_year"}
		opts += ", PARTITION_BY (fiscal_year)"
	} else {
		if err := os.MkdirAll(target, 0o755); err != nil {
			return LakeTable{}, err
		}
		target = filepath.Join(target, "data.parquet")
	}
	q := fmt.Sprintf("COPY (%s) TO %s (%s)", query, quote(target), opts)
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return LakeTable{}, fmt.Errorf("lake %s: %w", t.name, err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM ("+query+")").Scan(&lt.Rows); err != nil {
		return LakeTable{}, err
	}
	return lt, nil
}

// swapIn puts the lake written at tmp in dir's place: the old lake out of
// the way, the new one in, the old one gone.
func swapIn(tmp, dir string) error {
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = strings.TrimSuffix(tmp, ".tmp") + "-old.tmp"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return err
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// replaceable refuses a dir that Lake must not replace: one that exists,
// is not empty and holds no manifest.json of an earlier lake.
func replaceable(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		return nil // missing (or unreadable: the write will say), or empty
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err == nil {
		return nil
	}
	return fmt.Errorf("lake %s: the folder exists and is not a lake (no manifest.json), and the lake replaces its folder whole: give a new folder, or an earlier lake's", dir)
}

// describe returns the (name, type) of each column of a query.
func describe(ctx context.Context, conn *sql.Conn, query string) ([][2]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT column_name, column_type FROM (DESCRIBE "+query+")")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ownerOnly makes every folder under root 0700 and every file 0600,
// whatever the umask DuckDB wrote them with.
func ownerOnly(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := os.FileMode(0o600)
		if d.IsDir() {
			mode = 0o700
		}
		return os.Chmod(path, mode)
	})
}
