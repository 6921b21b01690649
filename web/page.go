package web

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
)

// Page is what one address shows: the same tables are its HTML, its JSON
// (/api/<path>) and, one at a time, its CSV (/api/<path>?format=csv&table=NAME).
type Page struct {
	Title   string    `json:"title"`
	Lead    string    `json:"lead,omitempty"` // one or two sentences under the title
	Filters []*Filter `json:"filters,omitempty"`
	Tables  []*Table  `json:"tables"`
	Charts  []Chart   `json:"-"`
	Notes   []string  `json:"notes,omitempty"`
	// Body is page-specific HTML placed above the tables (the SQL
	// console's editor); most pages have none.
	Body template.HTML `json:"-"`
	// Published is when the snapshot the page was built from was published.
	Published time.Time `json:"published"`
}

// Filter is one choice of the page's form (a select), kept in the address
// so a link holds every filter.
type Filter struct {
	Name    string   `json:"name"`
	Label   string   `json:"label"`
	Value   string   `json:"value"`
	Options []Option `json:"options"`
}

// Option is one choice of a Filter.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Chart is a drawing (server-side SVG, readable without JavaScript) of one
// of the page's tables.
type Chart struct {
	Title string
	Table string // the table it draws, whose download gives its numbers
	// Draw draws it. It is called for the HTML only, after the tables are
	// filtered, sorted and (with --public) withheld, so a chart shows
	// the rows as the table does, and JSON and CSV never pay for it.
	Draw func() template.HTML
	SVG  template.HTML // what Draw drew
}

// Table is rows under named columns, with the raw values (numbers stay
// numbers in JSON and CSV; the HTML formats them in the column's unit).
type Table struct {
	Name    string   `json:"name"`
	Caption string   `json:"caption,omitempty"`
	Columns []Column `json:"columns"`
	Rows    [][]any  `json:"rows"`
	// Sortable tables take ?sort=COLUMN&desc=1 and ?filter=TEXT (rows
	// holding the text in any cell); the HTML's headers are the links.
	Sortable bool `json:"-"`
	// Links, when set, gives the address a row's first cell links to.
	Links func(row []any) string `json:"-"`
	// PageSize, when set, shows that many rows a page in the HTML
	// (?page=N); JSON and CSV give every row.
	PageSize int `json:"-"`
	// Total is the table's row count before paging (set when rendering).
	Total int `json:"-"`
	page  int
}

// Column is one column of a Table.
type Column struct {
	Name    string `json:"name"`
	Label   string `json:"label,omitempty"`
	Unit    string `json:"unit,omitempty"` // a registry measure (share, days, ratio, rate, dollars, count, number); "" text; "row": each cell carries its own (measured)
	Comment string `json:"comment,omitempty"`
	// Count: the cells count people or records, so --public withholds
	// those from 1 to k−1 (and, when exactly one of a column is withheld,
	// the next smallest, so it cannot be recovered from a total). The
	// JSON says so ("count": true), so a reader of the API knows which
	// columns --public withholds, and the security test checks them.
	Count bool `json:"count,omitempty"`
	// Link, when set, gives the address a row's cell of this column links
	// to ("" none).
	Link func(row []any) string `json:"-"`
}

// label is what a header shows.
func (c Column) label() string { return cmp.Or(c.Label, c.Name) }

// badRequest is a mistake in the address: a 400 that says what to change.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

func badf(format string, args ...any) error { return &badRequest{fmt.Sprintf(format, args...)} }

// request is one page's view of its request: the parameters, the snapshot
// and the server's options.
type request struct {
	*http.Request
	s         *Server
	db        *sql.DB
	published time.Time
	// conn, when set, runs the page's statements on one connection (one
	// that holds a temporary table the statements share).
	conn *sql.Conn
}

func (r *request) ctx() context.Context { return r.Context() }

// param is a query parameter, or def when absent.
func (r *request) param(name, def string) string {
	if v := r.URL.Query().Get(name); v != "" {
		return v
	}
	return def
}

// public: the server applies the disclosure control to every view.
func (r *request) public() bool { return r.s.opt.Public }

// query runs one of the page's statements on the snapshot.
func (r *request) query(q string, args ...any) (*sql.Rows, error) {
	if r.s.opt.Trace != nil {
		r.s.opt.Trace(q, args)
	}
	if r.conn != nil {
		return r.conn.QueryContext(r.ctx(), q, args...)
	}
	return r.db.QueryContext(r.ctx(), q, args...)
}

// queryRow runs one of the page's single-row statements.
func (r *request) queryRow(q string, args ...any) *sql.Row {
	if r.s.opt.Trace != nil {
		r.s.opt.Trace(q, args)
	}
	if r.conn != nil {
		return r.conn.QueryRowContext(r.ctx(), q, args...)
	}
	return r.db.QueryRowContext(r.ctx(), q, args...)
}

