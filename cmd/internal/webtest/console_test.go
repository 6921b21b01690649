package webtest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/web"
)

// postSQL sends one statement to POST /api/sql and decodes the answer.
func postSQL(t testing.TB, ts *httptest.Server, q string) (int, consoleAnswer) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"sql": q})
	resp, err := ts.Client().Post(ts.URL+"/api/sql", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a consoleAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("%s: decode the answer: %v", q, err)
	}
	return resp.StatusCode, a
}

type consoleAnswer struct {
	Columns []string `json:"columns"`
	Types   []string `json:"types"`
	Rows    [][]any  `json:"rows"`
	Error   string   `json:"error"`
}

// Every class of statement that would write, attach, copy, change a
// setting, load an extension or read a file is refused with 403 and says
// why; a mistake is a 400 with DuckDB's own message.
func TestConsoleRefuses(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	for _, c := range []struct{ name, q, want string }{
		{"INSERT", "INSERT INTO files VALUES (1)", "INSERT"},
		{"INSERT that binds", "INSERT INTO files SELECT * FROM files", "INSERT"},
		{"CREATE", "CREATE TABLE x (a INTEGER)", "CREATE"},
		{"CREATE TEMP", "CREATE TEMP TABLE x (a INTEGER)", "CREATE"},
		{"ATTACH", "ATTACH '/tmp/imet-webtest-x.duckdb' AS x", "ATTACH"},
		{"COPY TO", "COPY files TO '/tmp/imet-webtest-x.csv'", "COPY"},
		{"SET", "SET threads = 1", "configuration has been locked"},
		{"INSTALL", "INSTALL httpfs", "disabled by configuration"},
		{"LOAD", "LOAD httpfs", "disabled through configuration"},
		{"file read", "SELECT * FROM read_csv('/etc/passwd')", "file system operations are disabled"},
		{"second statement", "SELECT 1; DROP TABLE files", "DROP"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, a := postSQL(t, ts, c.q)
			if code != http.StatusForbidden || !strings.Contains(a.Error, c.want) || !strings.HasPrefix(a.Error, "refused") {
				t.Errorf("%s: %d %q, want 403 refused … %q", c.q, code, a.Error, c.want)
			}
		})
	}
	t.Run("syntax error", func(t *testing.T) {
		code, a := postSQL(t, ts, "SELEC 1")
		if code != http.StatusBadRequest || !strings.HasPrefix(a.Error, `Parser Error: syntax error at or near "SELEC"`) || !strings.Contains(a.Error, "LINE 1: SELEC 1") {
			t.Errorf("%d %q, want 400 with DuckDB's parser error", code, a.Error)
		}
	})
	t.Run("still reads", func(t *testing.T) {
		code, a := postSQL(t, ts, "WITH x AS (SELECT count(*) AS n FROM files) SELECT n FROM x")
		if code != http.StatusOK || len(a.Rows) != 1 || a.Columns[0] != "n" {
			t.Errorf("%d %+v", code, a)
		}
	})
}

// The limits: a server with MaxRows 10 refuses 11 rows and gives 10; a
// 1-ms time limit stops a slow statement.
func TestConsoleLimits(t *testing.T) {
	t.Parallel()
	ts10 := newServer(t, func(o *web.Options) { o.SQL = schemas.ConsoleLimits{Timeout: 30 * time.Second, MaxRows: 10} })
	ts := newServer(t, func(o *web.Options) { o.SQL = schemas.ConsoleLimits{Timeout: time.Millisecond, MaxRows: 10} })
	code, a := postSQL(t, ts10, "SELECT * FROM range(11)")
	if code != http.StatusUnprocessableEntity || !strings.Contains(a.Error, "more than 10 rows") {
		t.Errorf("11 rows: %d %q", code, a.Error)
	}
	// ten billion rows: the answer comes only because the limit stopped it
	code, a = postSQL(t, ts, "SELECT sum(hash(i)) FROM range(10000000000) t(i)")
	if code != http.StatusUnprocessableEntity || !strings.Contains(a.Error, "ran longer than 1ms") {
		t.Errorf("slow statement: %d %q", code, a.Error)
	}
	if code, a := postSQL(t, ts10, "SELECT * FROM range(10)"); code != http.StatusOK || len(a.Rows) != 10 {
		t.Errorf("10 rows: %d, %d rows %q", code, len(a.Rows), a.Error)
	}
	if _, body := get(t, ts10, "/sql"); !strings.Contains(body, "30s per statement, 10 rows") {
		t.Errorf("the page does not show the limits")
	}
}

