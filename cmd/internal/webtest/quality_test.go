package webtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imet-project/imet/web"
)

// page is a page's JSON as the pages give it.

func getPage(t testing.TB, ts *httptest.Server, path string) page {
	t.Helper()
	code, body := get(t, ts, path)
	if code != http.StatusOK {
		t.Fatalf("%s: %d %s", path, code, body)
	}
	var p page
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

// The quality page's quarantine counts are the quarantine table's, by
// dataset and rule, and it never shows a quarantined value; --public
// withholds the small counts.
func TestQualityCounts(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	p := getPage(t, ts, "/api/quality")
	code, want := postSQL(t, ts, "SELECT dataset || '/' || rule, count(*), count(*) FILTER (WHERE resolved_by IS NULL) FROM quarantine GROUP BY ALL")
	if code != http.StatusOK {
		t.Fatal(want.Error)
	}
	got := map[string]string{}
	for _, r := range p.rows(t, "quarantine") {
		got[fmt.Sprint(r["dataset"], "/", r["rule"])] = fmt.Sprint(r["rows"], " ", r["open"])
	}
	if len(got) != len(want.Rows) || len(got) == 0 {
		t.Errorf("%d dataset/rule rows, the quarantine has %d", len(got), len(want.Rows))
	}
	for _, r := range want.Rows {
		if k, w := fmt.Sprint(r[0]), fmt.Sprint(r[1], " ", r[2]); got[k] != w {
			t.Errorf("%s: page %q, quarantine %q", k, got[k], w)
		}
	}
	for _, x := range p.Tables {
		for _, c := range x.Columns {
			if c.Name == "value" || c.Name == "record_key" {
				t.Errorf("table %s shows the quarantine's %s", x.Name, c.Name)
			}
		}
	}
	// Linking and freshness are those of the headline transform.
	if len(p.rows(t, "linking")) == 0 || len(p.rows(t, "freshness")) == 0 || len(p.rows(t, "fmtr_quality")) == 0 {
		t.Errorf("linking, freshness or fmtr_quality is empty")
	}
	if code, _ := get(t, ts, "/api/quality?as_of=1999-01-01"); code != http.StatusNotFound {
		t.Errorf("a transform the snapshot does not hold: %d, want 404", code)
	}
	if code, _ := get(t, ts, "/api/quality?as_of=soon"); code != http.StatusBadRequest {
		t.Errorf("as_of=soon: %d, want 400", code)
	}

	pub := newServer(t, func(o *web.Options) { o.Public = true })
	pp := getPage(t, pub, "/api/quality")
	small := 0
	for _, r := range pp.rows(t, "quarantine") {
		if n, ok := r["rows"].(float64); ok && n >= 1 && n < 5 {
			t.Errorf("--public shows %v rows of %v/%v", n, r["dataset"], r["rule"])
		}
		if r["rows"] == "suppressed" {
			small++
		}
	}
	if small == 0 {
		t.Errorf("--public withheld no quarantine count (the demo has rules with 3 rows)")
	}
	for _, name := range []string{"linking", "quarantine_open"} {
		for _, r := range pp.rows(t, name) {
			if (r["rows"] == "suppressed") != (r["share"] == "suppressed") {
				t.Errorf("--public %s %v/%v: rows %v beside share %v", name, r["dataset"], r["key"], r["rows"], r["share"])
			}
		}
	}
	if _, body := get(t, ts, "/quality"); !strings.Contains(body, `id="table-quarantine"`) || !strings.Contains(body, "Source freshness") {
		t.Errorf("the HTML page lacks its tables")
	}
}

func decodeJSON(resp *http.Response, v any) error {
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
