package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/imet-project/imet/synth"
	"github.com/imet-project/imet/transform"
)

const fixtureDir = "../../../transform/testdata/e2e"

// loadedFixture is a workspace with the committed fixture (a generated
// program with every career event carrying its student id, so no linking
// is involved) loaded, not yet transformed.
func loadedFixture(t *testing.T) string {
	t.Helper()
	return copyTemplate(t, &loadedTemplate, func(t *testing.T, ws string) {
		if err := os.CopyFS(ws, os.DirFS(newWorkspace(t))); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(fixtureDir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if ds := strings.TrimSuffix(name, ".csv"); ds != name && ds != "goldens" && ds != "person_times" && ds != "padjust" && ds != "ipw" {
				copyFile(t, filepath.Join(fixtureDir, name), filepath.Join(ws, "inbox", ds, name))
			}
		}
		if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
			t.Fatalf("ingest: %s", out)
		}
	})
}

// fixtureWorkspace is loadedFixture transformed as of 2026-06-30.
func fixtureWorkspace(t *testing.T) string {
	t.Helper()
	return copyTemplate(t, &transformedTemplate, func(t *testing.T, ws string) {
		if err := os.CopyFS(ws, os.DirFS(loadedFixture(t))); err != nil {
			t.Fatal(err)
		}
		if code, out := run(t, "transform", "--workspace", ws, "--as-of", "2026-06-30"); code != 0 {
			t.Fatalf("transform: %s", out)
		}
	})
}

// plantedProgram is a generated program of 8,000 people (seed 3, so with
// the generator's planted effects and penetration shares) loaded and
// transformed as of 2026-09-30, the generator's last day, and the folder
// it was generated into, with its truth. The tests that check the planted
// figures are recovered share it; each gets its own copy of the workspace.
func plantedProgram(t *testing.T) (gen, ws string) {
	t.Helper()
	gen = plantedGen(t)
	return gen, copyTemplate(t, &plantedTemplate, func(t *testing.T, ws string) {
		if err := os.CopyFS(ws, os.DirFS(inboxFrom(t, gen))); err != nil {
			t.Fatal(err)
		}
		if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
			t.Fatalf("ingest exit %d:\n%s", code, out)
		}
		if code, out := run(t, "transform", "--workspace", ws, "--as-of", "2026-09-30"); code != 0 {
			t.Fatalf("transform exit %d:\n%s", code, out)
		}
	})
}

// plantedGen generates plantedProgram's files once per test binary; the
// tests only read them.
func plantedGen(t *testing.T) string {
	t.Helper()
	plantedFiles.mu.Lock()
	defer plantedFiles.mu.Unlock()
	if plantedFiles.dir == "" {
		dir, err := os.MkdirTemp(templates(), "gen-")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := synth.Generate(context.Background(), dir, synth.Options{Students: 8000, Seed: 3, Format: "csv", BadRows: true}); err != nil {
			t.Fatal(err)
		}
		plantedFiles.dir = dir
	}
	return plantedFiles.dir
}

var plantedTemplate, plantedFiles template

// A template workspace is built once per test binary, by the first test
// that asks, and every test gets its own copy: the tests stay independent
// (each may write to its workspace) without each loading the fixture again.
type template struct {
	mu  sync.Mutex
	dir string
}

var loadedTemplate, transformedTemplate template

// templates is the folder that holds the templates; TestMain removes it.
var templates = sync.OnceValue(func() string {
	dir, err := os.MkdirTemp("", "imet-cli-templates-")
	if err != nil {
		panic(err)
	}
	return dir
})

