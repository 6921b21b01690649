package webtest

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imet-project/imet/transform"
	"github.com/imet-project/imet/web"
)

// The lineage of a published number rebuilds its population on the
// snapshot: as many rows as the published n (for a metric whose n counts
// its rows), the same n recomputed, for everyone and for one region.
func TestLineagePopulationIsN(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	for _, c := range []struct {
		metric string
		keys   url.Values
	}{
		{"LEAD_RANK_5Y", url.Values{"cohort": {"PARTICIPANT"}}},
		{"LEAD_RANK_5Y", url.Values{"cohort": {"PARTICIPANT"}, "region": {"AF"}}},
		{"TRACK_24M", url.Values{"cohort": {"COMPARISON"}}},
		{"UTIL_2Y", url.Values{"cohort": {"PARTICIPANT"}, "region": {"EUR"}}},
		{"COST_PER_LEADER", url.Values{"cohort": {"PARTICIPANT"}}},
	} {
		t.Run(c.metric+" "+c.keys.Encode(), func(t *testing.T) {
			// The published n, read apart from the page.
			where := []string{fmt.Sprintf("metric_id = '%s'", c.metric)}
			for _, k := range transform.Keys {
				v := "ALL"
				if x := c.keys.Get(k); x != "" {
					v = x
				}
				where = append(where, fmt.Sprintf("%s = '%s'", k, v))
			}
			code, a := postSQL(t, ts, "SELECT n FROM metric_latest WHERE "+strings.Join(where, " AND "))
			if code != http.StatusOK || len(a.Rows) != 1 {
				t.Fatalf("published n: %d %q %d rows", code, a.Error, len(a.Rows))
			}
			n := a.Rows[0][0].(float64)
			q := url.Values{"metric": {c.metric}}
			for k, v := range c.keys {
				q[k] = v
			}
			p := getPage(t, ts, "/api/lineage?"+q.Encode())
			var re []map[string]any
			for _, r := range p.rows(t, "recomputed") {
				if r["quantity"] == "n" {
					re = append(re, r)
				}
			}
			if len(re) != 1 || re[0]["published"] != n || re[0]["recomputed"] != n || re[0]["agrees"] != "yes" {
				t.Errorf("n: published %v, recomputed %v", n, re)
			}
			m, _ := transform.Lookup(c.metric)
			if pop := p.rows(t, "population"); m.N == "count(*)" && float64(len(pop)) != n {
				t.Errorf("%d population rows, n = %v", len(pop), n)
			}
		})
	}
}

// The population's ids are the snapshot's pseudonyms: every one is a
// student of students_public, and no raw id of the input files appears
// anywhere on the page.
func TestLineageIDsArePseudonyms(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	path := "/api/lineage?metric=LEAD_RANK_5Y&cohort=PARTICIPANT&region=AF"
	p := getPage(t, ts, path)
	_, body := get(t, ts, path)
	_, html := get(t, ts, strings.Replace(path, "/api", "", 1)+"&page=2")
	code, a := postSQL(t, ts, "SELECT student_id FROM students_public")
	if code != http.StatusOK {
		t.Fatal(a.Error)
	}
	pseudo := map[string]bool{}
	for _, r := range a.Rows {
		pseudo[r[0].(string)] = true
	}
	pop := p.rows(t, "population")
	if len(pop) == 0 {
		t.Fatal("no population")
	}
	for _, r := range pop {
		if id, _ := r["student_id"].(string); !pseudo[id] {
			t.Fatalf("population id %q is not a pseudonym of students_public", id)
		}
		for _, c := range transform.RestrictedColumns {
			if _, shown := r[c]; shown {
				t.Fatalf("the population shows the restricted %s", c)
			}
		}
	}
	raw := rawStudentIDs(t)
	if len(raw) < 100 {
		t.Fatalf("only %d raw ids read from the demo's input", len(raw))
	}
	for _, id := range raw {
		if pseudo[id] || strings.Contains(body, `"`+id+`"`) || strings.Contains(html, ">"+id+"<") {
			t.Fatalf("the raw id %s appears", id)
		}
	}
}

