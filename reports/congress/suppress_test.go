package congress

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/imet-project/imet/schemas"
)

func n64(v int64) sql.NullInt64     { return sql.NullInt64{Int64: v, Valid: true} }
func f64(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }

// place makes a row of metric m with n people and e events at the keys
// (region, country, category; "" = ALL); countryRegion is the country's region.
func place(m string, n, e int64, region, country, countryRegion string) Row {
	r := Row{Metric: m, Period: "ALL", Cohort: All, ECLBand: All, Program: All, Region: All, Country: All, Category: All,
		N: n64(n), Events: n64(e), Value: f64(float64(e) / float64(max(n, 1))), CILow: f64(0), CIHigh: f64(1), Note: "small n"}
	if region != "" {
		r.Region = region
	}
	if country != "" {
		r.Country, r.CountryRegion = country, countryRegion
	}
	return r
}

// partOf says whether p is a part of the total t, and along which
// dimension: the spec's "total and parts that add up to it", written
// independently of groups() as a predicate over a pair of rows.
func partOf(t, p *Row) (string, bool) {
	same := func(dims ...string) bool {
		eq := map[string]bool{
			"metric": t.Metric == p.Metric, "period": t.Period == p.Period, "cohort": t.Cohort == p.Cohort,
			"ecl": t.ECLBand == p.ECLBand, "program": t.Program == p.Program, "region": t.Region == p.Region,
			"country": t.Country == p.Country, "category": t.Category == p.Category,
		}
		for _, d := range dims {
			delete(eq, d)
		}
		for _, ok := range eq {
			if !ok {
				return false
			}
		}
		return true
	}
	switch {
	case p.Program != All && t.Program == All && same("program"):
		return "program", true
	case p.Category != All && t.Category == All && same("category"):
		return "category", true
	case p.Region != All && p.Country == All && t.Region == All && same("region"):
		return "region", true
	case p.ECLBand != All && t.ECLBand == All && same("ecl", "metric") &&
		(t.Metric == p.Metric || p.Metric == "COMPLETION_BY_ECL" && t.Metric == "COMPLETION"):
		return "ecl", true
	case p.Cohort != All && t.Cohort == All && same("cohort", "metric") &&
		(t.Metric == p.Metric || (p.Metric == "LEAD_RANK_5Y" || p.Metric == "LEAD_RANK_10Y") && t.Metric == "LEAD_RANK_HR"):
		return "cohort", true
	case p.Country != All && t.Country == All && same("country", "region"):
		region := p.Region
		if region == All {
			region = p.CountryRegion
		}
		if t.Region == All {
			return "country", true // also covers a country whose region is unknown
		}
		if t.Region == region {
			return "country in region", true
		}
	}
	return "", false
}

