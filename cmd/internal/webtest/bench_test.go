package webtest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imet-project/imet/cmd/internal/cli"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/synth"
	"github.com/imet-project/imet/web"
)

// benchWorkspace is a workspace of a generated program of n people, run
// and published, kept in $TMPDIR under a name of n and the tool's version
// so that a rerun starts at once (remove $TMPDIR/imet-bench-pages-* to
// make it again after changing the pipeline).
func benchWorkspace(b *testing.B, n int) string {
	b.Helper()
	final := filepath.Join(os.TempDir(), fmt.Sprintf("imet-bench-pages-%d-%s", n, cli.Version))
	if _, err := os.Stat(filepath.Join(final, "published", "imet.duckdb")); err == nil {
		return final
	}
	// Made under another name and renamed when published, so a run
	// stopped half way is never taken for a finished one.
	ws := final + ".making"
	os.RemoveAll(ws)
	ctx := context.Background()
	start := time.Now()
	var out strings.Builder
	if code := cli.Main(ctx, []string{"init", ws}, &out, &out); code != 0 {
		b.Fatal(out.String())
	}
	inbox := filepath.Join(ws, "inbox")
	if _, err := synth.Generate(ctx, inbox, synth.Options{Students: n, Seed: 1, BadRows: true}); err != nil {
		b.Fatal(err)
	}
	os.RemoveAll(filepath.Join(inbox, synth.TruthDir))
	// The run exits 1 for the planted bad files it rejects; the snapshot
	// is published all the same.
	cli.Main(ctx, []string{"run", "--workspace", ws}, &out, &out)
	if _, err := os.Stat(filepath.Join(ws, "published", "imet.duckdb")); err != nil {
		b.Fatalf("imet run published no snapshot:\n%s", out.String())
	}
	if err := os.Rename(ws, final); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("made the %d-person workspace %s in %.0f s\n", n, final, time.Since(start).Seconds())
	return final
}

// statement is one SQL statement a page ran, with its arguments.
type statement struct {
	q    string
	args []any
}

// BenchmarkPages serves every page of a 100,000-person workspace (2,000
// with -short; IMET_BENCH_PEOPLE=N for another size) and a typical query
// of each page with filters, and reports each one's server time (page-ms,
// through the whole handler: SQL, arranging, rendering) beside the time of
// the same statements run bare on a DuckDB connection of the snapshot
// (bare-ms), and their ratio. Targets: ratio at most 2, no page over
// 300 ms. It prints a table at the end.
//
//	go test -run '^$' -bench Pages -benchtime 5x -timeout 60m ./cmd/internal/webtest/
//
// (the first run makes the workspace: about ten minutes on two cores.)
func BenchmarkPages(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 2_000
	}
	if v, err := strconv.Atoi(os.Getenv("IMET_BENCH_PEOPLE")); err == nil && v > 0 {
		n = v
	}
	ws := benchWorkspace(b, n)
	snap := filepath.Join(ws, "published", "imet.duckdb")
	var (
		mu      sync.Mutex
		tracing bool
		traced  []statement
	)
	s := web.New(web.Options{
		Snapshot: snap, MinCell: 5, Metrics: cli.MetricDocs(),
		SQL: schemas.ConsoleLimits{Timeout: time.Minute, MaxRows: 100000},
		Trace: func(q string, args []any) {
			mu.Lock()
			defer mu.Unlock()
			if tracing {
				traced = append(traced, statement{q, args})
			}
		},
	})
	defer s.Close()
	h := s.Handler()
	serve := func(path string) (int, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w.Code, w.Body.String()
	}
	bare, err := schemas.OpenReadOnly(context.Background(), snap)
	if err != nil {
		b.Fatal(err)
	}
	defer bare.Close()

	type result struct {
		path              string
		statements        int
		pageMs, bareMs, r float64
	}
	var results []result
	for _, path := range benchPages(b, serve) {
		// A first request opens the snapshot and fills what is cached;
		// the second records the statements the page runs.
		if code, body := serve(path); code != http.StatusOK {
			b.Fatalf("GET %s = %d:\n%.300s", path, code, body)
		}
		mu.Lock()
		tracing, traced = true, nil
		mu.Unlock()
		serve(path)
		mu.Lock()
		tracing = false
		stmts := traced
		mu.Unlock()
		name := strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "-", "%", "").Replace(path)
		if len(name) > 48 {
			name = name[:48]
		}
		b.Run(name, func(b *testing.B) {
			var page, raw time.Duration
			for b.Loop() {
				t0 := time.Now()
				if code, _ := serve(path); code != http.StatusOK {
					b.Fatalf("GET %s = %d", path, code)
				}
				t1 := time.Now()
				// on one connection, as a page that shares a temporary
				// table among its statements (lineage) runs them
				conn, err := bare.Conn(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				for _, st := range stmts {
					if err := runBare(conn, st); err != nil {
						b.Fatalf("%s, bare: %v\n%s", path, err, st.q)
					}
				}
				page, raw = page+t1.Sub(t0), raw+time.Since(t1)
				dropTemp(b, conn)
			}
			res := result{path: path, statements: len(stmts),
				pageMs: ms(page) / float64(b.N), bareMs: ms(raw) / float64(b.N)}
			b.ReportMetric(res.pageMs, "page-ms")
			b.ReportMetric(res.bareMs, "bare-ms")
			if len(stmts) > 0 && res.bareMs > 0 {
				res.r = res.pageMs / res.bareMs
				b.ReportMetric(res.r, "ratio") // a page without SQL has none
			}
			b.ReportMetric(0, "ns/op") // the figures above are what matter
			results = append(results, res)
		})
	}
	var tbl strings.Builder
	fmt.Fprintf(&tbl, "\nimet serve, %d people (%s), targets: ratio <= 2, page <= 300 ms:\n%-64s %5s %9s %9s %6s\n", n, ws, "page", "stmts", "page ms", "bare ms", "ratio")
	for _, r := range results {
		ratio, flag := "-", ""
		if r.r > 0 {
			ratio = fmt.Sprintf("%.2f", r.r)
		}
		if r.pageMs > 300 || r.r > 2 {
			flag = "  over target"
		}
		path := r.path
		if len(path) > 64 {
			path = path[:61] + "..."
		}
		fmt.Fprintf(&tbl, "%-64s %5d %9.1f %9.1f %6s%s\n", path, r.statements, r.pageMs, r.bareMs, ratio, flag)
	}
	fmt.Print(tbl.String())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// dropTemp drops what a page's statements left on conn (not timed) and
