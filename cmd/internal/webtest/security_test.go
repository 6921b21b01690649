package webtest

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/imet-project/imet/web"
)

// The security model of imet serve, from outside: the token on every
// request, the cookie it leaves, the same-origin rule for POST, the strict
// headers on every answer, --public's disclosure control and the console's
// refusals.

// addresses are every page of the site with its JSON and each of its
// tables' CSV (c reads which tables each has), and the static files.
func addresses(t testing.TB, c *client, pages []string) []string {
	t.Helper()
	var out []string
	for _, p := range pages {
		out = append(out, p, apiOf(p))
		for _, tb := range c.getPage(t, p).Tables {
			out = append(out, withQuery(apiOf(p), "format=csv&table="+url.QueryEscape(tb.Name)))
		}
	}
	return append(out, "/static/style.css", "/static/app.js")
}

// checkHeaders fails unless resp has the headers every answer must have.
func checkHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for name, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
	} {
		if got := h.Get(name); !strings.Contains(got, want) {
			t.Errorf("%s: %s = %q, want it to hold %q", what, name, got, want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"frame-ancestors 'none'", "script-src 'self'", "style-src 'self'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: the Content-Security-Policy %q lacks %s", what, csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
		t.Errorf("%s: the Content-Security-Policy %q lets in more than the site itself", what, csp)
	}
}

// writeToken writes a token file for --token-file and returns its path.
func writeToken(t *testing.T, token string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(f, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// With a token, nothing is served without it: every page, its JSON and
// CSV, the static files and the console. It comes as ?token= once (which
// leaves an HttpOnly, SameSite=Strict cookie and sends the browser on to
// the address without it), as the cookie, or as a Bearer header.
func TestSecurityToken(t *testing.T) {
	const token = "s3cret-token-for-the-test-0123456789"
	base := serveCLI(t, demoWS, "--token-file", writeToken(t, token))
	anon := newClient(base, "")
	pages := sitePages(t, newClient(base, token), false)
	all := addresses(t, newClient(base, token), pages)

	t.Run("no token is 401 everywhere", func(t *testing.T) {
		for _, a := range append(all, "/nowhere", "/api/nowhere", "/api/sql?format=csv", "/countries/XXX") {
			resp, body := anon.do(t, anon.request(t, http.MethodGet, a, nil))
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("GET %s without the token = %d, want 401:\n%.200s", a, resp.StatusCode, body)
				continue
			}
			if !strings.Contains(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("GET %s: the 401 has no WWW-Authenticate: Bearer", a)
			}
			if strings.Contains(body, "<table") || strings.Contains(body, `"rows"`) {
				t.Errorf("GET %s: the 401 shows data:\n%.300s", a, body)
			}
			checkHeaders(t, "401 of "+a, resp.Header)
		}
		code, a := anon.postSQL(t, "SELECT 42")
		if code != http.StatusUnauthorized || len(a.Rows) > 0 {
			t.Errorf("POST /api/sql without the token = %d %+v, want 401 and no rows", code, a)
		}
	})

	t.Run("a wrong token is 401", func(t *testing.T) {
		wrong := newClient(base, token+"x")
		if code, _ := wrong.get(t, "/api/methodology"); code != http.StatusUnauthorized {
			t.Errorf("Bearer with a wrong token = %d, want 401", code)
		}
		if code, _ := anon.get(t, "/methodology?token="+token[:len(token)-1]); code != http.StatusUnauthorized {
			t.Errorf("?token= with a wrong token = %d, want 401", code)
		}
		req := anon.request(t, http.MethodGet, "/methodology", nil)
		req.AddCookie(&http.Cookie{Name: "imet_token", Value: strings.ToUpper(token)})
		if resp, _ := anon.do(t, req); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("a cookie with a wrong token = %d, want 401", resp.StatusCode)
		}
	})

	t.Run("?token= sets the cookie and redirects without it", func(t *testing.T) {
		resp, _ := anon.do(t, anon.request(t, http.MethodGet, "/methodology?sort=title&token="+url.QueryEscape(token)+"&desc=1", nil))
		if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
			t.Fatalf("GET with ?token= = %d, want a redirect", resp.StatusCode)
		}
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		if loc.Path != "/methodology" || loc.Query().Has("token") || loc.Query().Get("sort") != "title" || loc.Query().Get("desc") != "1" {
			t.Errorf("redirected to %q, want /methodology with the other parameters and without the token", loc)
		}
		var cookie *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "imet_token" {
				cookie = c
			}
		}
		if cookie == nil {
			t.Fatalf("no imet_token cookie set: %v", resp.Header.Values("Set-Cookie"))
		}
		if !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" {
			t.Errorf("the cookie is %q; want HttpOnly, SameSite=Strict, Path=/", resp.Header.Get("Set-Cookie"))
		}
		for _, a := range []string{loc.String(), "/api/methodology"} {
			req := anon.request(t, http.MethodGet, a, nil)
			req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
			if resp, body := anon.do(t, req); resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s with the cookie = %d:\n%.200s", a, resp.StatusCode, body)
			}
		}
	})

	t.Run("Bearer works on every address", func(t *testing.T) {
		c := newClient(base, token)
		for _, a := range all {
			if code, body := c.get(t, a); code != http.StatusOK {
				t.Errorf("GET %s with Bearer = %d:\n%.300s", a, code, body)
			}
		}
		if code, a := c.postSQL(t, "SELECT 42 AS answer"); code != http.StatusOK || len(a.Rows) != 1 {
			t.Errorf("POST /api/sql with Bearer = %d %+v", code, a)
		}
	})

	t.Run("a forged cross-site POST is 403", func(t *testing.T) {
		c := newClient(base, token)
		for _, h := range []map[string]string{
			{"Origin": "http://evil.example"},
			{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
			{"Sec-Fetch-Site": "cross-site"},
			{"Sec-Fetch-Site": "same-site", "Origin": "http://sub." + strings.TrimPrefix(base, "http://")},
			{"Origin": "null"},
		} {
			for _, auth := range []string{"bearer", "cookie"} {
				req := c.request(t, http.MethodPost, "/api/sql", strings.NewReader(`{"sql": "SELECT 42"}`))
				req.Header.Set("Content-Type", "application/json")
				for k, v := range h {
					req.Header.Set(k, v)
				}
				if auth == "cookie" {
					req.Header.Set("Authorization", "none")
					req.AddCookie(&http.Cookie{Name: "imet_token", Value: token})
				}
				resp, body := c.do(t, req)
				if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "42") {
					t.Errorf("POST /api/sql with %v (%s) = %d, want 403:\n%.200s", h, auth, resp.StatusCode, body)
				}
				checkHeaders(t, "403", resp.Header)
			}
		}
		// The site's own page, as a browser sends it, is let through.
		req := c.request(t, http.MethodPost, "/api/sql", strings.NewReader(`{"sql": "SELECT 42 AS answer"}`))
		req.Header.Set("Origin", base)
		if resp, body := c.do(t, req); resp.StatusCode != http.StatusOK || !strings.Contains(body, "42") {
			t.Errorf("a same-origin POST = %d:\n%.200s", resp.StatusCode, body)
		}
	})
}

