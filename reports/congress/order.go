package congress

import (
	"cmp"
	"slices"

	"github.com/imet-project/imet/reports"
)

// fmtrColumn is one column of the FMTR sheet and the metric it shows.
type fmtrColumn struct {
	id  string
	col Column
}

// The FMTR columns, in order.
var fmtrMetrics = []fmtrColumn{
	{"FMTR_SESSIONS", FMTRSessions},
	{"FMTR_STUDENTS", FMTRStudents},
	{"FMTR_COURSES", FMTRCourses},
	{"FMTR_DOLLARS", FMTRDollars},
}

func isFMTR(id string) bool {
	return slices.ContainsFunc(fmtrMetrics, func(f fmtrColumn) bool { return f.id == id })
}

// geo counts the row's disaggregations among region, country and course
// category.
func geo(r *Row) int {
	n := 0
	for _, v := range []string{r.Region, r.Country, r.Category} {
		if v != All {
			n++
		}
	}
	return n
}

// DisplayOrder is the metrics in the order products show them: ms,
// except that a metric the registry shows after another (ALUMNI_PROMINENT,
// the count without a denominator, after LEAD_POS: metrics.md, "Reading
// rules") moves right after it.
func DisplayOrder(ms []MetricDoc) []MetricDoc {
	out := slices.Clone(ms)
	for _, m := range ms {
		if m.ShownAfter == "" {
			continue
		}
		i := slices.IndexFunc(out, func(x MetricDoc) bool { return x.ID == m.ID })
		out = slices.Delete(out, i, i+1)
		at := slices.IndexFunc(out, func(x MetricDoc) bool { return x.ID == m.ShownAfter })
		if at < 0 {
			at = i - 1 // the other is not shown: the metric keeps its place
		}
		out = slices.Insert(out, at+1, m)
	}
	return out
}

type builder struct {
	opt       Options
	countries map[string]country
	rows      []Row
	docs      []MetricDoc
	trends    []reports.TrendCell // IMET in fmtr_trends, by year and country

	order    map[string]int
	doc      map[string]MetricDoc
	tracking map[[4]string]*Row // TRACK_24M by cohort, region, country, category
}

func (b *builder) index() {
	b.order, b.doc = map[string]int{}, map[string]MetricDoc{}
	for i, d := range b.docs {
		if _, dup := b.order[d.ID]; !dup {
			b.order[d.ID], b.doc[d.ID] = i, d
		}
	}
	b.tracking = map[[4]string]*Row{}
	for i := range b.rows {
		r := &b.rows[i]
		if r.Metric == "TRACK_24M" && r.Program == All && r.ECLBand == All {
			b.tracking[[4]string{r.Cohort, r.Region, r.Country, r.Category}] = r
		}
	}
}

func rank(v string, order ...string) int {
	if i := slices.Index(order, v); i >= 0 {
		return i
	}
	return len(order)
}

// compareDisplay orders rows by metric (display order), cohort, ECL band
// and period.
func (b *builder) compareDisplay(x, y *Row) int {
	return cmp.Or(
		cmp.Compare(b.order[x.Metric], b.order[y.Metric]),
		cmp.Compare(rank(x.Cohort, All, "PARTICIPANT", "COMPARISON"), rank(y.Cohort, All, "PARTICIPANT", "COMPARISON")),
		cmp.Compare(x.Cohort, y.Cohort),
		cmp.Compare(rank(x.ECLBand, All, "<70", "70-79", ">=80", "missing"), rank(y.ECLBand, All, "<70", "70-79", ">=80", "missing")),
		cmp.Compare(x.ECLBand, y.ECLBand),
		cmp.Compare(x.Period, y.Period),
	)
}

// geoSort orders places: region (unknown regions last), then country.
func geoSort(r *Row) string {
	region := r.Region
	if r.Country != All {
		region = r.CountryRegion
	}
	if region == "" {
		region = "~"
	}
	if region == All {
		region = ""
	}
	country := r.Country
	if country == All {
		country = ""
	}
	return region + "\x00" + country + "\x00" + r.Category
}
