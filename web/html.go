package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
)

//go:embed assets
var assets embed.FS

var layout = template.Must(template.New("layout.html").Funcs(template.FuncMap{
	"cell":   cell,
	"add1":   func(n int) int { return n + 1 },
	"sub1":   func(n int) int { return n - 1 },
	"label":  Column.label,
	"rowsOf": (*Table).shown,
	"sortURL": func(u *url.URL, col string) string {
		q := u.Query()
		desc := q.Get("sort") == col && q.Get("desc") != "1"
		q.Set("sort", col)
		q.Del("desc")
		if desc {
			q.Set("desc", "1")
		}
		q.Del("page")
		return "?" + q.Encode()
	},
	"pageURL": func(u *url.URL, n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return "?" + q.Encode()
	},
	"downloadURL": func(u *url.URL, api, format, table string) string {
		q := u.Query()
		q.Del("page")
		q.Set("format", format)
		if table != "" {
			q.Set("table", table)
		}
		return api + "?" + q.Encode()
	},
	"sorted": func(u *url.URL, col string) string {
		q := u.Query()
		switch {
		case q.Get("sort") != col:
			return ""
		case q.Get("desc") == "1":
			return "descending"
		}
		return "ascending"
	},
}).ParseFS(assets, "assets/layout.html"))

// view is what the layout template gets.
type view struct {
	*Page
	Nav    []navItem
	URL    *url.URL
	API    string // the page's JSON address
	Public bool
	Status int
}

type navItem struct {
	Path, Label string
	Current     bool
}

// writeHTML renders p in the layout.
func (s *Server) writeHTML(w http.ResponseWriter, hr *http.Request, rt route, p *Page, status int) {
	for i := range p.Charts {
		if c := &p.Charts[i]; c.Draw != nil {
			c.SVG = c.Draw()
		}
	}
	v := view{Page: p, URL: hr.URL, API: apiPath(hr.URL.Path), Public: s.opt.Public, Status: status}
	if rt.path == "" {
		v.API = ""
	}
	for _, n := range s.pages() {
		if n.nav != "" && !(n.private && s.opt.Public) {
			v.Nav = append(v.Nav, navItem{Path: n.path, Label: n.nav, Current: n.path == rt.path})
		}
	}
	var b bytes.Buffer
	if err := layout.Execute(&b, v); err != nil {
		s.opt.Logger.Error("render page", "path", hr.URL.Path, "err", err)
		http.Error(w, fmt.Sprintf("render %s: %v", hr.URL.Path, err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// shown is the page of rows the HTML shows.
func (t *Table) shown() [][]any {
	if t.PageSize <= 0 {
		return t.Rows
	}
	lo := min(t.page*t.PageSize, len(t.Rows))
	return t.Rows[lo:min(lo+t.PageSize, len(t.Rows))]
}

// Pages is the number of HTML pages of a paged table.
func (t *Table) Pages() int {
	if t.PageSize <= 0 || len(t.Rows) == 0 {
		return 1
	}
	return (len(t.Rows) + t.PageSize - 1) / t.PageSize
}

// PageNumber is the page shown, from 1.
func (t *Table) PageNumber() int { return t.page + 1 }

// LinkOf is the address a row's first cell links to ("" none).
func (t *Table) LinkOf(row []any) string {
	if t.Links == nil {
		return ""
	}
	return t.Links(row)
}

// CellLink is the address cell i of a row links to: the table's Links for
// the first, the column's Link for any ("" none).
func (t *Table) CellLink(row []any, i int) string {
	if i == 0 {
		if l := t.LinkOf(row); l != "" {
			return l
		}
	}
	if t.Columns[i].Link == nil {
		return ""
	}
	return t.Columns[i].Link(row)
}

// static serves the embedded style sheet and script.
func static() http.Handler {
	sub, err := fs.Sub(assets, "assets/static")
	if err != nil {
		panic(err)
	}
	return http.StripPrefix("/static/", http.FileServerFS(sub))
}