// On an address other than loopback, imet serve makes a token when given
// none, prints the address with it once, and requires it. The test reaches
// the listener through 127.0.0.1 only.
func TestSecurityGeneratedToken(t *testing.T) {
	addr := serveCLI(t, demoWS, "--listen", "0.0.0.0:0")
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	token := u.Query().Get("token")
	if !regexp.MustCompile(`^[0-9a-f]{32,}$`).MatchString(token) {
		t.Fatalf("imet serve on 0.0.0.0 printed %q: want an address with ?token= of at least 32 hex digits", addr)
	}
	base := "http://127.0.0.1:" + u.Port()
	if code, _ := newClient(base, "").get(t, "/"); code != http.StatusUnauthorized {
		t.Errorf("GET / without the printed token = %d, want 401", code)
	}
	if code, _ := newClient(base, "").get(t, "/?token="+token); code != http.StatusSeeOther {
		t.Errorf("GET /?token=<printed> = %d, want 303", code)
	}
	if code, _ := newClient(base, token).get(t, "/api/methodology"); code != http.StatusOK {
		t.Errorf("Bearer <printed> = %d, want 200", code)
	}
}

// Every answer, whatever its status or type, has the strict headers.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	c := newClient(ts.URL, "")
	for _, a := range append(addresses(t, c, sitePages(t, c, false)),
		"/nowhere", "/api/nowhere", "/countries/XXX", "/api/methodology?sort=nosuchcolumn", "/api/methodology?format=xml", "/favicon.ico") {
		resp, _ := c.do(t, c.request(t, http.MethodGet, a, nil))
		checkHeaders(t, "GET "+a, resp.Header)
		if ct := resp.Header.Get("Content-Type"); ct == "" && resp.StatusCode != http.StatusNoContent {
			t.Errorf("GET %s (%d) has no Content-Type", a, resp.StatusCode)
		}
	}
	for _, q := range []string{"SELECT 1", "CREATE TABLE x(i INT)", "SELEC nonsense"} {
		req := c.request(t, http.MethodPost, "/api/sql", strings.NewReader(`{"sql": "`+q+`"}`))
		resp, _ := c.do(t, req)
		checkHeaders(t, "POST /api/sql "+q, resp.Header)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("POST /api/sql %q: Content-Type %q, want JSON", q, ct)
		}
	}
}

