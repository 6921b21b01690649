package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/imet-project/imet/schemas"
)

// maxStatement bounds the body of POST /api/sql.
const maxStatement = 1 << 20

// consolePage is the rows a page of the console's result shows (the
// HTML's ?page=N; app.js pages the same way in the browser).
const consolePage = 100

// runStatement runs one console statement on the snapshot within the
// [sql] limits. Its error is the one to show the reader, with the HTTP
// status it deserves.
func (s *Server) runStatement(ctx context.Context, q string) (*schemas.Result, int, error) {
	if strings.TrimSpace(q) == "" {
		return nil, http.StatusBadRequest, errors.New("no statement: write one, e.g. SELECT * FROM metric_latest LIMIT 10")
	}
	db, _, release, err := s.db(ctx)
	if err != nil {
		return nil, http.StatusServiceUnavailable, err
	}
	defer release()
	if s.opt.Trace != nil {
		s.opt.Trace(q, nil)
	}
	start := time.Now()
	res, err := schemas.QueryReadOnly(ctx, db, q, s.opt.SQL)
	switch {
	case err == nil:
		normalise(res)
		return res, http.StatusOK, nil
	case errors.Is(err, schemas.ErrTooManyRows):
		return nil, http.StatusUnprocessableEntity, fmt.Errorf("the result has more than %d rows, the limit ([sql] max_rows in imet.toml): narrow it with WHERE or LIMIT, or aggregate", s.opt.SQL.MaxRows)
	case errors.Is(err, schemas.ErrTimeLimit):
		return nil, http.StatusUnprocessableEntity, fmt.Errorf("stopped: the statement ran longer than %s, the time limit ([sql] timeout_seconds in imet.toml): narrow it, or raise the limit", s.opt.SQL.Timeout)
	case errors.Is(err, schemas.ErrRefused):
		return nil, http.StatusForbidden, err
	case ctx.Err() != nil:
		// The browser pressed cancel or went away: the request's
		// context interrupted DuckDB, which returned here.
		s.opt.Logger.Info("sql: statement cancelled", "ms", time.Since(start).Milliseconds())
		return nil, 499, err
	}
	return nil, http.StatusBadRequest, err
}

// apiSQL is POST /api/sql: {"sql": "..."} → {"columns": [...], "types":
// [...], "rows": [[...]...]}, or {"error": "..."} with a 4xx status.
func (s *Server) apiSQL(w http.ResponseWriter, hr *http.Request) {
	if s.opt.Public {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "the SQL console is off with --public"})
		return
	}
	var body struct {
		SQL string `json:"sql"`
	}
	dec := json.NewDecoder(io.LimitReader(hr.Body, maxStatement))
	if err := dec.Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `send a JSON body {"sql": "SELECT …"}: ` + err.Error()})
		return
	}
	res, status, err := s.runStatement(hr.Context(), body.SQL)
	if err != nil {
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	writeResultJSON(w, res)
}

func writeResultJSON(w http.ResponseWriter, res *schemas.Result) {
	t := resultTable(res)
	jsonSafe(&Page{Tables: []*Table{t}})
	writeJSON(w, http.StatusOK, map[string]any{"columns": res.Columns, "types": res.Types, "rows": t.Rows})
}