func copyTemplate(t *testing.T, tpl *template, build func(t *testing.T, ws string)) string {
	t.Helper()
	src := func() string {
		tpl.mu.Lock()
		defer tpl.mu.Unlock() // also when build fails the test
		if tpl.dir == "" {
			dir, err := os.MkdirTemp(templates(), "ws-")
			if err != nil {
				t.Fatal(err)
			}
			// build into a fresh folder: a failed build leaves no template
			build(t, filepath.Join(dir, "ws"))
			tpl.dir = filepath.Join(dir, "ws")
		}
		return tpl.dir
	}()
	ws := filepath.Join(t.TempDir(), "ws")
	if err := os.CopyFS(ws, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return ws
}

// The whole-population rows of metric_values equal what an independent R
// implementation of metrics.md and evidence.md (transform/testdata/e2e/
// metrics.R, with survival's survfit, coxph, survdiff and finegray, glm and
// p.adjust) computed from the same files.
func TestMetricsAgainstR(t *testing.T) {
	t.Parallel()
	ws := fixtureWorkspace(t)
	db := openWarehouse(t, ws)
	goldens := readCSV(t, filepath.Join(fixtureDir, "goldens.csv"))
	if len(goldens) < 300 {
		t.Fatalf("only %d goldens", len(goldens))
	}
	seen := map[string]bool{}
	maxDiff := map[string]float64{}
	for _, g := range goldens {
		period, gradCohort := g["period"], "ALL"
		if g["metric_id"] == "COST_PER_LEADER" {
			period, gradCohort = "ALL", g["period"] // R writes the graduation cohort in period
		}
		band := g["ecl_band"]
		name := g["metric_id"] + "/" + g["period"] + "/" + g["cohort"] + "/" + band
		if g["metric_id"] == "INTEROP_5Y" && g["cohort"] == "COMPARISON" {
			continue // R gives it for reference; metrics.md defines INTEROP_5Y for graduates only
		}
		seen[g["metric_id"]] = true
		var n, events sql.NullInt64
		var num, den, value, low, high, p sql.NullFloat64
		var note sql.NullString
		err := db.QueryRow(`SELECT n, events, numerator, denominator, value, ci_low, ci_high, p_value, note
			FROM metric_values WHERE metric_id = ? AND period = ? AND graduation_cohort = ? AND cohort = ?
			AND program = 'ALL' AND region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL'
			AND sex = 'ALL' AND ecl_band = ?`, g["metric_id"], period, gradCohort, g["cohort"], band).
			Scan(&n, &events, &num, &den, &value, &low, &high, &p, &note)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		check := func(col string, got sql.NullFloat64, always bool) {
			want := g[col]
			if want == "NA" {
				if always && got.Valid {
					t.Errorf("%s %s = %v, R says NA", name, col, got.Float64)
				}
				return
			}
			w, err := strconv.ParseFloat(want, 64)
			if err != nil {
				t.Fatalf("%s %s: %v", name, col, err)
			}
			if !got.Valid || math.Abs(got.Float64-w) > 1e-6*math.Max(1, math.Abs(w)) {
				t.Errorf("%s %s = %v, R says %v", name, col, fmtNull(got), w)
			}
			if got.Valid {
				maxDiff[g["metric_id"]] = math.Max(maxDiff[g["metric_id"]], math.Abs(got.Float64-w)/math.Max(1, math.Abs(w)))
			}
		}
		f := func(v sql.NullInt64) sql.NullFloat64 {
			return sql.NullFloat64{Float64: float64(v.Int64), Valid: v.Valid}
		}
		check("n", f(n), false)
		check("events", f(events), false)
		check("numerator", num, false)
		check("denominator", den, false)
		check("value", value, true)
		check("ci_low", low, true)
		check("ci_high", high, true)
		check("p_value", p, true)
		if w := g["note"]; w != "NA" && !strings.Contains(note.String, w) && !(w == "none reached OF-6") && w != "associational" {
			t.Errorf("%s note = %q, R says %q", name, note.String, w)
		}
	}
	// The curves the report draws agree with the metric read off them.
	var surv, value float64
	db.QueryRow(`SELECT surv FROM km_curves WHERE outcome = 'LEAD_RANK' AND cohort = 'PARTICIPANT' AND time <= 1826 ORDER BY time DESC LIMIT 1`).Scan(&surv)
	db.QueryRow(`SELECT value FROM metric_values WHERE metric_id = 'LEAD_RANK_5Y' AND cohort = 'PARTICIPANT' AND period = 'ALL'
		AND graduation_cohort = 'ALL' AND region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL'`).Scan(&value)
	if math.Abs(1-surv-value) > 1e-12 || value == 0 {
		t.Errorf("km_curves gives 1 - S(1826) = %v, LEAD_RANK_5Y = %v", 1-surv, value)
	}
	// The stacked curves agree with the cumulative incidences read off them.
	var pe, px, pn, lo, hi, cifV, cifLo, cifHi, exitV float64
	db.QueryRow(`SELECT p_event, p_exit, p_neither, ci_low, ci_high FROM cif_curves WHERE outcome = 'LEAD_RANK' AND cohort = 'PARTICIPANT' AND time <= 3652 ORDER BY time DESC LIMIT 1`).Scan(&pe, &px, &pn, &lo, &hi)
	db.QueryRow(`SELECT value, ci_low, ci_high FROM metric_values WHERE metric_id = 'LEAD_RANK_CIF_10Y' AND cohort = 'PARTICIPANT' AND period = 'ALL'
		AND graduation_cohort = 'ALL' AND region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL'`).Scan(&cifV, &cifLo, &cifHi)
	db.QueryRow(`SELECT value FROM metric_values WHERE metric_id = 'EXIT_BEFORE_RANK_10Y' AND cohort = 'PARTICIPANT' AND period = 'ALL'
		AND graduation_cohort = 'ALL' AND region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL'`).Scan(&exitV)
	if pe != cifV || lo != cifLo || hi != cifHi || px != exitV || math.Abs(pe+px+pn-1) > 1e-12 || pe == 0 {
		t.Errorf("cif_curves at 3652: %v %v %v (%v-%v); LEAD_RANK_CIF_10Y %v (%v-%v), EXIT_BEFORE_RANK_10Y %v", pe, px, pn, lo, hi, cifV, cifLo, cifHi, exitV)
	}
	for _, want := range []string{"LEAD_RANK_5Y", "RETAIN_5Y", "TRACK_24M", "COMPLETION", "FMTR_DOLLARS", "LEAD_RANK_HR", "COMPLETION_BY_ECL", "REPORT_LAG_DAYS"} {
		if !seen[want] {
			t.Errorf("no golden for %s", want)
		}
	}
	// Every metric of evidence.md is checked against R.
	for _, m := range transform.Registry {
		if m.Estimator.Evidence() && !seen[m.ID] {
			t.Errorf("no golden for %s", m.ID)
		}
	}
	// Benjamini-Hochberg across the countries of LEAD_RANK_HR, as p.adjust.
	padj := readCSV(t, filepath.Join(fixtureDir, "padjust.csv"))
	for _, g := range padj {
		var p, a sql.NullFloat64
		if err := db.QueryRow(`SELECT p_value, p_adjusted FROM metric_values WHERE metric_id = ? AND country_code = ? AND period = 'ALL'`,
			g["metric_id"], g["country_code"]).Scan(&p, &a); err != nil {
			t.Errorf("%s %s: %v", g["metric_id"], g["country_code"], err)
			continue
		}
		for col, got := range map[string]sql.NullFloat64{"p_value": p, "p_adjusted": a} {
			w, _ := strconv.ParseFloat(g[col], 64)
			if !got.Valid || math.Abs(got.Float64-w) > 1e-6 {
				t.Errorf("%s %s %s = %v, R says %v", g["metric_id"], g["country_code"], col, fmtNull(got), w)
			} else {
				maxDiff["p_adjusted"] = math.Max(maxDiff["p_adjusted"], math.Abs(got.Float64-w))
			}
		}
	}
	if n := scalar(t, db, `SELECT count(*) FROM metric_values WHERE metric_id = 'LEAD_RANK_HR' AND country_code <> 'ALL' AND p_value IS NOT NULL`); n != int64(len(padj)) || n < 5 {
		t.Errorf("%d country p-values of LEAD_RANK_HR, R has %d", n, len(padj))
	}
	// The balance table and overlap of the adjusted comparison, as R's.
	got := map[string]float64{}
	bal, err := db.Query(`SELECT covariate || coalesce(level, ''), smd_before, smd_after FROM ipw_balance`)
	if err != nil {
		t.Fatal(err)
	}
	for bal.Next() {
		var name string
		var before, after sql.NullFloat64
		if err := bal.Scan(&name, &before, &after); err != nil {
			t.Fatal(err)
		}
		if before.Valid {
			got["smd_before:"+name] = before.Float64
		}
		if after.Valid {
			got["smd_after:"+name] = after.Float64
		}
	}
	bal.Close()
	ov, err := db.Query(`SELECT cohort, n, ps_min, ps_max, share_outside, kish_ess, max_weight, countries_dropped, people_dropped FROM ipw_overlap`)
	if err != nil {
		t.Fatal(err)
	}
	for ov.Next() {
		var arm string
		var v [8]float64
		if err := ov.Scan(&arm, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]); err != nil {
			t.Fatal(err)
		}
		for i, k := range []string{"n", "ps_min", "ps_max", "share_outside", "kish_ess", "max_weight"} {
			got[k+":"+arm] = v[i]
		}
		if arm == "ALL" {
			got["countries_dropped:ALL"], got["people_dropped:ALL"] = v[6], v[7]
		}
	}
	ov.Close()
	ipwGoldens := readCSV(t, filepath.Join(fixtureDir, "ipw.csv"))
	for _, g := range ipwGoldens {
		w, _ := strconv.ParseFloat(g["value"], 64)
		v, ok := got[g["key"]]
		if !ok || math.Abs(v-w) > 1e-6*math.Max(1, math.Abs(w)) {
			t.Errorf("ipw %s = %v (%v), R says %v", g["key"], v, ok, w)
			continue
		}
		maxDiff["ipw_balance/overlap"] = math.Max(maxDiff["ipw_balance/overlap"], math.Abs(v-w)/math.Max(1, math.Abs(w)))
		delete(got, g["key"])
	}
	if len(ipwGoldens) < 100 || len(got) != 0 {
		t.Errorf("%d ipw goldens; not in R: %v", len(ipwGoldens), got)
	}
	ids := make([]string, 0, len(maxDiff))
	for id := range maxDiff {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		t.Logf("max relative difference from R: %-28s %.2g", id, maxDiff[id])
	}
}

