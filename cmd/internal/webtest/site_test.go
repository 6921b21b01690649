package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/imet-project/imet/schemas"
)

// The site as the tests reach it: which pages there are, where each one's
// JSON is, and a client that shows redirects instead of following them.

// issuePages are the addresses issue 18 promises (links and scripts rely
// on them); the navigation must hold every one of them.
var issuePages = []string{"/", "/explore", "/curves", "/countries", "/methodology", "/lineage", "/quality", "/runs", "/sql"}

// privatePages are not served with --public.
var privatePages = []string{"/lineage", "/sql"}

// apiOf is the JSON address of a page's path. The console's JSON is a
// statement's result, so the console's page without one has a statement
// put in.
func apiOf(path string) string {
	p, q, _ := strings.Cut(path, "?")
	switch {
	case p == "/":
		p = "/overview"
	case p == "/sql" && q == "":
		q = "q=SELECT+42+AS+answer"
	}
	if q != "" {
		return "/api" + p + "?" + q
	}
	return "/api" + p
}

// withQuery adds k=v to an address that may already have a query.
func withQuery(path, kv string) string {
	if strings.Contains(path, "?") {
		return path + "&" + kv
	}
	return path + "?" + kv
}

var navRe = regexp.MustCompile(`(?s)<nav>(.*?)</nav>`)
var hrefRe = regexp.MustCompile(`href="([^"]+)"`)

// navLinks are the addresses the navigation of an HTML page links to.
func navLinks(t testing.TB, html string) []string {
	t.Helper()
	m := navRe.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("the page has no <nav>:\n%.500s", html)
	}
	var out []string
	for _, h := range hrefRe.FindAllStringSubmatch(m[1], -1) {
		out = append(out, strings.ReplaceAll(h[1], "&amp;", "&"))
	}
	return out
}

// demoFacts are what the tests need to know of the demo snapshot to name
// its pages: the country with the most graduates and one with fewer than
// five (for --public: its profile must withhold).
type demoFacts struct {
	bigCountry, smallCountry string
}

var (
	factsOnce sync.Once
	facts     demoFacts
	factsErr  error
)

func demo(t testing.TB) demoFacts {
	t.Helper()
	factsOnce.Do(func() {
		ctx := context.Background()
		db, err := schemas.OpenReadOnly(ctx, filepath.Join(demoWS, "published", "imet.duckdb"))
		if err != nil {
			factsErr = err
			return
		}
		defer db.Close()
		const q = `SELECT country_code FROM graduates GROUP BY 1 HAVING count(*) %s ORDER BY count(*) %s, 1 LIMIT 1`
		if err := db.QueryRowContext(ctx, fmt.Sprintf(q, ">= 5", "DESC")).Scan(&facts.bigCountry); err != nil {
			factsErr = fmt.Errorf("the demo's biggest country: %w", err)
			return
		}
		if err := db.QueryRowContext(ctx, fmt.Sprintf(q, "< 5", "ASC")).Scan(&facts.smallCountry); err != nil {
			factsErr = fmt.Errorf("a small country of the demo: %w", err)
		}
	})
	if factsErr != nil {
		t.Fatal(factsErr)
	}
	return facts
}

// sitePages are every page address of a server: its navigation (read from
// its home page) and the profiles of the demo's biggest and a small
// country. It fails when the navigation misses a page the issue promises
// (public: less the private ones).
func sitePages(t testing.TB, c *client, public bool) []string {
	t.Helper()
	status, body := c.get(t, "/")
	if status != http.StatusOK {
		t.Fatalf("GET / = %d:\n%.500s", status, body)
	}
	pages := navLinks(t, body)
	for _, p := range issuePages {
		private := slices.Contains(privatePages, p)
		switch in := slices.Contains(pages, p); {
		case !in && !(public && private):
			t.Errorf("the navigation has no link to %s (it has %v)", p, pages)
		case in && public && private:
			t.Errorf("with --public the navigation still links to %s", p)
		}
	}
	if !slices.Contains(pages, "/") {
		pages = append([]string{"/"}, pages...)
	}
	f := demo(t)
	return append(pages, "/countries/"+f.bigCountry, "/countries/"+f.smallCountry)
}