// randomTable makes a table of metric rows with random places and sizes,
// most of them small so that suppression has work to do. A row (total or
// part) is sometimes missing; sizes are sometimes given by the
// denominator alone, or not at all.
func randomTable(rng *rand.Rand) []Row {
	type family struct {
		metric        string
		cohorts, ecls []string
		total         string // cross-metric total: cohort or ECL ALL
	}
	pool := []family{
		{metric: "M1", cohorts: []string{All}, ecls: []string{All}},
		{metric: "M2", cohorts: []string{"PARTICIPANT", "COMPARISON"}, ecls: []string{All}},
		{metric: "COMPLETION_BY_ECL", cohorts: []string{All}, ecls: []string{"<70", ">=80", "missing"}, total: "COMPLETION"},
		{metric: "LEAD_RANK_5Y", cohorts: []string{"PARTICIPANT", "COMPARISON"}, ecls: []string{All}, total: "LEAD_RANK_HR"},
	}
	var regions []string
	countries := map[string]string{}
	for r := range 1 + rng.IntN(3) {
		region := fmt.Sprintf("R%d", r)
		regions = append(regions, region)
		for c := range 1 + rng.IntN(3) {
			countries[fmt.Sprintf("%s-C%d", region, c)] = region
		}
	}
	if rng.IntN(4) == 0 {
		countries["XXX"] = "" // a country the countries table does not know
	}
	codes := make([]string, 0, len(countries))
	for c := range countries {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	categories := []string{"PME", "TECHNICAL", "ELT"}[:rng.IntN(4)]
	programs := []string{"IMET", "FMS"}[:rng.IntN(3)]
	size := func(r *Row) {
		n := int64(rng.IntN(40))
		if rng.IntN(3) == 0 {
			n = int64(rng.IntN(7))
		}
		e := n / 3
		r.N, r.Events, r.Numerator, r.Value, r.PValue = n64(n), n64(e), f64(float64(e)), f64(0.5), f64(0.01)
		r.CILow, r.CIHigh, r.Note = f64(0.1), f64(0.9), "note"
		switch rng.IntN(20) {
		case 0, 1:
			r.N, r.Denominator = sql.NullInt64{}, f64(float64(n)+rng.Float64())
		case 2:
			r.N = sql.NullInt64{}
		}
	}
	var rows []Row
	add := func(r Row) {
		if rng.IntN(12) == 0 {
			return
		}
		size(&r)
		rows = append(rows, r)
	}
	places := func(m, cohort, ecl string, withPrograms bool) {
		base := Row{Metric: m, Period: "FY2026", Cohort: cohort, ECLBand: ecl, Program: All, Region: All, Country: All, Category: All}
		add(base)
		for _, region := range regions {
			r := base
			r.Region = region
			add(r)
		}
		for _, c := range codes {
			r := base
			r.Country, r.CountryRegion = c, countries[c]
			add(r)
		}
		for _, k := range categories {
			r := base
			r.Category = k
			add(r)
		}
		if withPrograms {
			for _, p := range programs {
				r := base
				r.Program = p
				add(r)
			}
		}
	}
	for i, f := range pool {
		if rng.IntN(2) == 0 && i > 0 {
			continue
		}
		for _, c := range f.cohorts {
			for _, e := range f.ecls {
				places(f.metric, c, e, f.metric == "M1")
			}
		}
		if f.total != "" && rng.IntN(5) > 0 {
			places(f.total, All, All, false)
		}
	}
	return rows
}

func TestSuppressProperties(t *testing.T) {
	const k = 5
	cases := 3000
	if testing.Short() {
		cases = 300
	}
	for seed := range uint64(cases) {
		rng := rand.New(rand.NewPCG(seed, 7))
		orig := randomTable(rng)
		rows := slices.Clone(orig)
		Suppress(rows, k)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d: "+format, append([]any{seed}, args...)...)
		}
		// Groups, by the independent predicate.
		type gk struct {
			total int
			dim   string
		}
		parts := map[gk][]int{}
		inGroup := make([]bool, len(rows))
		for ti := range rows {
			for pi := range rows {
				if dim, ok := partOf(&rows[ti], &rows[pi]); ok {
					parts[gk{ti, dim}] = append(parts[gk{ti, dim}], pi)
					inGroup[ti], inGroup[pi] = true, true
				}
			}
		}
		for g, ps := range parts {
			hidden := 0
			for _, p := range ps {
				if rows[p].Suppressed() {
					hidden++
				}
			}
			if hidden == 1 && !rows[g.total].Suppressed() {
				fail("group %s of %+v has exactly one suppressed part and its total shown", g.dim, rows[g.total].key())
			}
		}
		for i := range rows {
			r, o := &rows[i], &orig[i]
			below := o.below(k)
			switch {
			case below && r.Reason != BelowK:
				fail("%+v below k (n %v, denominator %v) not suppressed as such", r.key(), o.N, o.Denominator)
			case !below && r.Reason == BelowK:
				fail("%+v at or above k suppressed as below", r.key())
			case r.Reason == Complement && !inGroup[i]:
				fail("%+v suppressed as a complement but in no group", r.key())
			}
			if r.key() != o.key() || r.CountryRegion != o.CountryRegion {
				fail("keys changed: %+v → %+v", o.key(), r.key())
			}
			if r.Suppressed() {
				if r.N.Valid || r.Events.Valid || r.Numerator.Valid || r.Denominator.Valid || r.Value.Valid ||
					r.CILow.Valid || r.CIHigh.Valid || r.PValue.Valid || r.Note != "" {
					fail("suppressed %+v still shows %+v", r.key(), *r)
				}
			} else {
				want := *o
				want.Reason = Shown
				if *r != want {
					fail("shown row changed: %+v → %+v", *o, *r)
				}
			}
		}
		// The result depends on the rows, not on their order.
		shuffled := slices.Clone(orig)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		Suppress(shuffled, k)
		reason := map[rowKey]Reason{}
		for i := range rows {
			reason[rows[i].key()] = rows[i].Reason
		}
		for i := range shuffled {
			if got, want := shuffled[i].Reason, reason[shuffled[i].key()]; got != want {
				fail("%+v: reason %d after shuffling, %d before", shuffled[i].key(), got, want)
			}
		}
	}
}