// rawStudentIDs are the student ids of the demo's students file as it
// came in (the archive of the inbox).
func rawStudentIDs(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(demoWS, "archive", "students", "*"))
	var out []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil || len(recs) == 0 {
			continue
		}
		i := slices.Index(recs[0], "student_id")
		for _, r := range recs[1:] {
			if i >= 0 && i < len(r) && r[i] != "" {
				out = append(out, r[i])
			}
		}
	}
	return out
}

// The rest of the lineage: the transform run, the files up to the
// vintage, plain words where the snapshot cannot show the population,
// the mistakes of an address, and nothing with --public.
func TestLineagePage(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	p := getPage(t, ts, "/api/lineage?metric=LEAD_RANK_5Y&cohort=PARTICIPANT")
	if len(p.rows(t, "transform_run")) == 0 || len(p.rows(t, "batches")) == 0 || len(p.rows(t, "sources")) == 0 {
		t.Errorf("the run, the batches or the sources are missing")
	}
	for _, r := range p.rows(t, "steps") {
		if s := r["step"].(string); strings.HasPrefix(s, "metric ") && s != "metric LEAD_RANK_5Y" {
			t.Errorf("the steps show another metric's: %s", s)
		}
	}
	// A transform other than the headline: no population, and says why.
	code, a := postSQL(t, ts, "SELECT as_of::VARCHAR, vintage FROM transform_runs WHERE as_of <> (SELECT as_of FROM metric_latest LIMIT 1) LIMIT 1")
	if code != http.StatusOK || len(a.Rows) != 1 {
		t.Fatalf("another transform: %d %q", code, a.Error)
	}
	old := getPage(t, ts, fmt.Sprintf("/api/lineage?metric=LEAD_RANK_5Y&cohort=PARTICIPANT&as_of=%s&vintage=%v", a.Rows[0][0], a.Rows[0][1]))
	for _, x := range old.Tables {
		if x.Name == "population" {
			t.Errorf("a population for a transform whose models the snapshot does not hold")
		}
	}
	if !hasNote(old, "headline transform") || !hasNote(old, "imet explain LEAD_RANK_5Y") {
		t.Errorf("no plain note for the older transform: %q", old.Notes)
	}
	// A DECIMAL (cost_usd) is a number in the JSON, not DuckDB's struct.
	cost := getPage(t, ts, "/api/lineage?metric=COST_PER_GRAD&period=FY2018")
	if rows := cost.rows(t, "population"); len(rows) == 0 {
		t.Errorf("COST_PER_GRAD: no population")
	} else if _, isNumber := rows[0]["cost_usd"].(float64); !isNumber && rows[0]["cost_usd"] != nil {
		t.Errorf("cost_usd in JSON: %#v", rows[0]["cost_usd"])
	}
	// A unit computed in Go: said plainly.
	ipw := getPage(t, ts, "/api/lineage?metric=LEAD_RANK_HR_IPW")
	if !hasNote(ipw, "imet explain LEAD_RANK_HR_IPW") {
		t.Errorf("the weighted comparison: %q", ipw.Notes)
	}
	for path, want := range map[string]int{
		"/api/lineage?metric=NOPE":                        http.StatusNotFound,
		"/api/lineage?metric=LEAD_RANK_5Y&ecl_band=HIGH":  http.StatusBadRequest,
		"/api/lineage?metric=LEAD_RANK_5Y&as_of=tomorrow": http.StatusBadRequest,
		"/lineage": http.StatusOK,
	} {
		if code, body := get(t, ts, path); code != want {
			t.Errorf("%s: %d, want %d: %.200s", path, code, want, body)
		}
	}
	pub := newServer(t, func(o *web.Options) { o.Public = true })
	if code, _ := get(t, pub, "/lineage?metric=LEAD_RANK_5Y"); code != http.StatusNotFound {
		t.Errorf("--public lineage: %d", code)
	}
}
