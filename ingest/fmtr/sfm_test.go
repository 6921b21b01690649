package fmtr

import (
	"os"
	"strings"
	"testing"
)

// testdata/sfm_final_sample.csv has the header of Security Force Monitor's
// final dataset (the 2024 field names of fmtrpt_data) and six real rows of
// the scrape files in that shape; the training and source ids are
// placeholders.
func TestSFMFinalSample(t *testing.T) {
	f, err := os.Open("testdata/sfm_final_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Parse(f, "sfm_final_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Format != FormatSFMFinal || len(rep.Rows) != 6 {
		t.Fatalf("format %s, %d rows", rep.Format, len(rep.Rows))
	}
	r := rep.Rows[0]
	check(t, r, want{kind: KindActivity, title: "Advanced English Language Instructor Course (AELIC)", unit: "Centros de Linguas",
		location: "DLIELC, LACKLAND AFB TX", start: "2013-01-07", end: "2013-04-26", qty: 1, cost: 27778})
	if r.ID != "00000000-0000-4000-8000-000000000001" || r.Source != "230209" || r.CountryCode != "AGO" ||
		r.Program != ProgIMET || r.SubProgram != "IMET-1" || r.FiscalYear != 2013 || r.USUnit != "DLIELC, LACKLAND AFB TX" || r.Line != 2 {
		t.Errorf("row %+v", r)
	}
	check(t, rep.Rows[2], want{kind: KindActivity, location: "", qty: 5, cost: 24905})
	if rep.Rows[2].CountryCode != "CIV" {
		t.Errorf("country %s", rep.Rows[2].CountryCode)
	}
	check(t, rep.Rows[3], want{kind: KindActivity, start: "2009-06-16", end: "2009-07-02", qty: 1, cost: 9000})
	check(t, rep.Rows[4], want{kind: KindActivity, start: "2002-09-22", qty: 3, cost: 17004})
	if rep.Rows[4].Program != ProgRegionalCenters || rep.Rows[4].Source != "21817" {
		t.Errorf("row %+v", rep.Rows[4])
	}
	// Serbia and Montenegro: the dataset's iso column says SCG, as imet does
	// (a former country under its former code), so no iso_differs warning.
	check(t, rep.Rows[5], want{kind: KindActivity, qty: 84, cost: 222611})
	if rep.Rows[5].CountryCode != "SCG" || len(rep.Rows[5].Warnings) != 0 {
		t.Errorf("row 5: country %s, warnings %v; want SCG and none", rep.Rows[5].CountryCode, rep.Rows[5].Warnings)
	}

	// The same activity from the raw scrape has the same fingerprint and source.
	raw := one(t, africa13_2)
	if raw.Fingerprint != r.Fingerprint || raw.Source != r.Source {
		t.Errorf("raw %s/%s, final %s/%s", raw.Source, raw.Fingerprint, r.Source, r.Fingerprint)
	}
}

// The 2019 (snake_case, tab-separated) and 2022 (training:…, quoted TSV)
// header generations of the final dataset.
func TestSFMFinalOlderHeaders(t *testing.T) {
	v2019 := "source_uuid\tgroup\tcountry\tiso_3166_1\tprogram\tcourse_title\tus_unit\tstudent_unit\tstart_date\tstart_date_fixed\tend_date\tend_date_fixed\tlocation\tquantity\ttotal_cost\tsource_url\trow_status\tdate_first_seen\tdate_scraped\n" +
		"x\t2013_2014_Africa_fmtrpt.tsv\tAngola\tAGO\tIMET-1 - Fiscal Year 2013 Department of State Training\tAdvanced English Language Instructor Course (AELIC)\tDLIELC, LACKLAND AFB TX\tCentros de Linguas\t1/7/2013\t2013-01-07\t4/26/2013\t2013-04-26\tDLIELC, LACKLAND AFB TX\t1\t27778\thttps://2009-2017.state.gov/documents/organization/230209.pdf\t\t2014\t2019-07-17\n"
	v2022 := `"training:id:admin"	"training:source"	"qa:training_group"	"training:country"	"training:country_iso_3166_1"	"training:program"	"training:course_title"	"training:delivery_unit"	"training:recipient_unit"	"qa:training_start_date"	"training:start_date"	"qa:training_end_date"	"training:end_date"	"training:location"	"training:quantity"	"training:total_cost"	"qa:training_source_url"	"training:status:admin"	"qa:training_date_first_seen"	"qa:training_date_scraped"` + "\n" +
		`"id1"	"s1"	"2013_2014_Africa_fmtrpt.tsv"	"Angola"	"AGO"	"IMET-1 - Fiscal Year 2013 Department of State Training"	"Advanced English Language Instructor Course (AELIC)"	"DLIELC, LACKLAND AFB TX"	"Centros de Linguas"	"1/7/2013"	"2013-01-07"	"4/26/2013"	"2013-04-26"	"DLIELC, LACKLAND AFB TX"	"1"	"27778"	"https://2009-2017.state.gov/documents/organization/230209.pdf"	""	"2014"	"2019-07-17"` + "\n"
	for name, text := range map[string]string{"2019": v2019, "2022": v2022} {
		rep, err := Parse(strings.NewReader(text), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if rep.Format != FormatSFMFinal || len(rep.Rows) != 1 {
			t.Fatalf("%s: format %s, %d rows", name, rep.Format, len(rep.Rows))
		}
		check(t, rep.Rows[0], want{kind: KindActivity, start: "2013-01-07", end: "2013-04-26", qty: 1, cost: 27778})
		if rep.Rows[0].Source != "230209" {
			t.Errorf("%s: source %q", name, rep.Rows[0].Source)
		}
	}
}

// A file that cannot be read as a whole is an error, and nothing of it loads.
func TestParseRejectsFile(t *testing.T) {
	for name, c := range map[string]struct{ text, says string }{
		"empty":       {"", "is empty"},
		"blank":       {"\n\n", "is empty"},
		"not utf-8":   {rawHeader + "\n" + strings.Replace(africa13_2, "Centros", "Centr\xe9s", 1) + "\n", "not UTF-8 (line 2"},
		"no tab":      {"just some text\nmore text\n", "not a TSV or CSV"},
		"no header":   {africa13_2 + "\n" + africa2 + "\n", "no recognisable header"},
		"short":       {"country\tcourse_title\n", "no recognisable header: columns program are missing"},
		"dup column":  {"country\tprogram\tcourse_title\tstart_date\tend_date\tquantity\ttotal_cost\tcountry\n", "names column \"country\" twice"},
		"header only": {rawHeader + "\n", ""},
	} {
		rep, err := Parse(strings.NewReader(c.text), name)
		if c.says == "" {
			if err != nil || len(rep.Rows) != 0 {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: error %v, want one saying %q", name, err, c.says)
		}
	}
	// CRLF line ends and a BOM are fine.
	rep, err := Parse(strings.NewReader("\ufeff"+rawHeader+"\r\n"+africa13_2+"\r\n"), "crlf")
	if err != nil || len(rep.Rows) != 1 || rep.Rows[0].Kind != KindActivity || rep.Rows[0].Source != "230209" {
		t.Errorf("crlf: %v %+v", err, rep)
	}
}
