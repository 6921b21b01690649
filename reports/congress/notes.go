package congress

import (
	"fmt"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
)

const (
	// Associational is printed beside every participant-vs-comparison row.
	Associational = "Association, not effect: comparison peers are supplied by partner nations and are not a randomised control group."
	distinctNote  = "Distinct counts (individual students) are computed at each level shown, never added up across groups."
)

// DisclosureRule is the suppression rule in words, as the methodology and
// the data notes print it.
func DisclosureRule(k int) string {
	return fmt.Sprintf("Minimum cell size k = %d. A row whose population n (or denominator, when n is empty) is below %d "+
		"keeps its keys but shows no n, events, numerator, denominator, value, confidence limits or p-value, and is marked suppressed. "+
		"So does a row whose event count or counted numerator is 1 to %d, or leaves 1 to %d people of n (events) or of the denominator (a share): "+
		"a small count of people who had the event, or who did not, can identify them as surely as a small cell (a zero is shown). "+
		"Complementary suppression: where the tables show a total and parts that add up to it (regions, countries within their region, "+
		"all countries, course categories and programs to their total; ECL bands to course completion; participants and comparison "+
		"peers to the participant-vs-comparison row) and exactly one part of a group is suppressed, the next smallest part (by n) is "+
		"suppressed too; a group with a single part suppresses its total instead; repeated until no group has exactly one suppressed part.", k, k, k-1, k-1)
}

func (b *builder) dataNotes() Table {
	t := Table{Sheet: SheetNotes, File: "data-notes", Columns: []Column{{"item", "Item", Text}, {"note", "Note", Text}}}
	add := func(item, note string) { t.Rows = append(t.Rows, []any{item, note}) }
	o := b.opt
	fyEnd := schemas.FiscalYearEnd(o.FY)
	add("Fiscal year", fmt.Sprintf("FY%d: 1 October %d to 30 September %d. Flow metrics (enrollments, costs, vetting, FMTR columns) have period FY%d.", o.FY, o.FY-1, o.FY, o.FY))
	add("Period end (D)", o.AsOf.Format(time.DateOnly)+": events dated after D are ignored; metrics measured as of D have period ALL.")
	if o.AsOf.Before(fyEnd) {
		add("Incomplete year", fmt.Sprintf("D is before the end of FY%d: its flow metrics cover the year up to D only.", o.FY))
	}
	add("Data vintage", fmt.Sprintf("%d: the last loaded batch whose data the metrics use; a rerun with this D and vintage reproduces every number.", o.Vintage))
	add("Minimum cell size (k)", fmt.Sprint(o.MinCell))
	add("Disclosure control", DisclosureRule(o.MinCell))
	var below, small, comp int
	for i := range b.rows {
		switch b.rows[i].Reason {
		case BelowK:
			below++
		case SmallCount:
			small++
		case Complement:
			comp++
		}
	}
	add("Suppressed rows", fmt.Sprintf("%d below the minimum cell size, %d with a small event count or numerator (or complement), %d complementary, of %d rows.", below, small, comp, len(b.rows)))
	add("Suppressed cells", "Empty with a grey fill in the workbook, empty in the CSV files, null in the Parquet files; "+
		"the row's suppressed column is TRUE and its note says why. A zero count below k is suppressed like any other small cell.")
	add("Comparison peers", Associational+" Every participant-vs-comparison row (cohort COMPARISON, LEAD_RANK_HR) says so in its caveat column.")
	add("Distinct counts", distinctNote)
	add("FMTR by year", b.fmtrYearsNote())
	add("Tracking coverage", "Outcome rates are shown beside their tracking coverage (TRACK_24M of the same group and cohort): a low coverage means the rate rests on few people.")
	add("Prominent alumni", "ALUMNI_PROMINENT, the traditional count with no denominator, is shown beside LEAD_POS.")
	add("Keys", "ALL in a key column means the row is not broken down by it. Countries are placed in their region from the countries table; people without a value for a breakdown count in the whole population only.")
	var zero int
	for i := range b.rows {
		if r := &b.rows[i]; r.Program == All && zeroWidth(r, b.doc[r.Metric]) {
			zero++
		}
	}
	add("Zero-width intervals", fmt.Sprintf("Rows shown with a share from a group in which nothing happened: %d. Their 95%% limits "+
		"have zero width and would read as certainty, so their confidence-limit cells are left empty (in every format) and their note "+
		"gives the share in words and the one-sided bound, e.g. \"none of 120; one-sided 95%% upper bound 2.5%% were all 120 followed to the horizon (wider if fewer were)\": none of 120 people "+
		"had reached the metric's state by its horizon. The Events column counts events over the whole follow-up, so it can show events that came after the horizon. %s", zero, reports.BoundMethod))
	add("Rounding", "The workbook stores values unrounded and rounds them for display only, by number format. "+
		"The CSV files hold the values as the workbook displays them: shares as percentages with one decimal (25.3%), "+
		"dollars, days and counts as whole numbers, other numbers with three decimals, without currency signs or thousands separators. "+
		"The Parquet files keep full precision (typed doubles): use them to compute further.")
	add("Text", "Text beginning with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe so that no spreadsheet evaluates it.")
	add("Personal data", "None: the summary is built from aggregate metric values only, with no names, birth years, student ids or human-rights flag detail.")
	for _, n := range o.Notes {
		add("Note", n)
	}
	return t
}

// fmtrYearsNote says what the FMTR by year sheet holds and how to read it.
func (b *builder) fmtrYearsNote() string {
	years := reports.TrendYears(b.trends)
	if len(years) == 0 {
		return "No Foreign Military Training Report year is loaded, so the sheet is empty: copy the report's files into inbox/fmtr_activities/ and run 'imet ingest' (docs/fmtr.md)."
	}
	return fmt.Sprintf("IMET in the Foreign Military Training Report, per country and report year loaded (%s; %.1f%% of the dollars in groups that reproduce the report's printed totals). "+
		"Training sessions count a person once per activity, not people. These are the report's own published figures, so disclosure control does not apply to them; the sheet holds no person-level data. %s",
		reports.YearList(years), 100*reports.ReconciledShare(b.trends), reports.FMTRCredit)
}
