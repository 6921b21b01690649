package reports

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imet-project/imet/schemas/schemastest"
)

// The FMTR trends section with no report year loaded says how to load
// them; with one, that there is no trend yet; with two, it draws both
// charts (value axes from 0, in dollars and sessions) and the change
// tables; and a year loaded after the vintage is not shown. Its PDF and
// HTML render.
func TestFMTRTrendsSection(t *testing.T) {
	ctx := context.Background()
	db := schemastest.Memory(t)
	section := func(vintage int64) Section {
		t.Helper()
		q := &quarterly{opt: QuarterlyOptions{Vintage: vintage}, doc: &Document{Title: "t"}}
		if err := q.fmtrTrends(ctx, db); err != nil {
			t.Fatal(err)
		}
		return q.doc.Sections[0]
	}
	text := func(s Section) string {
		var b strings.Builder
		for _, bl := range s.Blocks {
			b.WriteString(bl.Text + bl.Note + "\n")
		}
		return b.String()
	}
	if s := text(section(10)); !strings.Contains(s, "No report year is loaded") || !strings.Contains(s, "inbox/fmtr_activities/") {
		t.Errorf("no year: %s", s)
	}
	exec := func(q string) {
		t.Helper()
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO fmtr_activities (activity_key, source, country_code, program, fiscal_year, quantity, cost_usd, _batch_id) VALUES
		('a', 'S1', 'KEN', 'IMET', 2013, 3, 1000, 1), ('b', 'S1', 'PER', 'IMET', 2013, 2, 4000, 1),
		('c', 'S2', 'KEN', 'IMET', 2017, 5, 3000, 2), ('d', 'S2', 'PER', 'FMF', 2017, 9, 9000, 2)`)
	exec(`INSERT INTO fmtr_totals (total_key, source, country_code, program, fiscal_year, quantity, cost_usd, _batch_id) VALUES
		('t', 'S1', 'KEN', 'IMET', 2013, 3, 1000, 1)`)
	one := section(1)
	if s := text(one); !strings.Contains(s, "Report years loaded: FY2013 (1 of them).") || !strings.Contains(s, "Only one report year is loaded") ||
		!strings.Contains(s, "20.0% of these IMET dollars") || !strings.Contains(s, "Security Force Monitor (MIT licence)") {
		t.Errorf("one year: %s", s)
	}
	for _, b := range one.Blocks {
		if b.Chart != nil {
			t.Error("one year: a chart of one point")
		}
	}
	two := section(2)
	var charts []*Chart
	var tables []*Table
	for _, b := range two.Blocks {
		if b.Chart != nil {
			charts = append(charts, b.Chart)
		}
		if b.Table != nil {
			tables = append(tables, b.Table)
		}
	}
	if len(charts) != 2 || len(tables) != 2 {
		t.Fatalf("two years: %d charts, %d tables", len(charts), len(tables))
	}
	if c := charts[0]; !c.Lines || c.XMin != 2013 || c.XMax != 2017 || c.YUnit != "dollars" || c.YMax < 4000 || c.valueTicks(c.YMax)[0] != 0 {
		t.Errorf("dollars chart %+v", c)
	}
	if !strings.Contains(charts[1].Desc, "AF: FY2013 3, FY2017 5") {
		t.Errorf("trainees chart: %s", charts[1].Desc)
	}
	// Peru: IMET in FY2013 only (its FY2017 row is FMF)
	countries := tables[1]
	if len(countries.Rows) != 2 || countries.Rows[0][0] != "Peru (PER)" || countries.Rows[0][3] != "none" || countries.Rows[0][5] != "−100.0%" ||
		countries.Rows[1][0] != "Kenya (KEN)" || countries.Rows[1][4] != "+$2,000" || countries.Rows[1][5] != "+200.0%" || countries.Rows[1][8] != "matches / no_printed_total" {
		t.Errorf("countries %q", countries.Rows)
	}
	d := &Document{Title: "t", Sections: []Section{two}}
	var html strings.Builder
	if err := WriteHTML(d, &html); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), "<circle") || !strings.Contains(html.String(), ">$4k<") {
		t.Error("the HTML line chart has no dots or no dollar axis")
	}
	if err := WritePDF(d, filepath.Join(t.TempDir(), "t.pdf")); err != nil {
		t.Fatal(err)
	}
}

// A trend over report years that are not all loaded joins the years either
// side of a gap with a dotted line, never a solid one drawn as data.
func TestTrendGapsDotted(t *testing.T) {
	c := &Chart{Lines: true, YUnit: "dollars", XMin: 2013, XMax: 2018, YMax: 10,
		Series: []Series{{Name: "IMET", Color: "#1f5fa8", Points: []Point{{X: 2013, Y: 4}, {X: 2017, Y: 6}, {X: 2018, Y: 7}}}}}
	svg := chartSVG(c, "t")
	if n := strings.Count(svg, `stroke-dasharray="2 4"`); n != 1 {
		t.Errorf("%d dotted joins, want 1 (2013 to 2017)", n)
	}
	if n := strings.Count(svg, "<polyline"); n != 1 {
		t.Errorf("%d solid lines, want 1 (2017 to 2018)", n)
	}
	if !strings.Contains(svg, `points="`) || strings.Count(svg[strings.Index(svg, `points="`):strings.Index(svg, `" fill="none"`)], ",") != 2 {
		t.Errorf("the solid line should join exactly the two consecutive years 2017 and 2018")
	}
}
