package synth

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func readHoldingsCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readCSV(t, f).maps()
}

// The rosters keep one holder at a time on every unique post, name each
// graduate holder as the truth says (by id, by the students file's name or
// another spelling), and the truth's share per country is what the file
// holds: of the holdings in office on AsOf, the planted share (rounded)
// are graduates' who graduated before taking up the post.
func TestRosters(t *testing.T) {
	dir, _ := generate(t, Options{Students: 3000, Seed: 5})
	rows := readHoldingsCSV(t, filepath.Join(dir, "post_holders", "post_holders.csv"))
	truth := readHoldingsCSV(t, filepath.Join(dir, TruthDir, "post_holders.csv"))
	if len(rows) != len(truth) || len(rows) == 0 {
		t.Fatalf("%d holdings, %d in the truth", len(rows), len(truth))
	}
	students := map[string]map[string]string{}
	for _, s := range readHoldingsCSV(t, filepath.Join(dir, "students", "students.csv")) {
		students[s["student_id"]] = s
	}
	type postKey struct{ country, level, title string }
	last := map[postKey]map[string]string{}
	identities := map[string]int{}
	for i, h := range rows {
		tr := truth[i]
		if h["holding_id"] != tr["holding_id"] {
			t.Fatalf("row %d: %s, truth %s", i, h["holding_id"], tr["holding_id"])
		}
		identities[tr["identity"]+"/"+tr["cohort"]]++
		if h["post_level"] != "GENERAL_OFFICER" {
			k := postKey{h["country_code"], h["post_level"], h["post_title"]}
			if prev, ok := last[k]; ok && (prev["end_date"] == "" || prev["end_date"] > h["start_date"]) {
				t.Errorf("%s starts %s while %s (to %q) holds the post", h["holding_id"], h["start_date"], prev["holding_id"], prev["end_date"])
			}
			last[k] = h
		}
		s := students[tr["student_id"]]
		switch tr["identity"] {
		case "id":
			if h["student_id"] != tr["student_id"] {
				t.Errorf("%s: student_id %q, truth %s", h["holding_id"], h["student_id"], tr["student_id"])
			}
		case "exact":
			if h["student_id"] != "" || h["family_name"] != s["family_name"] || h["given_names"] != s["given_names"] {
				t.Errorf("%s: %s, %s; the student is %s, %s", h["holding_id"], h["family_name"], h["given_names"], s["family_name"], s["given_names"])
			}
		case "translit":
			if h["student_id"] != "" || (h["family_name"] == s["family_name"] && h["given_names"] == s["given_names"]) {
				t.Errorf("%s: spelled as the students file spells it", h["holding_id"])
			}
		}
		if tr["graduate"] == "true" && (s["cohort"] == "COMPARISON" || s["student_id"] == "") {
			t.Errorf("%s: a graduate's holding held by %q (%s)", h["holding_id"], tr["student_id"], s["cohort"])
		}
	}
	for _, k := range []string{"id/PARTICIPANT", "exact/PARTICIPANT", "translit/PARTICIPANT", "id/COMPARISON", "none/NONE"} {
		if identities[k] == 0 {
			t.Errorf("no holding of kind %s (%v)", k, identities)
		}
	}
	in, grads := map[string]int{}, map[string]int{}
	for _, tr := range truth {
		if tr["in_office"] == "true" {
			in[tr["country_code"]]++
			if tr["graduate"] == "true" {
				grads[tr["country_code"]]++
			}
		}
	}
	for _, p := range readHoldingsCSV(t, filepath.Join(dir, TruthDir, "penetration.csv")) {
		c := p["country_code"]
		planted, _ := strconv.ParseFloat(p["planted_share"], 64)
		n, _ := strconv.Atoi(p["in_office"])
		g, _ := strconv.Atoi(p["graduate_holdings"])
		if n != in[c] || g != grads[c] {
			t.Errorf("%s: penetration.csv says %d of %d, the holdings %d of %d", c, g, n, grads[c], in[c])
		}
		if n >= 20 && float64(g) != float64(int(planted*float64(n)+0.5)) {
			t.Errorf("%s: %d graduates of %d in office, planted share %.2f", c, g, n, planted)
		}
	}
}