// gives conn back.
func dropTemp(b *testing.B, conn *sql.Conn) {
	defer conn.Close()
	rows, err := conn.QueryContext(context.Background(), `SELECT table_name FROM duckdb_tables() WHERE temporary`)
	if err != nil {
		b.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			b.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		if _, err := conn.ExecContext(context.Background(), `DROP TABLE temp."`+n+`"`); err != nil {
			b.Fatal(err)
		}
	}
}

// runBare runs one statement on db and reads every row, as a page would
// before arranging them.
func runBare(db *sql.Conn, st statement) error {
	rows, err := db.QueryContext(context.Background(), st.q, st.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// benchPages are the addresses the benchmark serves: every page of the
// navigation (as HTML), the JSON of each, a country's profile, and for
// each page with filters a typical query: each filter at another of its
// choices, one at a time; and a console statement.
func benchPages(b *testing.B, serve func(string) (int, string)) []string {
	b.Helper()
	code, home := serve("/")
	if code != http.StatusOK {
		b.Fatalf("GET / = %d", code)
	}
	nav := navLinks(b, home)
	code, countries := serve("/api/sql?q=" + url.QueryEscape("SELECT country_code FROM graduates GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1") + "&format=csv&table=result")
	if code != http.StatusOK {
		b.Fatalf("find the biggest country: %d %s", code, countries)
	}
	lines := strings.Split(strings.TrimSpace(countries), "\n")
	var out []string
	for _, p := range nav {
		out = append(out, p, apiOf(p))
	}
	if len(lines) == 2 {
		out = append(out, "/countries/"+lines[1], apiOf("/countries/"+lines[1]))
	}
	// the lineage of the first headline number the overview links to
	if m := regexp.MustCompile(`href="(/lineage\?[^"]+)"`).FindStringSubmatch(home); m != nil {
		l := html.UnescapeString(m[1])
		out = append(out, l, apiOf(l))
	}
	for _, p := range nav {
		_, body := serve(apiOf(p))
		var pg page
		if err := json.Unmarshal([]byte(body), &pg); err != nil {
			continue
		}
		for _, f := range pg.Filters {
			for _, o := range f.Options {
				if o.Value != f.Value {
					out = append(out, withQuery(p, f.Name+"="+url.QueryEscape(o.Value)))
					break
				}
			}
		}
	}
	return append(out, "/sql?q="+url.QueryEscape("SELECT region, metric_id, count(*) AS rows, avg(value) AS mean FROM metric_values GROUP BY ALL ORDER BY ALL"))
}