func fmtNull(v sql.NullFloat64) string {
	if !v.Valid {
		return "NULL"
	}
	return fmt.Sprint(v.Float64)
}

// On generated data where graduates reach general rank faster than their
// peers (the generator plants a hazard ratio), participants beat the
// comparison group on LEAD_RANK, and the Cox hazard ratio's interval holds
// the planted ratio.
func TestPlantedEffectRecovered(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("generates and loads 8,000 people")
	}
	gen, ws := plantedProgram(t)
	var truth struct {
		Effects struct {
			HR float64 `json:"lead_rank_hazard_ratio"`
		} `json:"planted"`
	}
	body, err := os.ReadFile(filepath.Join(gen, "_truth", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &truth); err != nil || truth.Effects.HR == 0 {
		t.Fatalf("summary.json: %v (planted ratio %v)", err, truth.Effects.HR)
	}
	db := openWarehouse(t, ws)
	whole := `AND period = 'ALL' AND graduation_cohort = 'ALL' AND region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL'`
	var part, comp float64
	db.QueryRow(`SELECT value FROM metric_values WHERE metric_id = 'LEAD_RANK_10Y' AND cohort = 'PARTICIPANT' ` + whole).Scan(&part)
	db.QueryRow(`SELECT value FROM metric_values WHERE metric_id = 'LEAD_RANK_10Y' AND cohort = 'COMPARISON' ` + whole).Scan(&comp)
	if !(part > comp && comp > 0) {
		t.Errorf("LEAD_RANK_10Y participants %.4f, comparison %.4f: participants should lead", part, comp)
	}
	var hr, lo, hi, p float64
	if err := db.QueryRow(`SELECT value, ci_low, ci_high, p_value FROM metric_values WHERE metric_id = 'LEAD_RANK_HR' `+whole).Scan(&hr, &lo, &hi, &p); err != nil {
		t.Fatal(err)
	}
	// The data-quality figures account for every row.
	if got, want := scalar(t, db, `SELECT sum(rows) FROM data_quality WHERE topic = 'linking'`),
		scalar(t, db, `SELECT (SELECT count(*) FROM career_events) + (SELECT count(*) FROM hr_flags) + (SELECT count(*) FROM post_holders)`); got != want {
		t.Errorf("data_quality linking rows %d, want %d", got, want)
	}
	if got, want := scalar(t, db, `SELECT sum(rows) FROM data_quality WHERE topic = 'quarantine'`),
		scalar(t, db, `SELECT count(*) FROM quarantine WHERE resolved_by IS NULL`); got != want || want == 0 {
		t.Errorf("data_quality quarantine rows %d, want %d", got, want)
	}
	if n := scalar(t, db, `SELECT count(*) FROM data_quality WHERE topic = 'freshness' AND latest_date <= DATE '2026-09-30' AND latest_load IS NOT NULL`); n != 4 {
		t.Errorf("%d sources with freshness figures, want 4 (enrollments, career events, flags, post holders)", n)
	}
	t.Logf("LEAD_RANK_10Y %.4f vs %.4f; hazard ratio %.3f [%.3f, %.3f], log-rank p %.2g; planted %.2f", part, comp, hr, lo, hi, p, truth.Effects.HR)
	if !(lo <= truth.Effects.HR && truth.Effects.HR <= hi) || lo <= 1 {
		t.Errorf("hazard ratio %.3f [%.3f, %.3f] should hold the planted %.2f and exclude 1", hr, lo, hi, truth.Effects.HR)
	}
}