// sqlError is the console page's error, shown (not hidden, not empty).
var sqlError = regexp.MustCompile(`id="sql-error"[^>]*>[^<\s][^<]*<`)

// The console runs only what reads the snapshot: writes, attaching or
// reading files, extensions and settings are refused with 403 and say why,
// as the console shows them (on its page too, without JavaScript).
func TestSecurityConsoleRefuses(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	c := newClient(ts.URL, "")
	for _, q := range []string{
		"CREATE TABLE x(i INT)",
		"CREATE VIEW v AS SELECT 1",
		"INSERT INTO countries (country_code) VALUES ('ZZZ')",
		"UPDATE countries SET country_name = 'x'",
		"DELETE FROM countries",
		"DROP TABLE countries",
		"ALTER TABLE countries ADD COLUMN x INT",
		"ATTACH '/tmp/imet-webtest-attach.duckdb' AS x",
		"COPY countries TO '/tmp/imet-webtest-copy.csv'",
		"COPY (SELECT 1) TO '/tmp/imet-webtest-copy.csv'",
		"EXPORT DATABASE '/tmp/imet-webtest-export'",
		"SELECT * FROM read_csv('/etc/passwd')",
		"SELECT * FROM read_text('/etc/hostname')",
		"INSTALL httpfs",
		"LOAD httpfs",
		"SET memory_limit = '1GB'",
		"SET enable_external_access = true",
		"RESET lock_configuration",
		"PRAGMA enable_profiling",
		"CALL enable_logging(storage_path='/tmp/imet-webtest-log')",
		"CHECKPOINT",
		"BEGIN TRANSACTION",
	} {
		t.Run(q, func(t *testing.T) {
			code, a := c.postSQL(t, q)
			if code != http.StatusForbidden || a.Error == "" || len(a.Rows) > 0 {
				t.Errorf("POST /api/sql %q = %d %+v, want 403 with an error", q, code, a)
			}
			status, body := c.get(t, "/sql?q="+url.QueryEscape(q))
			if status != http.StatusOK || !sqlError.MatchString(body) || strings.Contains(body, `id="table-result"`) {
				t.Errorf("GET /sql?q=%s = %d; want the page with #sql-error and no result", q, status)
			}
		})
	}
	for _, f := range []string{"/tmp/imet-webtest-attach.duckdb", "/tmp/imet-webtest-copy.csv", "/tmp/imet-webtest-export", "/tmp/imet-webtest-log"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("the console made %s", f)
		}
	}
	// A statement that reads still runs, and a mistake is a 400 with
	// DuckDB's words, not a refusal.
	if code, a := c.postSQL(t, "SELECT count(*) AS n FROM countries"); code != http.StatusOK || len(a.Rows) != 1 {
		t.Errorf("a SELECT = %d %+v", code, a)
	}
	if code, a := c.postSQL(t, "SELEC 1"); code != http.StatusBadRequest || !strings.Contains(a.Error, "syntax error") {
		t.Errorf("a syntax error = %d %+v, want 400 with DuckDB's message", code, a)
	}
}