// TestNoRecoveryBySubtraction publishes a region and its three countries,
// one of them below k. With primary suppression only, the small country's
// events are the region's minus the others': recovered exactly. With
// complementary suppression, many values are consistent with what is
// published.
func TestSuppressNoRecoveryBySubtraction(t *testing.T) {
	const k = 5
	table := func() []Row {
		return []Row{
			place("M", 30, 11, "AF", "", ""),
			place("M", 3, 1, "", "KEN", "AF"), // below k
			place("M", 12, 5, "", "GHA", "AF"),
			place("M", 15, 5, "", "NGA", "AF"),
		}
	}
	// Primary only: subtraction gives KEN away.
	primary := table()
	for i := range primary {
		if primary[i].below(k) {
			primary[i].Reason = BelowK
		}
	}
	n, e := primary[0].N.Int64, primary[0].Events.Int64
	for _, r := range primary[2:] {
		n, e = n-r.N.Int64, e-r.Events.Int64
	}
	if n != 3 || e != 1 {
		t.Fatalf("the unprotected table gives KEN n %d, events %d", n, e)
	}

	rows := table()
	Suppress(rows, k)
	if !rows[1].Suppressed() || rows[1].Reason != BelowK || rows[2].Reason != Complement || rows[3].Suppressed() || rows[0].Suppressed() {
		t.Fatalf("reasons %d %d %d %d", rows[0].Reason, rows[1].Reason, rows[2].Reason, rows[3].Reason)
	}
	// Everything a reader knows: the region, NGA, that KEN is below k and
	// GHA is not (their notes say so), and that events never exceed n.
	restN := rows[0].N.Int64 - rows[3].N.Int64
	restE := rows[0].Events.Int64 - rows[3].Events.Int64
	kenN, kenE := map[int64]bool{}, map[int64]bool{}
	for nk := int64(0); nk < k; nk++ {
		ng := restN - nk
		if ng < k {
			continue
		}
		for ek := int64(0); ek <= nk; ek++ {
			if eg := restE - ek; eg >= 0 && eg <= ng {
				kenN[nk], kenE[ek] = true, true
			}
		}
	}
	if len(kenN) < 2 || len(kenE) < 2 || !kenN[3] || !kenE[1] {
		t.Errorf("KEN's n could be %v and its events %v: the published table must leave several possibilities, the truth among them", kenN, kenE)
	}
}

// TestSuppressSinglePart: a region with one country shown, the country
// below k, hides the region row (it would equal the country), and then
// the next smallest region.
func TestSuppressSinglePart(t *testing.T) {
	rows := []Row{
		place("M", 60, 9, "", "", ""),
		place("M", 8, 0, "EUR", "", ""),
		place("M", 3, 1, "", "EST", "EUR"),
		place("M", 22, 5, "AF", "", ""),
		place("M", 30, 5, "SCA", "", ""),
		place("M", 22, 5, "", "NGA", "AF"),
	}
	Suppress(rows, 5)
	var got []Reason
	for _, r := range rows {
		got = append(got, r.Reason)
	}
	// EST below k; the EUR row as its group's total; AF (22) as the next
	// smallest region; NGA because it is AF's single part; the total stays.
	if want := []Reason{Shown, Complement, BelowK, Complement, Shown, Complement}; !slices.Equal(got, want) {
		t.Errorf("reasons %v, want %v", got, want)
	}
}