// A result downloaded as CSV and as Parquet holds what the JSON holds.
func TestConsoleDownloads(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	q := `SELECT batch_id, dataset, file, started_at, rows_read, loaded::DOUBLE / nullif(rows_read, 0) AS share,
	status = 'loaded' AS ok, DATE '2020-01-02' + batch_id::INTEGER AS day, 1.25::DECIMAL(18,2) AS money
FROM batches ORDER BY batch_id`
	code, want := postSQL(t, ts, q)
	if code != http.StatusOK || len(want.Rows) < 3 {
		t.Fatalf("JSON: %d %q, %d rows", code, want.Error, len(want.Rows))
	}
	// GET ?format=json is the POST's answer.
	var gotJSON consoleAnswer
	_, body := get(t, ts, "/api/sql?"+url.Values{"q": {q}}.Encode())
	if err := json.Unmarshal([]byte(body), &gotJSON); err != nil || fmt.Sprint(gotJSON.Rows) != fmt.Sprint(want.Rows) {
		t.Errorf("GET json differs from POST: %v", err)
	}

	code, body = get(t, ts, "/api/sql?"+url.Values{"q": {q}, "format": {"csv"}}.Encode())
	if code != http.StatusOK {
		t.Fatalf("csv: %d %s", code, body)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(want.Columns, ",") || len(recs)-1 != len(want.Rows) {
		t.Fatalf("csv: header %v, %d rows; want %v, %d", recs[0], len(recs)-1, want.Columns, len(want.Rows))
	}
	for i, row := range want.Rows {
		for j, v := range row {
			if got := recs[i+1][j]; got != jsonText(v) {
				t.Errorf("csv row %d %s = %q, JSON %q", i, want.Columns[j], got, jsonText(v))
			}
		}
	}

	resp, err := ts.Client().Get(ts.URL + "/api/sql?" + url.Values{"q": {q}, "format": {"parquet"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	pq, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(pq, []byte("PAR1")) {
		t.Fatalf("parquet: %d %.200s", resp.StatusCode, pq)
	}
	path := filepath.Join(t.TempDir(), "r.parquet")
	if err := os.WriteFile(path, pq, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := schemas.QueryReadOnly(context.Background(), db, "SELECT * FROM read_parquet('"+path+"')", schemas.ConsoleLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Columns, ",") != strings.Join(want.Columns, ",") || len(res.Rows) != len(want.Rows) {
		t.Fatalf("parquet: %v, %d rows", res.Columns, len(res.Rows))
	}
	for i, row := range want.Rows {
		for j, v := range row {
			got := res.Rows[i][j]
			if tm, ok := got.(time.Time); ok {
				got = tm.UTC()
			}
			if g, w := jsonText(mustJSON(got)), jsonText(v); g != w {
				t.Errorf("parquet row %d %s = %q, JSON %q", i, want.Columns[j], g, w)
			}
		}
	}
}

// mustJSON passes v through JSON as the server's answer does (a date
// becomes its text as the server writes it).
func mustJSON(v any) any {
	if tm, ok := v.(time.Time); ok {
		if tm.Hour() == 0 && tm.Minute() == 0 && tm.Second() == 0 && tm.Nanosecond() == 0 {
			return tm.Format(time.DateOnly)
		}
		return tm.UTC().Format(time.RFC3339)
	}
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// jsonText is a decoded JSON value as the CSV writes it.
func jsonText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// syncBuffer is a log the server writes from its handlers' goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Cancel (app.js aborts its fetch) stops the statement on the server: the
// request's context interrupts DuckDB, which returns at once rather than
// running on.
func TestConsoleCancelStopsTheStatement(t *testing.T) {
	t.Parallel()
	var log syncBuffer
	ts := newServer(t, func(o *web.Options) {
		o.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	ctx, cancel := context.WithCancel(context.Background())
	body, _ := json.Marshal(map[string]string{"sql": "SELECT sum(hash(i)) FROM range(10000000000000) t(i)"})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/api/sql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	done := make(chan error, 1)
	go func() {
		resp, err := ts.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	time.Sleep(500 * time.Millisecond)
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the statement finished before it was cancelled: make it slower")
	}
	// The statement (ten trillion rows) ends only if the cancel stopped
	// it; were it not stopped, the test would wait for it (go test's
	// -timeout then fails it), so no wait of a fixed length here.
	for !strings.Contains(log.String(), "sql: statement cancelled") {
		time.Sleep(20 * time.Millisecond)
	}
	// And the server answers the next statement at once.
	if code, a := postSQL(t, ts, "SELECT 42 AS x"); code != http.StatusOK || a.Rows[0][0] != float64(42) {
		t.Errorf("after the cancel: %d %+v", code, a)
	}
}

// The page works without JavaScript: ?q= runs the statement and pages its
// result 100 rows at a time, with the download links, and lists every
// table of the snapshot with its columns' comments.
func TestConsolePage(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	q := "SELECT i FROM range(250) t(i)"
	code, body := get(t, ts, "/sql?"+url.Values{"q": {q}}.Encode())
	if code != http.StatusOK {
		t.Fatalf("%d", code)
	}
	for _, want := range []string{`id="table-result"`, "page 1 of 3", "250 rows", `class="download" id="sql-parquet"`, "format=parquet",
		"<code>quarantine</code>", "<code>rule</code>", "the rule broken"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Count(body, "<tr><td") != 100 {
		t.Errorf("page 1 shows %d rows, want 100", strings.Count(body, "<tr><td"))
	}
	_, body = get(t, ts, "/sql?"+url.Values{"q": {q}, "page": {"3"}}.Encode())
	if strings.Count(body, "<tr><td") != 50 || !strings.Contains(body, "<td>249</td>") {
		t.Errorf("page 3 should show the last 50 rows")
	}
	_, body = get(t, ts, "/sql?"+url.Values{"q": {"SELEC 1"}}.Encode())
	if !strings.Contains(body, "Parser Error: syntax error at or near &#34;SELEC&#34;") {
		t.Errorf("the page does not show DuckDB's error")
	}
	pub := newServer(t, func(o *web.Options) { o.Public = true })
	if code, _ := get(t, pub, "/sql"); code != http.StatusNotFound {
		t.Errorf("--public /sql: %d", code)
	}
	if code, _ := get(t, pub, "/api/sql?q=SELECT+1&format=csv"); code != http.StatusNotFound {
		t.Errorf("--public /api/sql: %d", code)
	}
}
