package fmtr

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/imet-project/imet/schemas"
)

// Column names of Security Force Monitor's final dataset, in the three
// header generations it was published with (2019 snake_case, 2022 and 2024
// training:… names), most specific first. For dates the clean ISO column
// comes before the column as printed.
var sfmCols = map[string][]string{
	"id":          {"training:id:admin"},
	"country":     {"training:country", "country"},
	"iso":         {"qa:training_country_iso_3166_1", "training:country_iso_3166_1", "iso_3166_1"},
	"program":     {"training:program", "program"},
	"title":       {"training:course_title", "course_title"},
	"usUnit":      {"training:delivery_unit", "training:us_unit", "us_unit"},
	"studentUnit": {"training:recipient_unit", "training:student_unit", "student_unit"},
	"start":       {"qa:training_start_date_clean", "start_date_fixed", "training:start_date", "training:start_date_raw", "qa:training_start_date", "start_date"},
	"end":         {"qa:training_end_date_clean", "end_date_fixed", "training:end_date", "training:end_date_raw", "qa:training_end_date", "end_date"},
	"location":    {"training:location", "location"},
	"qty":         {"training:quantity", "quantity"},
	"cost":        {"training:total_cost", "total_cost"},
	"url":         {"qa:training_source_url", "source_url"},
	"source":      {"training:source_at_publication_level:admin", "training:source", "source_uuid", "source"},
}

var sfmRequired = [][]string{sfmCols["country"], sfmCols["program"], sfmCols["title"], sfmCols["start"], sfmCols["end"], sfmCols["qty"], sfmCols["cost"]}

// Columns only the final dataset has.
var sfmMarkers = []string{"training:id:admin", "training:country", "qa:training_country_iso_3166_1", "training:country_iso_3166_1", "iso_3166_1", "start_date_fixed", "source_uuid"}

func isSFMFinal(cols map[string]int) bool { return colIndex(cols, sfmMarkers...) >= 0 }

// documentNumber: 155997 of https://2009-2017.state.gov/documents/organization/155997.pdf.
var documentNumber = regexp.MustCompile(`/(\d+)\.(?:pdf|htm|html)$`)

// parseSFM reads rows of the final dataset. Security Force Monitor has
// already cleaned them, so no scrape repairs apply: an empty value stays
// empty (nil), a value that does not parse quarantines the row.
func parseSFM(lines []line, cols map[string]int, width int) []Row {
	idx := map[string][]int{}
	for k, names := range sfmCols {
		for _, n := range names {
			if i, ok := cols[n]; ok {
				idx[k] = append(idx[k], i)
			}
		}
	}
	rows := make([]Row, 0, len(lines))
	for _, l := range lines {
		get := func(k string) string {
			for _, i := range idx[k] {
				if v := field(l.fields, i); v != "" {
					return v
				}
			}
			return ""
		}
		row := Row{Line: l.first, LastLine: l.last, Raw: l.fields}
		if len(l.fields) != width {
			bad(&row, "field_count", "", fmt.Sprintf("the record has %d fields, the header %d: correct the record", len(l.fields), width))
			rows = append(rows, row)
			continue
		}
		row.ID = get("id")
		row.Source = get("source")
		if m := documentNumber.FindStringSubmatch(get("url")); m != nil {
			row.Source = m[1]
		}
		row.CourseTitle, row.USUnit, row.StudentUnit, row.Location = get("title"), get("usUnit"), get("studentUnit"), get("location")
		if !setCountry(&row, get("country")) || !setProgram(&row, get("program"), 0) {
			rows = append(rows, row)
			continue
		}
		if iso := strings.ToUpper(get("iso")); iso != "" && iso != row.CountryCode {
			if c, _ := schemas.ResolveCountry(iso); c != row.CountryCode {
				row.Warnings = append(row.Warnings, fmt.Sprintf("iso_differs: the dataset gives %s, the country name %q resolves to %s; the name is used", iso, row.CountryName, row.CountryCode))
			}
		}
		qty, cst := get("qty"), get("cost")
		if fy, total := totalFY(row.CourseTitle); total {
			setTotal(&row, fy, qty, cst)
			rows = append(rows, row)
			continue
		}
		row.Kind = KindActivity
		if col, reason := setDates(&row, get("start"), get("end")); col != "" {
			bad(&row, "date_unparseable", col, reason)
		} else if col, reason := setValues(&row, qty, cst); col != "" {
			bad(&row, strings.TrimPrefix(col, "total_")+"_unparseable", col, reason)
		}
		rows = append(rows, row)
	}
	return rows
}