func TestSuppressNoSize(t *testing.T) {
	rows := []Row{{Metric: "M", Period: "ALL", Cohort: All, ECLBand: All, Program: All, Region: All, Country: All, Category: All, Value: f64(3)}}
	Suppress(rows, 5)
	if rows[0].Reason != BelowK || rows[0].Value.Valid {
		t.Errorf("a row without n or denominator: %+v", rows[0])
	}
	den := []Row{{Metric: "M", Period: "ALL", Cohort: All, ECLBand: All, Program: All, Region: All, Country: All, Category: All, Denominator: f64(5), Value: f64(3)}}
	Suppress(den, 5)
	if den[0].Suppressed() {
		t.Errorf("denominator 5 with k 5 suppressed")
	}
}

func TestCongressNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+44 20": "'+44 20", "-5% change": "'-5% change", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "'=x": "'=x", "": "", "ok": "ok", ">=80": ">=80", " =x": " =x",
	} {
		if got := schemas.NeutraliseFormula(in); got != want {
			t.Errorf("schemas.NeutraliseFormula(%q) = %q, want %q", in, got, want)
		}
		if got := schemas.NeutraliseFormula(schemas.NeutraliseFormula(in)); got != want {
			t.Errorf("Neutralise twice (%q) = %q", in, got)
		}
	}
	// Numbers are not text: a negative number stays a number in every format.
	if got := text(-5.5, Number); got != "-5.500" {
		t.Errorf("text(-5.5) = %q", got)
	}
	if got := text(Quantity{-0.25, Percent}, Number); got != "-25.0%" {
		t.Errorf("text(Quantity) = %q", got)
	}
}

// LEAD_RANK_5Y's two cohorts and LEAD_RANK_10Y's two cohorts each add up
// to LEAD_RANK_HR. With the comparison rows of both below k, each metric's
// participant row must go too: otherwise HR − participants gives the
// peers (a walk-through found 43 countries where it did).
func TestSuppressEachCohortPartitionOfTheHazardRatio(t *testing.T) {
	t.Parallel()
	cohort := func(m, c string, n, e int64) Row {
		r := place(m, n, e, "", "BWA", "AF")
		r.Cohort = c
		return r
	}
	rows := []Row{
		cohort("LEAD_RANK_5Y", "PARTICIPANT", 9, 0),
		cohort("LEAD_RANK_5Y", "COMPARISON", 1, 1),
		cohort("LEAD_RANK_10Y", "PARTICIPANT", 9, 0),
		cohort("LEAD_RANK_10Y", "COMPARISON", 1, 1),
		place("LEAD_RANK_HR", 10, 5, "", "BWA", "AF"),
	}
	Suppress(rows, 5)
	for i, want := range []Reason{Complement, BelowK, Complement, BelowK, Shown} {
		if rows[i].Reason != want {
			t.Errorf("%s %s: %v, want %v", rows[i].Metric, rows[i].Cohort, rows[i].Reason, want)
		}
	}
}