// notPeople are the columns in the unit "count" that count no people, so
// --public need not withhold them: each one a reviewed decision (a new
// count column must be marked Column{Count: true} or added here, with why).
var notPeople = map[string]string{
	"quarantine.files":           "files a rule's rows came from",
	"freshness.rows":             "a dataset's whole load, not a cell of people",
	"history.rows":               "rows a run loaded",
	"transform_runs.metric_rows": "metric rows a transform wrote",
	"steps.rows":                 "rows a transform step wrote",
	"fmtr_quality.*":             "lines and records of the published Foreign Military Training Report files",
	"metric.value":               "a metric's value, withheld by the congressional rule (metricRows), not by the column",
	"metric.ci_low":              "its interval",
	"metric.ci_high":             "its interval",
	"metric.region_value":        "the region's value of the same metric",
	"metric.region_ci_low":       "its interval",
	"metric.region_ci_high":      "its interval",
}

// countKind says how --public must treat a column of a page's table:
// people (withheld from 1 to k−1), fine (no people counted), or
// unmarked: in the unit "count" yet neither marked nor reviewed.
func countKind(table, name, unit string, marked bool) string {
	switch {
	case marked || name == "n" || name == "events":
		return "people"
	case unit != "count":
		return "fine"
	}
	if _, ok := notPeople[table+"."+name]; ok {
		return "fine"
	}
	if _, ok := notPeople[table+".*"]; ok {
		return "fine"
	}
	if _, ok := notPeople["metric."+name]; ok {
		return "fine" // metric values are named so on every page
	}
	return "unmarked"
}

// With --public, no page shows a count from 1 to k−1, in any of its
// filters' choices; the console and lineage are not there.
func TestSecurityPublic(t *testing.T) {
	t.Parallel()
	const k = 5
	ts := newServer(t, func(o *web.Options) { o.Public = true; o.MinCell = k })
	c := newClient(ts.URL, "")
	pages := sitePages(t, c, true)

	t.Run("the console and lineage are off", func(t *testing.T) {
		for _, p := range privatePages {
			for _, a := range []string{p, apiOf(p), withQuery(apiOf(p), "format=csv"), p + "?q=SELECT+1"} {
				if code, body := c.get(t, a); code != http.StatusNotFound {
					t.Errorf("GET %s with --public = %d, want 404:\n%.200s", a, code, body)
				}
			}
		}
		if code, a := c.postSQL(t, "SELECT 42"); code != http.StatusNotFound || len(a.Rows) > 0 {
			t.Errorf("POST /api/sql with --public = %d %+v, want 404", code, a)
		}
		_, home := c.get(t, "/")
		if !strings.Contains(home, "public view") {
			t.Errorf("the public home page does not say it is the public view")
		}
	})

	t.Run("no count below k", func(t *testing.T) {
		seen, unmarked, checked := map[string]bool{}, map[string]bool{}, 0
		var visit func(path string, depth int)
		visit = func(path string, depth int) {
			if seen[path] {
				return
			}
			seen[path] = true
			p := c.getPage(t, path)
			for _, tb := range p.Tables {
				for i, col := range tb.Columns {
					switch countKind(tb.Name, col.Name, col.Unit, col.Count) {
					case "fine":
						continue
					case "unmarked":
						if !unmarked[tb.Name+"."+col.Name] {
							unmarked[tb.Name+"."+col.Name] = true
							t.Errorf("%s table %s column %s is in the unit count but not marked Count (withheld with --public) nor listed in notPeople", apiOf(path), tb.Name, col.Name)
						}
						continue
					}
					for _, row := range tb.Rows {
						checked++
						if x, ok := row[i].(float64); ok && x >= 1 && x < k {
							t.Errorf("%s table %s column %s: %v, a count below %d, in row %v", apiOf(path), tb.Name, col.Name, x, k, row)
						}
					}
				}
			}
			// Every choice of every filter, one at a time.
			if depth > 0 {
				return
			}
			for _, f := range p.Filters {
				for _, o := range f.Options {
					if o.Value != f.Value {
						visit(withQuery(path, f.Name+"="+url.QueryEscape(o.Value)), depth+1)
					}
				}
			}
		}
		for _, p := range pages {
			visit(p, 0)
		}
		if checked == 0 {
			t.Errorf("no page had a count column to check (pages %v)", pages)
		}
		t.Logf("%d pages and views, %d count cells checked", len(seen), checked)
	})
}