// On generated data with a planted selection (imet generate --selection:
// comparison peers come from lower ranks and other countries more often
// than participants) and the same planted training effect, the unadjusted
// hazard ratio overstates the effect, while the one weighted for selection
// (LEAD_RANK_HR_IPW) holds it in its interval; the covariates balance after
// weighting; and the 10-year cumulative incidence with exits competing is
// below 1 − Kaplan-Meier by about what the exits take in the truth file.
func TestSelectionAdjusted(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("generates and loads 8,000 people")
	}
	gen := t.TempDir()
	if code, out := run(t, "generate", "--out", gen, "--students", "8000", "--seed", "3", "--selection"); code != 0 {
		t.Fatalf("generate: %s", out)
	}
	var truth struct {
		Planted struct {
			HR        float64 `json:"lead_rank_hazard_ratio"`
			Selection struct {
				Enabled bool    `json:"enabled"`
				Rank    float64 `json:"comparison_rank_one_lower_share"`
			} `json:"selection"`
			Lead10 struct {
				IfNobodyLeft float64 `json:"graduates_if_nobody_left"`
				BeforeExit   float64 `json:"graduates_before_exit"`
			} `json:"lead_rank_10y"`
		} `json:"planted"`
	}
	body, err := os.ReadFile(filepath.Join(gen, "_truth", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &truth); err != nil || truth.Planted.HR == 0 || !truth.Planted.Selection.Enabled || truth.Planted.Lead10.IfNobodyLeft == 0 {
		t.Fatalf("summary.json: %v (%+v)", err, truth.Planted)
	}
	ws := inboxFrom(t, gen)
	run(t, "ingest", "--workspace", ws)
	if code, out := run(t, "transform", "--workspace", ws, "--as-of", "2026-06-30"); code != 0 {
		t.Fatalf("transform: %s", out)
	}
	db := openWarehouse(t, ws)
	whole := `AND period = 'ALL' AND graduation_cohort = 'ALL' AND region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL'`
	read := func(id, cohort string) (v, lo, hi float64) {
		t.Helper()
		var l, h sql.NullFloat64
		if err := db.QueryRow(`SELECT value, ci_low, ci_high FROM metric_values WHERE metric_id = ? AND cohort = ? `+whole, id, cohort).Scan(&v, &l, &h); err != nil {
			t.Fatalf("%s %s: %v", id, cohort, err)
		}
		return v, l.Float64, h.Float64
	}
	hr, hrLo, hrHi := read("LEAD_RANK_HR", "ALL")
	ipw, ipwLo, ipwHi := read("LEAD_RANK_HR_IPW", "ALL")
	shr, _, _ := read("LEAD_RANK_SHR", "ALL")
	planted := truth.Planted.HR
	t.Logf("planted HR %.2f; unadjusted HR %.3f [%.3f, %.3f]; IPW HR %.3f [%.3f, %.3f]; Fine-Gray SHR %.3f", planted, hr, hrLo, hrHi, ipw, ipwLo, ipwHi, shr)
	if !(hrLo > planted) {
		t.Errorf("unadjusted HR %.3f [%.3f, %.3f] should overstate the planted %.2f (participants are picked from higher ranks)", hr, hrLo, hrHi, planted)
	}
	if !(ipwLo <= planted && planted <= ipwHi) || math.Abs(math.Log(ipw/planted)) >= math.Abs(math.Log(hr/planted)) {
		t.Errorf("IPW HR %.3f [%.3f, %.3f] should hold the planted %.2f and be nearer it than the unadjusted %.3f", ipw, ipwLo, ipwHi, planted, hr)
	}
	// Rank is the confounder: imbalanced before weighting, balanced after.
	var before, after float64
	if err := db.QueryRow(`SELECT max(abs(smd_before)), max(abs(smd_after)) FROM ipw_balance WHERE covariate = 'rank'`).Scan(&before, &after); err != nil {
		t.Fatal(err)
	}
	if !(before > 0.2 && after < 0.1) {
		t.Errorf("rank |SMD| %.3f before weighting, %.3f after: want > 0.2 and < 0.1", before, after)
	}
	if n := scalar(t, db, `SELECT count(*) FROM ipw_overlap WHERE kish_ess > 0 AND max_weight >= 1`); n != 3 {
		t.Errorf("%d ipw_overlap rows with an ESS and weights, want 3", n)
	}
	// Exits compete: the CIF is below 1 − KM by about what the exits take.
	km, _, _ := read("LEAD_RANK_10Y", "PARTICIPANT")
	cif, _, _ := read("LEAD_RANK_CIF_10Y", "PARTICIPANT")
	exit, _, _ := read("EXIT_BEFORE_RANK_10Y", "PARTICIPANT")
	gap, want := km-cif, truth.Planted.Lead10.IfNobodyLeft-truth.Planted.Lead10.BeforeExit
	t.Logf("graduates, 10 years: 1 - KM %.4f (truth if nobody left %.4f), CIF %.4f (truth before exit %.4f), gap %.4f (truth %.4f); left first %.4f",
		km, truth.Planted.Lead10.IfNobodyLeft, cif, truth.Planted.Lead10.BeforeExit, gap, want, exit)
	if !(cif < km && gap > 0.3*want && gap < 1.5*want) {
		t.Errorf("1 - KM %.4f - CIF %.4f = %.4f, the truth's exits take %.4f: want between 0.3 and 1.5 times that", km, cif, gap, want)
	}
	if math.Abs(cif-truth.Planted.Lead10.BeforeExit) > 0.03 {
		t.Errorf("CIF %.4f, truth %.4f", cif, truth.Planted.Lead10.BeforeExit)
	}
}