// apiSQLGet is GET /api/sql?q=...&format=json|csv|parquet: a statement's
// result as a download (a link holds it); JSON as POST gives it.
func (s *Server) apiSQLGet(w http.ResponseWriter, hr *http.Request) {
	if s.opt.Public {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "the SQL console is off with --public"})
		return
	}
	qv := hr.URL.Query()
	format := cmp.Or(qv.Get("format"), "json")
	if format != "json" && format != "csv" && format != "parquet" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("format=%s: give json, csv or parquet", format)})
		return
	}
	if t := qv.Get("table"); t != "" && t != "result" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("table=%s: the console has one table, result", t)})
		return
	}
	res, status, err := s.runStatement(hr.Context(), qv.Get("q"))
	if err != nil {
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	switch format {
	case "json":
		writeResultJSON(w, res)
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="imet-sql-result.csv"`)
		cw := csv.NewWriter(w)
		_ = cw.Write(res.Columns)
		for _, row := range res.Rows {
			rec := make([]string, len(row))
			for i, v := range row {
				rec[i] = cellText(v)
				if _, isText := v.(string); isText {
					rec[i] = schemas.NeutraliseFormula(rec[i])
				}
			}
			_ = cw.Write(rec)
		}
		cw.Flush()
	case "parquet":
		var b bytes.Buffer
		if err := writeResultParquet(res, res.Rows, &b); err != nil {
			s.opt.Logger.Error("sql: write parquet", "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "write the result as Parquet: " + err.Error()})
			return
		}
		w.Header().Set("Content-Type", "application/vnd.apache.parquet")
		w.Header().Set("Content-Disposition", `attachment; filename="imet-sql-result.parquet"`)
		_, _ = w.Write(b.Bytes())
	}
}

func resultTable(res *schemas.Result) *Table {
	t := &Table{Name: "result", Rows: res.Rows, PageSize: consolePage}
	if t.Rows == nil {
		t.Rows = [][]any{}
	}
	for i, c := range res.Columns {
		t.Columns = append(t.Columns, Column{Name: c, Comment: res.Types[i]})
	}
	return t
}

var consoleForm = template.Must(template.New("console").Parse(`<div class="console-grid">
<form class="console" method="get" action="/sql">
<label for="sql-editor">Read-only SQL on the published snapshot</label>
<textarea id="sql-editor" name="q" spellcheck="false" autocapitalize="off" autocomplete="off">{{.Query}}</textarea>
<div class="buttons"><button type="submit" id="sql-run">Run</button><button type="button" id="sql-cancel" hidden>Cancel</button>
<span class="limits" id="sql-limits">Limits: {{.Limits}}.</span> <span id="sql-status" class="status" role="status">{{.Status}}</span></div>
<p class="downloads" id="sql-downloads"{{if not .CSV}} hidden{{end}}>Download the result: <a class="download" id="sql-csv" href="{{.CSV}}">CSV</a> <a class="download" id="sql-parquet" href="{{.Parquet}}">Parquet</a> <a class="download" id="sql-json" href="{{.JSON}}">JSON</a></p>
{{with .Error}}<pre class="error" id="sql-error">{{.}}</pre>{{else}}<pre class="error" id="sql-error" hidden></pre>{{end}}
<details class="history" id="sql-history" hidden><summary>Recent statements (kept in this browser)</summary><ol></ol><button type="button" id="sql-history-clear">Forget them</button></details>
<div id="sql-results" class="sql-results" hidden></div>
</form>
<aside class="schema" aria-label="tables of the snapshot">
<h2>Tables</h2>
{{range .Schema}}<details><summary><code>{{.Name}}</code>{{with .Rows}} <span class="rows">{{.}} rows</span>{{end}}</summary>
{{with .Comment}}<p>{{.}}</p>{{end}}<ul>{{range .Columns}}<li><code>{{.Name}}</code> <span class="type">{{.Type}}</span>{{with .Comment}} · {{.}}{{end}}</li>{{end}}</ul>
</details>
{{end}}</aside>
</div>`))

// schemaTable is one table of the snapshot as the console lists it.
type schemaTable struct {
	Name, Comment string
	Rows          string
	Columns       []schemaColumn
}

type schemaColumn struct{ Name, Type, Comment string }

// schema lists the snapshot's tables and their columns with comments.
func (r *request) schema() ([]schemaTable, error) {
	rows, err := r.query(`SELECT t.table_name, coalesce(t.comment, ''), coalesce(t.estimated_size, 0),
	c.column_name, c.data_type, coalesce(c.comment, '')
FROM duckdb_tables() t JOIN duckdb_columns() c
  ON c.database_oid = t.database_oid AND c.schema_oid = t.schema_oid AND c.table_oid = t.table_oid
WHERE NOT t.internal AND NOT t.temporary AND t.database_name = current_database()
ORDER BY t.table_name, c.column_index`)
	if err != nil {
		return nil, fmt.Errorf("list the snapshot's tables: %w", err)
	}
	defer rows.Close()
	var out []schemaTable
	for rows.Next() {
		var tn, tc, cn, ct, cc string
		var size int64
		if err := rows.Scan(&tn, &tc, &size, &cn, &ct, &cc); err != nil {
			return nil, fmt.Errorf("list the snapshot's tables: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Name != tn {
			out = append(out, schemaTable{Name: tn, Comment: tc, Rows: "about " + cell(Column{Unit: "count"}, size)})
		}
		t := &out[len(out)-1]
		t.Columns = append(t.Columns, schemaColumn{Name: cn, Type: ct, Comment: cc})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list the snapshot's tables: %w", err)
	}
	return out, nil
}

// console is the SQL page: the editor beside the snapshot's tables, and
// the result of ?q= when given (so a query is a link, and the page works
// without JavaScript), 100 rows a page.
func (s *Server) console(r *request) (*Page, error) {
	q := r.URL.Query().Get("q")
	p := &Page{Title: "SQL console", Lead: "Ask your own question of the published snapshot. Statements that would write, change settings or reach files are refused. Student ids here are pseudonyms."}
	var errText, status string
	links := map[string]string{}
	if strings.TrimSpace(q) != "" {
		start := time.Now()
		res, _, err := s.runStatement(r.ctx(), q)
		if err != nil {
			errText = err.Error()
		} else {
			t := resultTable(res)
			t.Caption = "Result"
			p.Tables = append(p.Tables, t)
			status = fmt.Sprintf("%s row%s in %s.", cell(Column{Unit: "count"}, int64(len(res.Rows))), plural(len(res.Rows)), time.Since(start).Round(time.Millisecond))
			for _, f := range []string{"csv", "parquet", "json"} {
				links[f] = "/api/sql?" + url.Values{"q": {q}, "format": {f}}.Encode()
			}
		}
	}
	sch, err := r.schema()
	if err != nil {
		return nil, err
	}
	limits := fmt.Sprintf("%s per statement, %s rows", limitText(s.opt.SQL.Timeout), cell(Column{Unit: "count"}, int64(s.opt.SQL.MaxRows)))
	if s.opt.SQL.MaxRows <= 0 {
		limits = fmt.Sprintf("%s per statement, no row limit", limitText(s.opt.SQL.Timeout))
	}
	var b strings.Builder
	if err := consoleForm.Execute(&b, map[string]any{
		"Query": q, "Error": errText, "Limits": limits, "Status": status, "Schema": sch,
		"CSV": links["csv"], "Parquet": links["parquet"], "JSON": links["json"],
	}); err != nil {
		return nil, err
	}
	p.Body = template.HTML(b.String())
	p.Notes = []string{
		"Every statement runs on the published snapshot, read-only, within the limits above ([sql] of imet.toml); errors are DuckDB's own words.",
		"Without JavaScript the Run button opens /sql?q=… (a link that holds the statement) and the result is paged 100 rows at a time; with it, the result appears here, Cancel stops the statement on the server, and recent statements are kept in this browser only.",
	}
	return p, nil
}

func limitText(d time.Duration) string {
	if d <= 0 {
		return "no time limit"
	}
	return d.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
