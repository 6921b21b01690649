package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/imet-project/imet/schemas"
)

// QuarterlyOptions say which numbers a quarterly report shows.
type QuarterlyOptions struct {
	Quarter   string    // FY2026Q3
	AsOf      time.Time // D: the quarter's last day
	Vintage   int64
	PrevQ     time.Time // D of the quarter before, for the change column
	PrevYear  time.Time // D of the same quarter a year earlier
	RunID     int64     // the transform run that made the numbers
	Version   string    // imet's version
	Generated string    // what produced it (the command line), no clock time: the report is reproducible
	Metrics   []MetricDoc
}

// mv is one metric_values row.
type mv struct {
	n, events                     sql.NullInt64
	num, den, value, low, high, p sql.NullFloat64
	padj                          sql.NullFloat64 // p_adjusted: Benjamini-Hochberg over the level's rows
	note                          sql.NullString
}

type mvKey struct {
	asOf                              string
	id, period, cohort, dim, dimValue string
}

// quarterly builds a Document from the warehouse.
type quarterly struct {
	opt    QuarterlyOptions
	docs   map[string]MetricDoc
	rows   map[mvKey]mv
	doc    *Document
	fyD    string // FY2026: the fiscal year that holds D
	prevQN string
	prevYN string
}

// BuildQuarterly reads metric_values, km_curves and data_quality of
// (opt.AsOf, opt.Vintage) and of the two comparison quarters, and the
// Foreign Military Training Report years loaded up to opt.Vintage
// (fmtr_trends), and lays out the evaluator report.
func BuildQuarterly(ctx context.Context, db *sql.DB, opt QuarterlyOptions) (*Document, error) {
	q := &quarterly{opt: opt, docs: map[string]MetricDoc{}, rows: map[mvKey]mv{}}
	for _, m := range opt.Metrics {
		q.docs[m.ID] = m
	}
	q.fyD = "FY" + strconv.Itoa(schemas.FiscalYear(opt.AsOf))
	q.prevQN, q.prevYN = schemas.QuarterName(opt.PrevQ), schemas.QuarterName(opt.PrevYear)
	if err := q.load(ctx, db); err != nil {
		return nil, err
	}
	d := &Document{
		Title:    "IMET outcomes: quarterly evaluator report, " + opt.Quarter,
		Subtitle: "What happened to International Military Education and Training graduates after they went home, against peers who did not attend.",
		Facts: [][2]string{
			{"Period end (D)", opt.AsOf.Format("2 January 2006")},
			{"Data vintage", fmt.Sprintf("batches up to %d", opt.Vintage)},
			{"Transform run", strconv.FormatInt(opt.RunID, 10)},
			{"Compared with", fmt.Sprintf("%s (last quarter) and %s (a year earlier)", q.prevQN, q.prevYN)},
			{"Produced by", "imet " + opt.Version + ": " + opt.Generated},
		},
	}
	q.doc = d
	q.headline()
	if err := q.quality(ctx, db); err != nil {
		return nil, err
	}
	if err := q.leadership(ctx, db); err != nil {
		return nil, err
	}
	if err := q.evidence(ctx, db); err != nil {
		return nil, err
	}
	q.careers()
	if err := q.vetting(ctx, db); err != nil {
		return nil, err
	}
	q.cost(ctx, db)
	if err := q.geography(ctx, db); err != nil {
		return nil, err
	}
	if err := q.fmtrTrends(ctx, db); err != nil {
		return nil, err
	}
	q.methodology()
	return d, nil
}

