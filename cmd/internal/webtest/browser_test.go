package webtest

import (
	"context"
	"encoding/csv"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// resultRows are the rows of the console's result.
const resultRows = "#sql-results tbody tr, #table-result tbody tr"

// The site in real Chromium, as a reader uses it, served by the real
// command: the token's address, every page of the navigation with its
// downloads, a filter of Explore changing its table and chart, a country's
// profile from Countries, a query in the console with its CSV, a write
// refused; and no request leaves the origin.
func TestBrowser(t *testing.T) {
	const token = "browser-test-token-0123456789abcdef"
	base := strings.TrimSuffix(serveCLI(t, demoWS, "--token-file", writeToken(t, token)), "/")
	origin, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, 1280, 900)
	check := func(t *testing.T, what string, allowed ...string) {
		t.Helper()
		for _, p := range tb.take() {
			if !slices.ContainsFunc(allowed, func(a string) bool { return strings.Contains(p, a) }) {
				t.Errorf("%s: %s", what, p)
			}
		}
	}

	t.Run("the token's address leaves a cookie and drops the token", func(t *testing.T) {
		tb.open(t, base, "/?token="+token)
		if u := tb.location(t); u.Path != "/" || u.Query().Has("token") {
			t.Errorf("after the token's address the browser shows %s, want / without the token", u)
		}
		cookie := value(t, tb, "document.cookie", chromedp.Evaluate[string](`document.cookie`))
		if strings.Contains(cookie, token) {
			t.Errorf("the page's script can read the token cookie: %q (want HttpOnly)", cookie)
		}
		check(t, "/?token=")
	})

	var pages []string
	t.Run("every page of the navigation", func(t *testing.T) {
		tb.open(t, base, "/")
		nav := value(t, tb, "the navigation", chromedp.Evaluate[[]string](`[...document.querySelectorAll('header nav a')].map(a => a.getAttribute('href'))`))
		for _, p := range issuePages {
			if !slices.Contains(nav, p) {
				t.Errorf("the navigation has no link to %s (it has %v)", p, nav)
			}
		}
		pages = append(nav, "/countries/"+demo(t).bigCountry)
		for _, p := range pages {
			tb.open(t, base, p)
			h1 := value(t, tb, "h1 of "+p, chromedp.Text(chromedp.CSS("main h1")))
			main := value(t, tb, "main of "+p, chromedp.Text(chromedp.CSS("main")))
			switch {
			case strings.TrimSpace(h1) == "":
				t.Errorf("%s has an empty heading", p)
			case strings.Contains(main, "not built yet"):
				t.Errorf("%s (%s) is not built yet", p, h1)
			}
			// Every chart is a drawing, every download link answers.
			charts := value(t, tb, "charts of "+p, chromedp.Evaluate[[]bool](`[...document.querySelectorAll('figure.chart')].map(f => f.querySelector('svg') !== null)`))
			for i, ok := range charts {
				if !ok {
					t.Errorf("%s: chart %d has no svg", p, i+1)
				}
			}
			statuses := value(t, tb, "downloads of "+p, chromedp.Evaluate[[]string](
				`Promise.all([...document.querySelectorAll('a.download')].map(a => fetch(a.href).then(r => r.status + ' ' + a.getAttribute('href'))))`,
				chromedp.EvalAwaitPromise))
			for _, s := range statuses {
				if !strings.HasPrefix(s, "200 ") {
					t.Errorf("%s: download %s", p, s)
				}
			}
			check(t, p)
		}
	})

	t.Run("a filter of Explore changes its table and chart", func(t *testing.T) {
		tb.open(t, base, "/explore")
		tableText := `[...document.querySelectorAll('section.table tbody')].map(b => b.innerText).join('\n')`
		chartHTML := `[...document.querySelectorAll('figure.chart')].map(f => f.innerHTML).join('\n')`
		rowsBefore := value(t, tb, "explore's rows", chromedp.Evaluate[string](tableText))
		chartBefore := value(t, tb, "explore's chart", chromedp.Evaluate[string](chartHTML))
		if chartBefore == "" {
			t.Errorf("/explore shows no figure.chart")
		}
		if !tb.has(t, `form.filters select[name="by"]`) {
			t.Fatalf("/explore has no form.filters select[name=by]")
		}
		tb.step(t, "choose region", chromedp.SetValue(chromedp.CSS(`form.filters select[name="by"]`), "region"))
		ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
		defer cancel()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`))); err != nil {
			t.Fatalf("submit the filters: %v", err)
		}
		tb.step(t, "the new page", chromedp.WaitVisible(chromedp.CSS("main h1")))
		if u := tb.location(t); u.Query().Get("by") != "region" {
			t.Errorf("after choosing region the address is %s, want by=region in it (a permalink)", u)
		}
		rowsAfter := value(t, tb, "explore's rows", chromedp.Evaluate[string](tableText))
		chartAfter := value(t, tb, "explore's chart", chromedp.Evaluate[string](chartHTML))
		if rowsAfter == rowsBefore || rowsAfter == "" {
			t.Errorf("the table did not change with by=region:\n%.300s", rowsAfter)
		}
		if chartAfter == chartBefore || chartAfter == "" {
			t.Errorf("the chart did not change with by=region")
		}
		regions := value(t, tb, "regions shown", chromedp.Evaluate[string](`document.querySelector('section.table tbody').innerText`))
		if !strings.Contains(regions, "EUR") || !strings.Contains(regions, "WHA") {
			t.Errorf("by=region shows no region:\n%.300s", regions)
		}
		check(t, "/explore?by=region")
	})

	t.Run("a country's profile from Countries", func(t *testing.T) {
		tb.open(t, base, "/countries")
		href := value(t, tb, "a country's link", chromedp.Evaluate[string](`(document.querySelector('section.table a[href^="/countries/"]') || {}).getAttribute?.('href') || ''`))
		if href == "" {
			t.Fatalf("/countries links to no country profile")
		}
		ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
		defer cancel()
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`section.table a[href="`+href+`"]`), chromedp.NodeVisible))
		if err != nil {
			t.Fatalf("open %s: %v", href, err)
		}
		if resp.Status != 200 {
			t.Errorf("%s: %d", href, resp.Status)
		}
		tb.step(t, "the profile", chromedp.WaitVisible(chromedp.CSS("main h1")))
		if u := tb.location(t); u.Path != href {
			t.Errorf("the link %s led to %s", href, u)
		}
		iso := strings.TrimPrefix(href, "/countries/")
		main := value(t, tb, "the profile", chromedp.Text(chromedp.CSS("main")))
		if !strings.Contains(main, iso) && value(t, tb, "h1", chromedp.Text(chromedp.CSS("main h1"))) == "" {
			t.Errorf("the profile of %s names no country", iso)
		}
		if n := value(t, tb, "the profile's tables", chromedp.Evaluate[int](`document.querySelectorAll('section.table').length`)); n == 0 {
			t.Errorf("the profile of %s has no table", iso)
		}
		check(t, href)
	})

	t.Run("a number's lineage from Overview", func(t *testing.T) {
		tb.open(t, base, "/")
		href := value(t, tb, "a value's link", chromedp.Evaluate[string](`(document.querySelector('section.table a[href^="/lineage?"]') || {}).getAttribute?.('href') || ''`))
		if href == "" {
			t.Fatalf("no number of the overview links to its lineage")
		}
		ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
		defer cancel()
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`section.table a[href^="/lineage?"]`), chromedp.NodeVisible))
		if err != nil {
			t.Fatalf("open %s: %v", href, err)
		}
		if resp.Status != 200 {
			t.Errorf("%s: %d", href, resp.Status)
		}
		tb.step(t, "the lineage", chromedp.WaitVisible(chromedp.CSS("main h1")))
		if u := tb.location(t); u.Path != "/lineage" || u.Query().Get("metric") == "" {
			t.Errorf("the value's link led to %s", u)
		}
		if n := value(t, tb, "the lineage's tables", chromedp.Evaluate[int](`document.querySelectorAll('section.table').length`)); n < 2 {
			t.Errorf("the lineage of %s has %d tables", href, n)
		}
		check(t, href)
	})

	t.Run("the console runs a query and gives its CSV", func(t *testing.T) {
		tb.open(t, base, "/sql")
		const q = "SELECT country_code, count(*) AS graduates FROM graduates GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"
		tb.step(t, "type a query", chromedp.SetValue(chromedp.ID("sql-editor"), q))
		// The result: drawn by app.js in #sql-results, or by the server
		// (without JavaScript) as the table "result".
		tb.step(t, "run it", chromedp.Click(chromedp.ID("sql-run")), chromedp.WaitVisible(chromedp.CSS(resultRows)))
		rows := value(t, tb, "the result", chromedp.Evaluate[[][]string](`[...document.querySelectorAll('`+resultRows+`')].map(r => [...r.cells].map(c => c.innerText.trim()))`))
		if len(rows) != 5 || len(rows[0]) != 2 || rows[0][0] != demo(t).bigCountry {
			t.Fatalf("the result shows %v; want 5 rows of 2 columns, %s first", rows, demo(t).bigCountry)
		}
		b := tb.download(t, `#sql-downloads a.download[href*="format=csv"], #table-result a.download[href*="format=csv"]`)
		recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
		if err != nil {
			t.Fatalf("the CSV: %v\n%s", err, b)
		}
		if len(recs) != 6 || strings.Join(recs[0], ",") != "country_code,graduates" || recs[1][0] != rows[0][0] {
			t.Errorf("the CSV is\n%s\nwant the header and the 5 rows shown", b)
		}
		for i, r := range recs[1:] {
			if r[0] != rows[i][0] || strings.ReplaceAll(rows[i][1], ",", "") != r[1] {
				t.Errorf("CSV row %d %v, the page shows %v", i+1, r, rows[i])
			}
		}
		check(t, "/sql")
	})

	t.Run("the console refuses a write", func(t *testing.T) {
		tb.open(t, base, "/sql")
		tb.step(t, "type a write", chromedp.SetValue(chromedp.ID("sql-editor"), "CREATE TABLE x(i INT)"))
		tb.step(t, "run it", chromedp.Click(chromedp.ID("sql-run")), chromedp.WaitVisible(chromedp.ID("sql-error")))
		msg := value(t, tb, "the error", chromedp.Text(chromedp.ID("sql-error")))
		if !strings.Contains(msg, "read-only") {
			t.Errorf("the console says %q; want it to say the snapshot is read-only", msg)
		}
		if n := value(t, tb, "a result", chromedp.Evaluate[int](`document.querySelectorAll('`+resultRows+`').length`)); n > 0 {
			t.Errorf("a refused statement shows %d result rows", n)
		}
		check(t, "a refused write", "403 "+base+"/api/sql", "status of 403 (Forbidden) ("+base+"/api/sql)")
	})

	t.Run("no request leaves the origin", func(t *testing.T) {
		reqs := tb.allRequests()
		if len(reqs) < len(pages) {
			t.Errorf("only %d requests were recorded for %d pages", len(reqs), len(pages))
		}
		for _, r := range reqs {
			u, err := url.Parse(r)
			if err != nil {
				t.Errorf("request %q: %v", r, err)
				continue
			}
			switch u.Scheme {
			case "data", "about", "blob":
				continue
			}
			if u.Scheme != origin.Scheme || u.Host != origin.Host {
				t.Errorf("a request left the origin %s: %s", origin.Host, r)
			}
		}
		t.Logf("%d requests, all to %s", len(reqs), origin.Host)
	})
}