// table runs q and gives its result as a table; cols names and labels the
// columns in order (nil: the result's own names, as text).
func (r *request) table(name, caption string, cols []Column, q string, args ...any) (*Table, error) {
	rows, err := r.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if cols == nil {
		for _, n := range names {
			cols = append(cols, Column{Name: n})
		}
	}
	if len(cols) != len(names) {
		return nil, fmt.Errorf("%s: the query gives %d columns, the table names %d", name, len(names), len(cols))
	}
	t := &Table{Name: name, Caption: caption, Columns: cols, Rows: [][]any{}}
	for rows.Next() {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		t.Rows = append(t.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// route is one page: its address, its place in the navigation, and the
// function that builds it.
type route struct {
	path    string // a net/http pattern without the method: "/explore", "/countries/{iso3}"
	nav     string // the navigation's label; "" keeps it out of the navigation
	private bool   // not served with --public (the SQL console, lineage)
	build   func(*request) (*Page, error)
	// api, when set, serves GET /api/<path> in place of the page's JSON
	// and CSV (the SQL console's result, which is no page of tables).
	api http.HandlerFunc
}

// apiPath is the JSON address of a page path.
func apiPath(path string) string {
	if path == "/" {
		return "/api/overview"
	}
	return "/api" + path
}

// handle serves rt as HTML at its path and as JSON or CSV under /api.
func (s *Server) handle(rt route) {
	pattern := rt.path
	if pattern == "/" {
		pattern = "/{$}"
	}
	s.mux.HandleFunc("GET "+pattern, func(w http.ResponseWriter, hr *http.Request) { s.serve(w, hr, rt, "html") })
	if rt.api != nil {
		s.mux.HandleFunc("GET "+apiPath(rt.path), rt.api)
		return
	}
	s.mux.HandleFunc("GET "+apiPath(rt.path), func(w http.ResponseWriter, hr *http.Request) {
		s.serve(w, hr, rt, cmp.Or(hr.URL.Query().Get("format"), "json"))
	})
}

// serve builds rt's page for one request and writes it in format.
func (s *Server) serve(w http.ResponseWriter, hr *http.Request, rt route, format string) {
	if rt.private && s.opt.Public {
		s.fail(w, hr, format, http.StatusNotFound, errors.New("not served with --public: the SQL console and lineage show rows below the disclosure threshold"))
		return
	}
	if format != "html" && format != "json" && format != "csv" {
		s.fail(w, hr, "json", http.StatusBadRequest, badf("format=%s: give json or csv", format))
		return
	}
	db, published, release, err := s.db(hr.Context())
	if err != nil {
		s.fail(w, hr, format, http.StatusServiceUnavailable, err)
		return
	}
	defer release()
	r := &request{Request: hr, s: s, db: db, published: published}
	start := time.Now()
	p, err := rt.build(r)
	if err != nil {
		status := http.StatusInternalServerError
		var bad *badRequest
		if errors.As(err, &bad) {
			status = http.StatusBadRequest
		} else if errors.Is(err, errNotFound) {
			status = http.StatusNotFound
		}
		s.fail(w, hr, format, status, err)
		return
	}
	p.Published = published
	for _, t := range p.Tables {
		if err := t.arrange(hr.URL.Query()); err != nil {
			s.fail(w, hr, format, http.StatusBadRequest, err)
			return
		}
		if s.opt.Public {
			t.withhold(s.opt.MinCell)
		}
	}
	s.opt.Logger.Debug("page", "path", hr.URL.Path, "format", format, "ms", time.Since(start).Milliseconds())
	switch format {
	case "json":
		writeJSON(w, http.StatusOK, p)
	case "csv":
		s.writeCSV(w, hr, rt, p)
	default:
		s.writeHTML(w, hr, rt, p, http.StatusOK)
	}
}

// errNotFound: the address names something the snapshot does not hold.
var errNotFound = errors.New("not found")

// fail answers with err in the request's format.
func (s *Server) fail(w http.ResponseWriter, hr *http.Request, format string, status int, err error) {
	if status >= 500 && !unavailable(err) {
		s.opt.Logger.Error("page failed", "path", hr.URL.Path, "err", err)
	}
	msg := err.Error()
	if format == "html" {
		s.writeHTML(w, hr, route{}, &Page{Title: http.StatusText(status), Notes: []string{msg}}, status)
		return
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)

	_ = enc.Encode(jsonSafe(v)) // the client went away: nothing to tell it
}

// arrange applies ?sort=, ?desc=, ?filter= and ?page= to a sortable table.
func (t *Table) arrange(q url.Values) error {
	if t.Sortable {
		if f := strings.ToLower(q.Get("filter")); f != "" {
			t.Rows = slices.DeleteFunc(t.Rows, func(row []any) bool {
				for _, v := range row {
					if strings.Contains(strings.ToLower(text(v)), f) {
						return false
					}
				}
				return true
			})
		}
		if col := q.Get("sort"); col != "" {
			i := slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == col })
			if i < 0 {
				return badf("sort=%s: the table %s has no such column (it has %s)", col, t.Name, t.columnNames())
			}
			desc := q.Get("desc") == "1"
			slices.SortStableFunc(t.Rows, func(a, b []any) int {
				if (a[i] == nil) != (b[i] == nil) {
					return compareCells(a[i], b[i]) // empty cells last either way
				}
				c := compareCells(a[i], b[i])
				if desc {
					return -c
				}
				return c
			})
		}
	}
	t.Total = len(t.Rows)
	if t.PageSize > 0 {
		if p := q.Get("page"); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 {
				return badf("page=%s: give a page number from 1", p)
			}
			t.page = n - 1
		}
	}
	return nil
}