func (q *quarterly) load(ctx context.Context, db *sql.DB) error {
	// Whole-population rows, and rows with one of region / country /
	// course category / graduation cohort set, of the three D's.
	rows, err := db.QueryContext(ctx, `
		SELECT strftime(as_of, '%Y-%m-%d'), metric_id, period, cohort,
		       CASE WHEN region <> 'ALL' THEN 'region' WHEN country_code <> 'ALL' THEN 'country'
		            WHEN course_category <> 'ALL' THEN 'course_category' WHEN graduation_cohort <> 'ALL' THEN 'graduation_cohort'
		            ELSE '' END AS dim,
		       CASE WHEN region <> 'ALL' THEN region WHEN country_code <> 'ALL' THEN country_code
		            WHEN course_category <> 'ALL' THEN course_category WHEN graduation_cohort <> 'ALL' THEN graduation_cohort
		            ELSE '' END AS dim_value,
		       n, events, numerator, denominator, value, ci_low, ci_high, p_value, p_adjusted, note
		FROM metric_values m
		WHERE vintage = ? AND as_of IN (?, ?, ?)
		  AND program = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL' AND post_level = 'ALL'
		  AND (region <> 'ALL')::INT + (country_code <> 'ALL')::INT + (course_category <> 'ALL')::INT + (graduation_cohort <> 'ALL')::INT <= 1`,
		q.opt.Vintage, q.opt.AsOf, q.opt.PrevQ, q.opt.PrevYear)
	if err != nil {
		return fmt.Errorf("read metric_values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k mvKey
		var r mv
		if err := rows.Scan(&k.asOf, &k.id, &k.period, &k.cohort, &k.dim, &k.dimValue,
			&r.n, &r.events, &r.num, &r.den, &r.value, &r.low, &r.high, &r.p, &r.padj, &r.note); err != nil {
			return err
		}
		q.rows[k] = r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(q.rows) == 0 {
		return fmt.Errorf("no metric values as of %s for vintage %d: run 'imet transform --as-of %s' first",
			q.opt.AsOf.Format(time.DateOnly), q.opt.Vintage, q.opt.AsOf.Format(time.DateOnly))
	}
	return nil
}

// get returns a whole-population row (dim "") or a row of one dimension.
func (q *quarterly) get(asOf time.Time, id, period, cohort, dim, value string) (mv, bool) {
	r, ok := q.rows[mvKey{asOf.Format(time.DateOnly), id, period, cohort, dim, value}]
	return r, ok
}

func (q *quarterly) section(id, title string, blocks ...Block) *Section {
	q.doc.Sections = append(q.doc.Sections, Section{ID: id, Title: title, Blocks: blocks})
	return &q.doc.Sections[len(q.doc.Sections)-1]
}

func (q *quarterly) unit(id string) string {
	if d, ok := q.docs[id]; ok {
		return d.Unit
	}
	return "share"
}

// format writes a value for reading in the metric's unit.
func format(unit string, v sql.NullFloat64) string {
	if !v.Valid {
		return "–"
	}
	x := v.Float64
	switch unit {
	case "share":
		return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
	case "days":
		return thousands(int64(math.Round(x))) + nbsp + "days"
	case "ratio":
		return strconv.FormatFloat(x, 'f', 2, 64)
	case "rate":
		return strconv.FormatFloat(x, 'f', 2, 64)
	case "dollars":
		return "$" + thousands(int64(math.Round(x)))
	}
	return thousands(int64(math.Round(x)))
}

// nbsp joins the parts of one value ("1,234 days", "12.3% – 14.5%") so
// neither renderer wraps a line inside it.
const nbsp = "\u00a0"

func interval(unit string, r mv) string {
	if !r.low.Valid || !r.high.Valid {
		return ""
	}
	return format(unit, r.low) + nbsp + "–" + nbsp + format(unit, r.high)
}

// ci is what an interval column shows: the 95% limits, or, for a share
// whose interval has zero width (nothing happened in the group), the count
// and the one-sided bound of bounds.go, never a certainty like "0.0% – 0.0%".
func ci(unit string, r mv) string {
	if r.value.Valid && r.n.Valid && ZeroWidth(unit, r.value.Float64, r.low.Float64, r.high.Float64, r.low.Valid && r.high.Valid) {
		return ZeroWidthCell(r.value.Float64, r.n.Int64)
	}
	return interval(unit, r)
}

// change is the difference between two values, in points for shares.
func change(unit string, now, then mv) string {
	if !now.value.Valid || !then.value.Valid {
		return "–"
	}
	return FormatChange(unit, now.value.Float64-then.value.Float64)
}

// FormatChange writes the difference d between two values of a metric in
// its unit, signed ("+1.2 pts" for shares, "−$350"), "±" when it is no
// change at the precision shown.
func FormatChange(unit string, d float64) string {
	sign := "+"
	if d < 0 {
		sign, d = "−", -d
	}
	if tiny := map[string]float64{"share": 0.0005, "ratio": 0.005, "rate": 0.005}[unit]; d < tiny || (tiny == 0 && d < 0.5) {
		sign = "±" // no change at the precision shown
	}
	switch unit {
	case "share":
		return sign + strconv.FormatFloat(100*d, 'f', 1, 64) + " pts"
	case "ratio", "rate":
		return sign + strconv.FormatFloat(d, 'f', 2, 64)
	case "dollars":
		return sign + "$" + thousands(int64(math.Round(d)))
	case "days":
		return sign + thousands(int64(math.Round(d))) + " days"
	}
	return sign + thousands(int64(math.Round(d)))
}

func count(v sql.NullInt64) string {
	if !v.Valid {
		return "–"
	}
	return thousands(v.Int64)
}

func note(r mv) string { return r.note.String }

// thousands writes 15457639 as 15,457,639.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	start := 0
	if n < 0 {
		start = 1
	}
	for i := len(s) - 3; i > start; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func cohortName(c string) string {
	switch c {
	case "PARTICIPANT":
		return "graduates"
	case "COMPARISON":
		return "comparison peers"
	}
	return "all"
}

// headlineRow is one line of the headline table.
type headlineRow struct{ id, cohort, period string }

func (q *quarterly) headline() {
	rows := []headlineRow{
		{"LEAD_RANK_CIF_10Y", "PARTICIPANT", "ALL"}, {"LEAD_RANK_CIF_10Y", "COMPARISON", "ALL"}, {"LEAD_RANK_HR", "ALL", "ALL"},
		{"LEAD_POS_CIF_10Y", "PARTICIPANT", "ALL"}, {"ALUMNI_PROMINENT", "PARTICIPANT", "ALL"},
		{"RETAIN_5Y", "PARTICIPANT", "ALL"}, {"INTEROP_CIF_5Y", "PARTICIPANT", "ALL"}, {"UTIL_2Y", "PARTICIPANT", "ALL"},
		{"TRACK_24M", "PARTICIPANT", "ALL"}, {"UNTRACKED", "PARTICIPANT", "ALL"},
		{"COMPLETION", "ALL", "Q"}, {"VET_COMPLIANCE", "ALL", "Q"}, {"VET_DENIED_ATTENDED", "ALL", "Q"},
		{"HR_FLAG_RATE", "PARTICIPANT", "ALL"}, {"COST_PER_GRAD", "ALL", "FY"},
	}
	t := &Table{Caption: "Headline indicators, with change from the last quarter and from the same quarter a year earlier",
		Columns: []string{"Indicator", "Group", "Value", "95% interval", "n", IfNobodyLeftColumn, "Change, last quarter", "Change, a year earlier", "Note"},
		Numeric: []bool{false, false, true, true, true, true, true, true, false}}
	for _, h := range rows {
		now, prevQ, prevY := h.period, h.period, h.period
		switch h.period {
		case "Q":
			now, prevQ, prevY = q.opt.Quarter, q.prevQN, q.prevYN
		case "FY":
			now, prevQ, prevY = q.fyD, "FY"+strconv.Itoa(schemas.FiscalYear(q.opt.PrevQ)), "FY"+strconv.Itoa(schemas.FiscalYear(q.opt.PrevYear))
		}
		r, ok := q.get(q.opt.AsOf, h.id, now, h.cohort, "", "")
		if !ok {
			continue
		}
		lq, _ := q.get(q.opt.PrevQ, h.id, prevQ, h.cohort, "", "")
		ly, _ := q.get(q.opt.PrevYear, h.id, prevY, h.cohort, "", "")
		u := q.unit(h.id)
		group := cohortName(h.cohort)
		if h.period != "ALL" {
			group = now
		}
		t.Rows = append(t.Rows, []string{q.title(h.id), group, format(u, r.value), ci(u, r), count(r.n), q.ifNobodyLeft(h.id, now, h.cohort, "", ""), change(u, r, lq), change(u, r, ly), note(r)})
	}
	q.section("headline", "Headline indicators",
		Block{Text: "Each indicator is measured as of " + q.opt.AsOf.Format("2 January 2006") + " over everyone with follow-up; people we stopped hearing about count for as long as we heard of them. Reaching a rank, a position or an operation counts leaving the service first (separation, retirement, death) as a competing exit: those who left can no longer reach it (Aalen-Johansen). The column \"" + IfNobodyLeftColumn + "\" gives the Kaplan-Meier share, which treats those who left as if they might still reach it: an upper bound, not what happened. Flow indicators (completion, vetting) are for the quarter " + q.opt.Quarter + "; cost per graduate for the fiscal year."},
		Block{Note: "Read every outcome rate beside tracking coverage (TRACK_24M): a rate rests only on the graduates whose careers are still reported. Participant-versus-comparison differences are associations, not effects: comparison peers are supplied by partner nations and are not a randomised control."},
		Block{Table: t})
}

func (q *quarterly) title(id string) string {
	if d, ok := q.docs[id]; ok {
		return d.Title + " (" + id + ")"
	}
	return id
}

func (q *quarterly) quality(ctx context.Context, db *sql.DB) error {
	cov := &Table{Caption: "Tracking coverage: how much of each group the outcome rates rest on",
		Columns: []string{"Indicator", "Group", "Share", "95% interval", "Numerator", "Denominator"},
		Numeric: []bool{false, false, true, true, true, true}}
	for _, id := range []string{"TRACK_24M", "UNTRACKED"} {
		for _, c := range []string{"PARTICIPANT", "COMPARISON"} {
			if r, ok := q.get(q.opt.AsOf, id, "ALL", c, "", ""); ok {
				cov.Rows = append(cov.Rows, []string{q.title(id), cohortName(c), format("share", r.value), ci("share", r), format("count", r.num), format("count", r.den)})
			}
		}
	}
	// data_quality's share is rows / all rows of the same topic and
	// dataset (model 090): for linking that is the dataset's rows, for
	// quarantine only the dataset's quarantined rows, so each table says
	// which.
	link := &Table{Caption: "Linking of career events, flags and post holdings to students",
		Columns: []string{"Dataset", "How", "Rows", "Share of the dataset's rows"},
		Numeric: []bool{false, false, true, true}}
	quar := &Table{Caption: "Rows set aside in quarantine and not yet resolved, by rule",
		Columns: []string{"Dataset", "Rule", "Rows", "Share of the dataset's quarantined rows"},
		Numeric: []bool{false, false, true, true}}
	fresh := &Table{Caption: "Freshness of each source", Columns: []string{"Dataset", "Files loaded", "Latest date in the data (≤ D)", "Latest load"},
		Numeric: []bool{false, true, false, false}}
	rows, err := db.QueryContext(ctx, `SELECT topic, dataset, key, rows, share, strftime(latest_date, '%Y-%m-%d'), strftime(latest_load, '%Y-%m-%d %H:%M UTC')
		FROM data_quality WHERE as_of = ? AND vintage = ? ORDER BY topic, dataset, rows DESC NULLS LAST, key`, q.opt.AsOf, q.opt.Vintage)
	if err != nil {
		return fmt.Errorf("read data_quality: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var topic, dataset, key string
		var n sql.NullInt64
		var share sql.NullFloat64
		var latest, load sql.NullString
		if err := rows.Scan(&topic, &dataset, &key, &n, &share, &latest, &load); err != nil {
			return err
		}
		if topic == "freshness" {
			fresh.Rows = append(fresh.Rows, []string{dataset, count(n), dash(latest.String), dash(load.String)})
			continue
		}
		if topic == "linking" {
			how := map[string]string{"id": "linked by student id", "exact_name": "linked by exact name", "fuzzy": "linked by close name match", "unlinked": "not linked (waiting for review)"}[key]
			link.Rows = append(link.Rows, []string{dataset, dash(how), count(n), format("share", share)})
		} else {
			quar.Rows = append(quar.Rows, []string{dataset, key, count(n), format("share", share)})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	blocks := []Block{
		{Text: "Before any rate: how much of the program these numbers can see. A graduate counts as tracked when at least one career event was reported in the two years up to D. People whose careers stopped being reported are censored at their last contact, never counted as failures or successes, so low coverage widens intervals and can bias rates if reporting depends on success."},
		{Table: cov}, {Table: link},
	}
	if len(quar.Rows) > 0 {
		blocks = append(blocks, Block{Table: quar})
	} else {
		blocks = append(blocks, Block{Text: "No row is waiting in quarantine."})
	}
	blocks = append(blocks, Block{Table: fresh})
	fm, err := q.fmtrQuality(ctx, db)
	if err != nil {
		return err
	}
	if fm != nil {
		blocks = append(blocks, Block{Text: "The Foreign Military Training Report files loaded (data: Security Force Monitor, MIT licence): rows read, repaired and set aside, and how many country/program groups reproduce the report's own printed totals."}, Block{Table: fm})
	}
	q.section("quality", "Tracking coverage and data quality", blocks...)
	return nil
}

// fmtrQuality is the data-quality table of the loaded FMTR files, nil
// when there are none in the vintage.
func (q *quarterly) fmtrQuality(ctx context.Context, db *sql.DB) (*Table, error) {
	rows, err := db.QueryContext(ctx, `SELECT file, records, activities, totals, quarantined, repairs, groups_matching, groups_differing,
		groups_without_total, dollars_not_reconciled, students_not_reconciled
		FROM fmtr_quality WHERE batch_id <= ? ORDER BY file`, q.opt.Vintage)
	if err != nil {
		return nil, fmt.Errorf("read fmtr_quality: %w", err)
	}
	defer rows.Close()
	t := &Table{Caption: "Foreign Military Training Report files: rows read, repaired, quarantined, and reconciliation with the printed totals",
		Columns: []string{"File", "Rows read", "Activities", "Printed totals", "Quarantined", "Repairs", "Groups matching", "Differing", "No printed total", "Dollars not reconciled", "Trainees not reconciled"},
		Numeric: []bool{false, true, true, true, true, false, true, true, true, true, true}}
	for rows.Next() {
		var file, repairs string
		var records, acts, totals, bad, match, differ, none, students int64
		var dollars float64
		if err := rows.Scan(&file, &records, &acts, &totals, &bad, &repairs, &match, &differ, &none, &dollars, &students); err != nil {
			return nil, err
		}
		t.Rows = append(t.Rows, []string{file, thousands(records), thousands(acts), thousands(totals), thousands(bad), repairList(repairs),
			thousands(match), thousands(differ), thousands(none), "$" + thousands(int64(math.Round(dollars))), thousands(students)})
	}
	if len(t.Rows) == 0 {
		return nil, rows.Err()
	}
	return t, rows.Err()
}

// repairList writes fmtr_quality's repairs ({"rule": rows}, JSON) for
// reading: "none", or "rule: rows, …" by rule name.
func repairList(js string) string {
	var m map[string]int64
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		return js // not the JSON the loader writes: show it as it is
	}
	if len(m) == 0 {
		return "none"
	}
	rules := make([]string, 0, len(m))
	for r := range m {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	for i, r := range rules {
		rules[i] = r + ":" + nbsp + thousands(m[r])
	}
	return strings.Join(rules, ", ")
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func (q *quarterly) leadership(ctx context.Context, db *sql.DB) error {
	blocks := []Block{{Text: "For each group, the share who have reached each milestone by years since graduation (for comparison peers: since their index date), the share who left the service first (they can no longer reach it), and the share with neither yet, still serving, adding up to the whole group (Aalen-Johansen; the dotted lines are the 95% band of the share reached). The charts stop where follow-up ends."}}
	for _, o := range []struct{ outcome, what string }{
		{"LEAD_RANK", "general or flag rank (OF-6 and above)"},
		{"LEAD_POS", "a strategic or senior position"},
	} {
		for _, g := range []struct{ cohort, name string }{{"PARTICIPANT", "Graduates"}, {"COMPARISON", "Comparison peers"}} {
			c, err := q.stackedCurve(ctx, db, o.outcome, g.cohort, cohortName(g.cohort), g.name+": reaching "+o.what)
			if err != nil {
				return err
			}
			if c != nil {
				blocks = append(blocks, Block{Chart: c})
			}
		}
	}
	blocks = append(blocks, Block{Text: "The Kaplan-Meier curves below answer another question: the share who would have reached each milestone " + schemas.IfNobodyLeftLabel + ", with those who left treated as if they might still reach it. They lie above the shares reached, by about what the exits took, and are shown for comparison with earlier reports."})
	for _, o := range []struct{ outcome, title, y string }{
		{"LEAD_RANK", "Reaching general or flag rank, " + schemas.IfNobodyLeftLabel, "share reached general/flag rank"},
		{"LEAD_POS", "Reaching a strategic or senior position, " + schemas.IfNobodyLeftLabel, "share reached a strategic/senior position"},
	} {
		c, err := q.curve(ctx, db, o.outcome, o.title, o.y)
		if err != nil {
			return err
		}
		blocks = append(blocks, Block{Chart: c})
	}
	t := &Table{Caption: "Leadership attainment at 5 and 10 years, graduates and comparison peers",
		Columns: []string{"Indicator", "Group", "Value", "95% interval", IfNobodyLeftColumn, "n", "Events", "Tracking coverage", "Note"},
		Numeric: []bool{false, false, true, true, true, true, true, true, false}}
	for _, id := range []string{"LEAD_RANK_CIF_5Y", "LEAD_RANK_CIF_10Y", "EXIT_BEFORE_RANK_10Y", "LEAD_POS_CIF_5Y", "LEAD_POS_CIF_10Y"} {
		for _, c := range []string{"PARTICIPANT", "COMPARISON"} {
			if r, ok := q.get(q.opt.AsOf, id, "ALL", c, "", ""); ok {
				tr, _ := q.get(q.opt.AsOf, "TRACK_24M", "ALL", c, "", "")
				t.Rows = append(t.Rows, []string{q.title(id), cohortName(c), format("share", r.value), ci("share", r), q.ifNobodyLeft(id, "ALL", c, "", ""), count(r.n), count(r.events), format("share", tr.value), note(r)})
			}
		}
	}
	if r, ok := q.get(q.opt.AsOf, "LEAD_RANK_HR", "ALL", "ALL", "", ""); ok {
		blocks = append(blocks, Block{Table: t},
			Block{Text: fmt.Sprintf("Hazard ratio of reaching general/flag rank, graduates against comparison peers of the same country (Cox model, stratified by country): %s (95%% interval %s; stratified log-rank p = %s; %s people, %s events).",
				format("ratio", r.value), interval("ratio", r), pValue(r.p), count(r.n), count(r.events))},
			Block{Note: "This is an association, not an effect of the training: comparison peers are supplied by partner nations and are not randomised; officers chosen for IMET may differ from their peers in ways that also speed promotion."})
	} else {
		blocks = append(blocks, Block{Table: t})
	}
	if r, ok := q.get(q.opt.AsOf, "ALUMNI_PROMINENT", "ALL", "PARTICIPANT", "", ""); ok {
		lp, _ := q.get(q.opt.AsOf, "LEAD_POS_CIF_5Y", "ALL", "PARTICIPANT", "", "")
		blocks = append(blocks, Block{Text: fmt.Sprintf("The traditional count: %s graduates now hold a strategic or senior position (ALUMNI_PROMINENT). It has no denominator; beside it, %s of graduates reached such a position within five years (LEAD_POS_CIF_5Y).",
			format("count", r.value), format("share", lp.value))})
	}
	pen, err := q.penetrationBlocks(ctx, db)
	if err != nil {
		return err
	}
	q.section("leadership", "Leadership attainment", append(blocks, pen...)...)
	return nil
}

// curve reads the Kaplan-Meier steps of an outcome for both cohorts.
func (q *quarterly) curve(ctx context.Context, db *sql.DB, outcome, title, ylabel string) (*Chart, error) {
	c := &Chart{Title: title, XLabel: "years since graduation (index date)", YLabel: ylabel}
	var desc []string
	steps := map[string][]kmRisk{} // series name: its steps' (time, n_risk)
	for _, s := range []struct{ cohort, name, color string }{
		{"PARTICIPANT", "graduates", "#1f5fa8"}, {"COMPARISON", "comparison peers", "#b8561b"},
	} {
		rows, err := db.QueryContext(ctx, `SELECT time, n_risk, surv, ci_low, ci_high FROM km_curves
			WHERE outcome = ? AND cohort = ? AND as_of = ? AND vintage = ? ORDER BY time`, outcome, s.cohort, q.opt.AsOf, q.opt.Vintage)
		if err != nil {
			return nil, fmt.Errorf("read km_curves: %w", err)
		}
		ser := Series{Name: s.name, Color: s.color, Points: []Point{{0, 0, 0, 0}}}
		for rows.Next() {
			var t float64
			var nRisk int64
			var surv, lo, hi sql.NullFloat64
			if err := rows.Scan(&t, &nRisk, &surv, &lo, &hi); err != nil {
				rows.Close()
				return nil, err
			}
			steps[s.name] = append(steps[s.name], kmRisk{t, nRisk})
			if !surv.Valid {
				continue
			}
			p := Point{X: t / 365.25, Y: 1 - surv.Float64, Lo: 1 - hi.Float64, Hi: 1 - lo.Float64}
			if !hi.Valid || !lo.Valid {
				p.Lo, p.Hi = p.Y, p.Y
			}
			ser.Points = append(ser.Points, p)
			c.YMax = math.Max(c.YMax, p.Hi)
		}
		rows.Close()
		if len(ser.Points) > 1 {
			last := ser.Points[len(ser.Points)-1]
			desc = append(desc, fmt.Sprintf("%s: %.1f%% after 5 years, %.1f%% at the end of follow-up (%.1f years)", s.name, 100*yAt(ser.Points, 5), 100*last.Y, last.X))
			c.Series = append(c.Series, ser)
		}
	}
	c.XMax = 0
	for _, s := range c.Series {
		c.XMax = math.Max(c.XMax, s.Points[len(s.Points)-1].X)
	}
	c.XMax = math.Ceil(c.XMax)
	c.YMax = math.Min(1, math.Ceil(c.YMax*10)/10)
	for i := range c.Series {
		s := &c.Series[i]
		for _, x := range XTicks(c.XMax) {
			s.AtRisk = append(s.AtRisk, AtRisk{X: x, N: atRisk(steps[s.Name], x*365.25)})
		}
	}
	c.Desc = title + ", cumulative share by years since the index date. " + strings.Join(desc, "; ") + "."
	return c, nil
}

// kmRisk is one Kaplan-Meier step's time (days) and number at risk.
type kmRisk struct {
	days float64
	n    int64
}

// atRisk is the number at risk at time t (days) from a curve's steps,
// which km_curves keeps at every distinct event or censoring time: the
// n_risk of the first step at or after t, or 0 past the last one.
func atRisk(steps []kmRisk, t float64) int64 {
	for _, s := range steps {
		if s.days >= t {
			return s.n
		}
	}
	return 0
}

// yAt is the curve's value at x.
func yAt(pts []Point, x float64) float64 { return bandAt(pts, x).Y }

func (q *quarterly) careers() {
	t := &Table{Caption: "Promotion, retention, interoperability and use of the training",
		Columns: []string{"Indicator", "Group", "Value", "95% interval", "n", "Tracking coverage", "Note"},
		Numeric: []bool{false, false, true, true, true, true, false}}
	for _, id := range []string{"PROMO_MEDIAN_DAYS", "RETAIN_5Y", "INTEROP_5Y", "UTIL_2Y"} {
		for _, c := range []string{"PARTICIPANT", "COMPARISON"} {
			if r, ok := q.get(q.opt.AsOf, id, "ALL", c, "", ""); ok {
				tr, _ := q.get(q.opt.AsOf, "TRACK_24M", "ALL", c, "", "")
				t.Rows = append(t.Rows, []string{q.title(id), cohortName(c), format(q.unit(id), r.value), ci(q.unit(id), r), count(r.n), format("share", tr.value), note(r)})
			}
		}
	}
	q.section("careers", "Promotion, retention, interoperability and utilization",
		Block{Text: "Median time to the next promotion above the rank held at graduation; the share still serving five years on; the share who served in a UN, coalition, NATO or African Union operation within five years; and the share of specialised courses followed within two years by an assignment in the same functional area."},
		Block{Table: t})
}

func (q *quarterly) vetting(ctx context.Context, db *sql.DB) error {
	t := &Table{Caption: "Human-rights vetting and substantiated flags",
		Columns: []string{"Indicator", "Period", "Value", "95% interval", "n", "Note"},
		Numeric: []bool{false, false, true, true, true, false}}
	for _, p := range []string{q.opt.Quarter, q.fyD} {
		for _, id := range []string{"VET_COMPLIANCE", "VET_DENIED_ATTENDED"} {
			if r, ok := q.get(q.opt.AsOf, id, p, "ALL", "", ""); ok {
				t.Rows = append(t.Rows, []string{q.title(id), p, format(q.unit(id), r.value), ci(q.unit(id), r), count(r.n), note(r)})
			}
		}
	}
	if r, ok := q.get(q.opt.AsOf, "HR_FLAG_RATE", "ALL", "PARTICIPANT", "", ""); ok {
		t.Rows = append(t.Rows, []string{q.title("HR_FLAG_RATE"), "since graduation", format("rate", r.value) + " per 1,000 person-years", interval("rate", r), count(r.events) + " flags", note(r)})
	}
	blocks := []Block{{Text: "Vetting compliance is the share of enrollments needing Leahy vetting that were approved before the course started. Any enrollment attended despite a DENIED vetting is an alarm, whatever the year its course started: every such year is listed below until the records are corrected. Flag detail is never shown in reports."}, {Table: t}}
	// The same question as imet run's warning (reports.DeniedVettingAlarms),
	// so the run's message and the report always name the same alarms.
	alarms, err := DeniedVettingAlarms(ctx, db, q.opt.AsOf, q.opt.Vintage)
	if err != nil {
		return err
	}
	if len(alarms) == 0 {
		blocks = append(blocks, Block{Text: "No enrollment of any fiscal year was attended despite a DENIED vetting (VET_DENIED_ATTENDED is 0 in every year)."})
	} else {
		at := &Table{Caption: "Open alarms: enrollments attended although vetting was DENIED, by the fiscal year the course started",
			Columns: []string{"Fiscal year", "Enrollments"}, Numeric: []bool{false, true}}
		var total int64
		var years []string
		for _, a := range alarms {
			at.Rows = append(at.Rows, []string{a.FiscalYear, thousands(a.Enrollments)})
			total += a.Enrollments
			years = append(years, fmt.Sprintf("%s (%s)", a.FiscalYear, thousands(a.Enrollments)))
		}
		blocks = append(blocks,
			Block{Note: fmt.Sprintf("ALARM: %s enrollment%s attended although vetting was DENIED: %s. Correct the records or report the cases: their enrollments have vetting_status DENIED and status COMPLETED or IN_PROGRESS.", thousands(total), plural(total), strings.Join(years, ", "))},
			Block{Table: at})
	}
	q.section("vetting", "Human-rights vetting and flags", blocks...)
	return nil
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (q *quarterly) cost(ctx context.Context, db *sql.DB) {
	t := &Table{Caption: "Cost-effectiveness, fiscal year " + q.fyD,
		Columns: []string{"Indicator", "Value", "Numerator", "Denominator", "Note"},
		Numeric: []bool{false, true, true, true, false}}
	for _, id := range []string{"COST_PER_GRAD", "COST_SHARE_PARTNER", "ALLOC_EXECUTION", "FMTR_DOLLARS"} {
		if r, ok := q.get(q.opt.AsOf, id, q.fyD, "ALL", "", ""); ok {
			d := q.docs[id]
			t.Rows = append(t.Rows, []string{q.title(id), format(d.Unit, r.value), format(d.NumUnit, r.num), format(d.DenUnit, r.den), note(r)})
		}
	}
	leaders := &Table{Caption: "Cost per general/flag officer, by graduation cohort",
		Columns: []string{"Graduation cohort", "Cost per leader", "Total cost", "Leaders", "Note"},
		Numeric: []bool{false, true, true, true, false}}
	var cohorts []string
	for k := range q.rows {
		if k.asOf == q.opt.AsOf.Format(time.DateOnly) && k.id == "COST_PER_LEADER" && k.dim == "graduation_cohort" {
			cohorts = append(cohorts, k.dimValue)
		}
	}
	sort.Strings(cohorts)
	for _, c := range cohorts {
		r, _ := q.get(q.opt.AsOf, "COST_PER_LEADER", "ALL", "PARTICIPANT", "graduation_cohort", c)
		leaders.Rows = append(leaders.Rows, []string{c, format("dollars", r.value), format("dollars", r.num), format("count", r.den), note(r)})
	}
	q.section("cost", "Cost-effectiveness",
		Block{Text: "U.S. cost per graduate and per graduate who reached general or flag rank. Recent cohorts are immature: their future leaders have not been promoted yet, so their cost per leader falls as they age."},
		Block{Table: t}, Block{Table: leaders})
}

func (q *quarterly) geography(ctx context.Context, db *sql.DB) error {
	names, err := countryNames(ctx, db)
	if err != nil {
		return err
	}
	cols := []string{"", "Graduates reaching general/flag rank in 10 years", "95% interval", IfNobodyLeftColumn, "n", "Tracking coverage", "95% interval", "Completion " + q.fyD, "95% interval", "FMTR dollar value " + q.fyD}
	build := func(dim, caption string, label func(string) string) *Table {
		t := &Table{Caption: caption, Columns: append([]string{}, cols...), Numeric: []bool{false, true, true, true, true, true, true, true, true, true}}
		t.Columns[0] = map[string]string{"region": "Region", "country": "Country"}[dim]
		seen := map[string]bool{}
		var keys []string
		for k := range q.rows {
			if k.asOf == q.opt.AsOf.Format(time.DateOnly) && k.dim == dim && !seen[k.dimValue] {
				seen[k.dimValue] = true
				keys = append(keys, k.dimValue)
			}
		}
		sort.Slice(keys, func(i, j int) bool { return label(keys[i]) < label(keys[j]) })
		for _, v := range keys {
			lr, _ := q.get(q.opt.AsOf, "LEAD_RANK_CIF_10Y", "ALL", "PARTICIPANT", dim, v)
			tr, _ := q.get(q.opt.AsOf, "TRACK_24M", "ALL", "PARTICIPANT", dim, v)
			co, _ := q.get(q.opt.AsOf, "COMPLETION", q.fyD, "ALL", dim, v)
			fd, _ := q.get(q.opt.AsOf, "FMTR_DOLLARS", q.fyD, "ALL", dim, v)
			t.Rows = append(t.Rows, []string{label(v), format("share", lr.value), ci("share", lr), q.ifNobodyLeft("LEAD_RANK_CIF_10Y", "ALL", "PARTICIPANT", dim, v), count(lr.n),
				format("share", tr.value), ci("share", tr), format("share", co.value), ci("share", co), format("dollars", fd.value)})
		}
		return t
	}
	countryLabel := func(s string) string { return names[s] + " (" + s + ")" }
	sec := q.section("geography", "Regions and countries",
		Block{Text: "By State Department region and by country, each rate with its 95% interval. Small groups give wide intervals; where nothing happened in a group (\"none of 7\", \"all of 7\") a one-sided bound stands in for an interval of zero width: it assumes all of the group were followed to the horizon, and is wider where fewer were (see the methodology). A dash means no value (no one in the group, or too little follow-up)."},
		Block{Table: build("region", "By region", func(s string) string { return s })},
		Block{Table: build("country", "By country", countryLabel)})
	if hr, tested := q.contrastByCountry("LEAD_RANK_HR", countryLabel); len(hr.Rows) > 0 {
		sec.Blocks = append(sec.Blocks,
			Block{Text: fmt.Sprintf("Graduates against comparison peers of the same country, country by country (%s). One test in twenty shows p < 0.05 by chance alone even where training makes no difference; with %d countries tested that is %s here. So the table is sorted and read by the p-value adjusted for the number of countries tested (Benjamini-Hochberg false discovery rate): only \"holds after adjusting\" is a finding. A dash means the country has too few peers or events for a ratio or a test.", q.title("LEAD_RANK_HR"), tested, byChance(tested))},
			Block{Table: hr})
	}
	return nil
}

func (q *quarterly) methodology() {
	blocks := []Block{{Text: "Every definition below is generated from the metric registry that computes the numbers (docs/metrics.md carries the same text). D is the period end: events after it are ignored. The data vintage names the last loaded batch used, so this report can be reproduced after newer data arrive."},
		{Text: BoundMethod}}
	t := &Table{Caption: "Metric definitions", Columns: []string{"Metric", "Definition", "Population", "Event or numerator", "Estimator"}}
	for _, m := range q.opt.Metrics {
		def := m.Definition
		if len(m.Caveats) > 0 {
			def += " Caveats: " + strings.Join(m.Caveats, " ")
		}
		t.Rows = append(t.Rows, []string{m.ID + ": " + m.Title, def, m.Population, m.Event, m.Estimator})
	}
	blocks = append(blocks, Block{Table: t})
	q.section("methodology", "Methodology and definitions", blocks...)
}