// A row of n at least k can still single people out by its events or its
// numerator: 1 to k−1 of them, or 1 to k−1 left of n or of the
// denominator, is suppressed as a small cell (issue 17, item 11: Comoros,
// n 5, events 1, was published).
func TestSuppressSmallCounts(t *testing.T) {
	survival := MetricDoc{ID: "LEAD_RANK_5Y", Unit: "share", NumUnit: "count", DenUnit: "count"}
	share := MetricDoc{ID: "TRACK_24M", Unit: "share", NumUnit: "count", DenUnit: "count"}
	rate := MetricDoc{ID: "HR_FLAG_RATE", Unit: "rate", NumUnit: "count", DenUnit: "number"}
	cost := MetricDoc{ID: "COST_PER_GRAD", Unit: "dollars", NumUnit: "dollars", DenUnit: "count"}
	row := func(d MetricDoc, n int64, events, num, den *float64) Row {
		r := place(d.ID, n, 0, "", "COM", "AF")
		r.Events, r.Numerator, r.Denominator = sql.NullInt64{}, sql.NullFloat64{}, sql.NullFloat64{}
		if events != nil {
			r.Events = n64(int64(*events))
		}
		if num != nil {
			r.Numerator = f64(*num)
		}
		if den != nil {
			r.Denominator = f64(*den)
		}
		r.Counts(d)
		return r
	}
	v := func(x float64) *float64 { return &x }
	cases := []struct {
		name string
		row  Row
		want Reason
	}{
		{"Comoros: n 5, events 1", row(survival, 5, v(1), nil, nil), SmallCount},
		{"events 4 of 40", row(survival, 40, v(4), nil, nil), SmallCount},
		{"events 5 of 40", row(survival, 40, v(5), nil, nil), Shown},
		{"no events of 40", row(survival, 40, v(0), nil, nil), Shown},
		{"events leave 2 of 7", row(survival, 7, v(5), nil, nil), SmallCount},
		{"events leave none of 7", row(survival, 7, v(7), nil, nil), Shown},
		{"n 4: below k first", row(survival, 4, v(1), nil, nil), BelowK},
		{"share: numerator 3 of 20", row(share, 20, nil, v(3), v(20)), SmallCount},
		{"share: numerator leaves 3 of 20", row(share, 20, nil, v(17), v(20)), SmallCount},
		{"share: 10 of 20", row(share, 20, nil, v(10), v(20)), Shown},
		{"share without denominator: numerator leaves 1 of n 9", row(share, 9, nil, v(8), nil), SmallCount},
		{"rate: 2 flags among 30 people", row(rate, 30, v(2), v(2), v(95.5)), SmallCount},
		{"rate: 6 flags among 6 people (flags are not people: no complement)", row(rate, 6, v(6), v(6), v(20.1)), Shown},
		{"dollars are not counted", row(cost, 12, nil, v(3.5), v(12)), Shown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows := []Row{c.row}
			Suppress(rows, 5)
			if rows[0].Reason != c.want {
				t.Fatalf("reason %d, want %d", rows[0].Reason, c.want)
			}
			if rows[0].Suppressed() && (rows[0].Events.Valid || rows[0].Numerator.Valid || rows[0].N.Valid || rows[0].Value.Valid) {
				t.Errorf("suppressed row keeps numbers: %+v", rows[0])
			}
		})
	}
}

// A row suppressed for a small count is a suppressed part like any other:
// complementary suppression hides another part so that the total's events
// cannot give it back by subtraction.
func TestSuppressSmallCountComplement(t *testing.T) {
	d := MetricDoc{ID: "LEAD_RANK_5Y", Unit: "share", NumUnit: "count", DenUnit: "count"}
	rows := []Row{
		place(d.ID, 45, 11, "AF", "", ""),   // the region: the total
		place(d.ID, 5, 1, "", "COM", "AF"),  // Comoros: n 5, events 1
		place(d.ID, 30, 8, "", "KEN", "AF"), // the next smallest part
		place(d.ID, 12, 2, "", "ZZZ", "EUR"),
	}
	rows[3].Events = n64(6)
	for i := range rows {
		rows[i].Counts(d)
	}
	Suppress(rows, 5)
	got := []Reason{rows[0].Reason, rows[1].Reason, rows[2].Reason}
	if want := []Reason{Shown, SmallCount, Complement}; !slices.Equal(got, want) {
		t.Fatalf("reasons %v, want %v (region, COM, KEN)", got, want)
	}
	if rows[0].Events.Int64-rows[2].Events.Int64 == 1 && rows[2].Events.Valid {
		t.Errorf("Comoros' events recoverable from the region's")
	}
}