func (t *Table) columnNames() string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// compareCells orders NULLs last, numbers as numbers, the rest as text.
func compareCells(a, b any) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return 1
		}
		return -1
	}
	x, xok := number(a)
	y, yok := number(b)
	if xok && yok {
		return cmp.Compare(x, y)
	}
	return strings.Compare(text(a), text(b))
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case int:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x)
	case float32:
		return float64(x), true
	case measured:
		return x.v, !math.IsNaN(x.v)
	}
	return 0, false
}

// withheld is the cell --public shows in place of a count below k.
const withheld = "suppressed"

// withhold blanks the counts from 1 to k−1 of t, and, in a column where
// exactly one is blanked, the next smallest, so that it cannot be
// recovered from a total. Metric rows are withheld before this, with the
// congressional rule (metrics.go).
func (t *Table) withhold(k int) {
	for i, c := range t.Columns {
		if !c.Count {
			continue
		}
		hidden, next := 0, -1
		for j, row := range t.Rows {
			x, ok := number(row[i])
			switch {
			case ok && x >= 1 && x < float64(k):
				row[i] = withheld
				hidden++
			case ok && x >= float64(k) && (next < 0 || x < mustNumber(t.Rows[next][i])):
				next = j
			}
		}
		if hidden == 1 && next >= 0 {
			t.Rows[next][i] = withheld
		}
	}
}

func mustNumber(v any) float64 { x, _ := number(v); return x }

// text is a cell as CSV and filters read it.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.UTC().Format(time.RFC3339)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case measured:
		if math.IsNaN(x.v) || math.IsInf(x.v, 0) {
			return ""
		}
		return strconv.FormatFloat(x.v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// cell is a value as the HTML shows it, in the column's unit.
func cell(c Column, v any) string {
	if s, ok := v.(string); ok && s == withheld {
		return "—"
	}
	if m, ok := v.(measured); ok {
		return m.display()
	}
	switch c.Unit {
	case "", "text":
		return text(v)
	case "count":
		if x, ok := number(v); ok && x == math.Trunc(x) {
			return reports.Thousands(int64(x))
		}
	}
	if x, ok := number(v); ok {
		return reports.Format(c.Unit, sql.NullFloat64{Float64: x, Valid: true})
	}
	return text(v)
}

// writeCSV gives one table of p (?table=NAME; the first when absent), the
// rows as the page shows them, text neutralised for spreadsheets.
func (s *Server) writeCSV(w http.ResponseWriter, hr *http.Request, rt route, p *Page) {
	name := hr.URL.Query().Get("table")
	var t *Table
	for _, x := range p.Tables {
		if name == "" || x.Name == name {
			t = x
			break
		}
	}
	if t == nil {
		names := make([]string, len(p.Tables))
		for i, x := range p.Tables {
			names[i] = x.Name
		}
		s.fail(w, hr, "csv", http.StatusBadRequest, badf("table=%s: this page has the tables %s", name, strings.Join(names, ", ")))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fileName(rt.path, t.Name)+".csv"))
	cw := csv.NewWriter(w)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Name
	}
	_ = cw.Write(head)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = text(v)
			if _, isText := v.(string); isText {
				rec[i] = schemas.NeutraliseFormula(rec[i])
			}
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
}

// fileName is a download's name: imet-<page>-<table>.
func fileName(path, table string) string {
	p := strings.Trim(strings.NewReplacer("/", "-", "{", "", "}", "").Replace(path), "-")
	return "imet-" + cmp.Or(p, "overview") + "-" + table
}

// jsonSafe turns what JSON cannot hold (NaN, infinities, bytes, dates)
// into what it can.
func jsonSafe(v any) any {
	p, ok := v.(*Page)
	if !ok {
		return v
	}
	for _, t := range p.Tables {
		for _, row := range t.Rows {
			for i, x := range row {
				switch y := x.(type) {
				case float64:
					if math.IsNaN(y) || math.IsInf(y, 0) {
						row[i] = nil
					}
				case []byte:
					row[i] = string(y)
				case time.Time:
					row[i] = text(y)
				case duckdb.Decimal: // a struct to encoding/json
					row[i] = y.Float64()
				}
			}
		}
	}
	return p
}
