package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// maxStatement bounds the body of POST /api/sql.
const maxStatement = 1 << 20

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
	res, err := schemas.QueryReadOnly(ctx, db, q, s.opt.SQL)
	switch {
	case err == nil:
		return res, http.StatusOK, nil
	case errors.Is(err, schemas.ErrTooManyRows):
		return nil, http.StatusUnprocessableEntity, fmt.Errorf("the result has more than %d rows, the limit ([sql] max_rows in imet.toml): narrow it with WHERE or LIMIT, or aggregate", s.opt.SQL.MaxRows)
	case errors.Is(err, schemas.ErrTimeLimit):
		return nil, http.StatusUnprocessableEntity, fmt.Errorf("stopped: the statement ran longer than %s, the time limit ([sql] timeout_seconds in imet.toml): narrow it, or raise the limit", s.opt.SQL.Timeout)
	case errors.Is(err, schemas.ErrRefused):
		return nil, http.StatusForbidden, err
	case ctx.Err() != nil:
		return nil, 499, err // the browser went away or pressed cancel
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
	t := resultTable(res)
	jsonSafe(&Page{Tables: []*Table{t}})
	writeJSON(w, http.StatusOK, map[string]any{"columns": res.Columns, "types": res.Types, "rows": t.Rows})
}

func resultTable(res *schemas.Result) *Table {
	t := &Table{Name: "result", Rows: res.Rows, PageSize: 100}
	if t.Rows == nil {
		t.Rows = [][]any{}
	}
	for i, c := range res.Columns {
		t.Columns = append(t.Columns, Column{Name: c, Comment: res.Types[i]})
	}
	return t
}

var consoleForm = template.Must(template.New("console").Parse(`<form class="console" method="get" action="/sql">
<label for="sql-editor">Read-only SQL on the published snapshot (limits: {{.Limits}})</label>
<textarea id="sql-editor" name="q" spellcheck="false">{{.Query}}</textarea>
<div class="buttons"><button type="submit" id="sql-run">Run</button></div>
{{with .Error}}<p class="error" id="sql-error">{{.}}</p>{{end}}
</form>`))

// console is the SQL page: the editor, and the result of ?q= when given
// (so a query is a link, and the page works without JavaScript).
func (s *Server) console(r *request) (*Page, error) {
	q := r.URL.Query().Get("q")
	p := &Page{Title: "SQL console", Lead: "Ask your own question of the published snapshot. Statements that would write, change settings or reach files are refused."}
	var errText string
	if strings.TrimSpace(q) != "" {
		res, _, err := s.runStatement(r.ctx(), q)
		if err != nil {
			errText = err.Error()
		} else {
			p.Tables = append(p.Tables, resultTable(res))
		}
	}
	var b strings.Builder
	limits := fmt.Sprintf("%s per statement, %d rows", s.opt.SQL.Timeout, s.opt.SQL.MaxRows)
	if err := consoleForm.Execute(&b, map[string]any{"Query": q, "Error": errText, "Limits": limits}); err != nil {
		return nil, err
	}
	p.Body = template.HTML(b.String())
	return p, nil
}