// Exports are complete, in each format, and byte-identical when repeated.
func TestExportMetrics(t *testing.T) {
	t.Parallel()
	ws := fixtureWorkspace(t)
	db := openWarehouse(t, ws)
	rows := scalar(t, db, `SELECT count(*) FROM metric_values`)
	db.Close()
	dir := t.TempDir()
	for _, format := range []string{"csv", "parquet", "json"} {
		var first []byte
		for i := range 2 {
			out := filepath.Join(dir, fmt.Sprintf("m%d.%s", i, format))
			if code, msg := run(t, "export", "metrics", "--workspace", ws, "--format", format, "--out", out); code != 0 {
				t.Fatalf("export %s: %s", format, msg)
			}
			body, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = body
			} else if !bytes.Equal(first, body) {
				t.Errorf("%s export differs between two runs", format)
			}
		}
		// Read the file back with DuckDB: every row, every column.
		check, err := sql.Open("duckdb", "")
		if err != nil {
			t.Fatal(err)
		}
		var n, cols int64
		reader := map[string]string{"csv": "read_csv", "parquet": "read_parquet", "json": "read_json"}[format]
		path := filepath.Join(dir, "m0."+format)
		if err := check.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s('%s')`, reader, path)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		check.QueryRow(fmt.Sprintf(`SELECT count(*) FROM (DESCRIBE SELECT * FROM %s('%s'))`, reader, path)).Scan(&cols)
		check.Close()
		if n != rows || cols != 24 { // metrics.md's 22, evidence.md's p_adjusted and post_level
			t.Errorf("%s export: %d rows × %d columns, want %d × 24", format, n, cols, rows)
		}
	}
	if code, out := run(t, "export", "metrics", "--workspace", ws, "--out", filepath.Join(dir, "x.csv"), "--as-of", "2020-01-01"); code == 0 || !strings.Contains(out, "imet transform --as-of 2020-01-01") {
		t.Errorf("export of a transform never run: %d %s", code, out)
	}
	if code, out := run(t, "metrics", "list", "--format", "csv"); code != 0 || !strings.Contains(out, "LEAD_RANK_HR") || strings.Count(out, "\n") < 28 {
		t.Errorf("metrics list: %d %s", code, out)
	}
	if code, out := run(t, "transform", "--workspace", ws, "--as-of", "30/06/2026"); code != 2 || !strings.Contains(out, "YYYY-MM-DD") {
		t.Errorf("bad --as-of: %d %s", code, out)
	}
}