// client reaches one server: base is http://HOST:PORT without a slash;
// token, when set, goes as a Bearer header. It never follows redirects.
type client struct {
	base, token string
	hc          *http.Client
}

func newClient(base, token string) *client {
	return &client{base: strings.TrimSuffix(base, "/"), token: token, hc: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends req (its URL a path on the server) and reads the answer.
func (c *client) do(t testing.TB, req *http.Request) (*http.Response, string) {
	t.Helper()
	if c.token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read the body: %v", req.Method, req.URL, err)
	}
	return resp, string(b)
}

func (c *client) request(t testing.TB, method, path string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func (c *client) get(t testing.TB, path string) (int, string) {
	t.Helper()
	resp, body := c.do(t, c.request(t, http.MethodGet, path, nil))
	return resp.StatusCode, body
}

// postSQL sends {"sql": q} to /api/sql as the console's own page would
// (Sec-Fetch-Site: same-origin) and gives the status and the decoded answer.
func (c *client) postSQL(t testing.TB, q string) (int, sqlAnswer) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"sql": q})
	req := c.request(t, http.MethodPost, "/api/sql", strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, body := c.do(t, req)
	var a sqlAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		if resp.StatusCode == http.StatusOK {
			t.Fatalf("POST /api/sql %q = 200, not JSON: %v\n%.300s", q, err, body)
		}
		a.Error = body // the token's 401 is text
	}
	return resp.StatusCode, a
}

// sqlAnswer is POST /api/sql's answer.
type sqlAnswer struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
	Error   string   `json:"error"`
}

// page is a page's JSON as a client reads it.
type page struct {
	Title   string `json:"title"`
	Filters []struct {
		Name    string `json:"name"`
		Value   string `json:"value"`
		Options []struct {
			Value string `json:"value"`
		} `json:"options"`
	} `json:"filters"`
	Tables []*tableData `json:"tables"`
	Notes  []string     `json:"notes"`
}

// tableData is one table of a page's JSON.
type tableData struct {
	Name    string   `json:"name"`
	Columns []column `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// table is the page's table of that name.
func (p *page) table(t testing.TB, name string) *tableData {
	t.Helper()
	for _, x := range p.Tables {
		if x.Name == name {
			return x
		}
	}
	t.Fatalf("the page %q has no table %s", p.Title, name)
	return nil
}

// rows is the page's table of that name as rows of named cells.
func (p *page) rows(t testing.TB, name string) []map[string]any {
	t.Helper()
	x := p.table(t, name)
	out := make([]map[string]any, 0, len(x.Rows))
	for _, r := range x.Rows {
		m := map[string]any{}
		for i, c := range x.Columns {
			m[c.Name] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// filter is the value of the page's filter of that name.
func (p *page) filter(t testing.TB, name string) string {
	t.Helper()
	for _, f := range p.Filters {
		if f.Name == name {
			return f.Value
		}
	}
	t.Fatalf("the page %q has no filter %s", p.Title, name)
	return ""
}

// col is the index of a column.
func (x *tableData) col(t testing.TB, name string) int {
	t.Helper()
	for i, c := range x.Columns {
		if c.Name == name {
			return i
		}
	}
	t.Fatalf("table %s has no column %s", x.Name, name)
	return -1
}

// column is a table's column in a page's JSON.
type column struct {
	Name  string `json:"name"`
	Unit  string `json:"unit"`
	Count bool   `json:"count"` // --public withholds it from 1 to k−1
}

// getPage fetches the JSON of a page's address and decodes it.
func (c *client) getPage(t testing.TB, path string) page {
	t.Helper()
	status, body := c.get(t, apiOf(path))
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d:\n%.500s", apiOf(path), status, body)
	}
	var p page
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("GET %s: not a page's JSON: %v\n%.300s", apiOf(path), err, body)
	}
	return p
}
