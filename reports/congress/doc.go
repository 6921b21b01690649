// Package congress builds the congressional summary export: one workbook
// (XLSX) and the same tables as CSV and Parquet, disclosure-controlled,
// from the warehouse table metric_values (metrics.md, "Output shape",
// "Disclosure control", "Reading rules"; product.md, "Congressional
// summary export").
//
// It owns the layout of the summary, the disclosure control of
// Congress-facing exports (Suppress) and the three writers. It reads
// metric_values, the countries table (a country's name and region), the
// published aggregates of the Foreign Military Training Report
// (fmtr_trends, fmtr_summary) and the count of open quarantine rows, and
// nothing else: never students, enrollments or flags, so the export can
// carry no names, birth years, student ids or human-rights flag detail. It writes no table. It imports schemas only in tests, and never
// transform: the caller passes the metric registry as []MetricDoc.
//
// # Flow
//
// Build reads the rows of one transform (Options.AsOf and Options.Vintage),
// keeps those some sheet shows, applies Suppress once, and returns the
// tables. A fiscal year none of whose flow metrics counted anyone is an
// error naming the years that have data (the CLI checks the enrollments'
// years before it transforms: reports.FiscalYears). WriteXLSX, WriteCSV
// and WriteParquet only format those cells, so every format carries the
// very same cells. Each file is written to a
// temporary file in its folder, synced and renamed: whole or not at all.
//
// # Files
//
// build.go holds Options and Build (the order of the steps); read.go the
// warehouse queries (every statement an embedded file of sql/); order.go
// the display order and grouping of rows; sheets.go one function per sheet;
// notes.go the caveats and methodology text; export.go what
// `imet export congress` and `imet export fmtr` write (Export,
// FMTRExport), so the CLI only parses flags, calls one function and prints.
//
// # Sheets (workbook order; CSV/Parquet base name in brackets)
//
//   - Summary [summary]: for every metric, in the registry's order (except
//     that ALUMNI_PROMINENT moves beside LEAD_POS), the whole-population
//     rows: period ALL (metrics as of D) and FY<fy> (flow metrics), one row
//     per cohort (and per ECL band for COMPLETION_BY_ECL).
//   - By region [by-region], By country [by-country], By course category
//     [by-course-category]: the same metrics with that one key broken down;
//     By country adds the country's region and name from countries.
//     Columns of these four: metric_id, title, cohort, ecl_band, period,
//     the keys, unit, n, events, numerator, denominator, value, ci_low,
//     ci_high, p_value, tracking_24m (TRACK_24M of the same group and
//     cohort, for the outcome metrics whose caveats say to read them beside
//     it), note, caveat (the associational wording on every COMPARISON and
//     LEAD_RANK_HR row), suppressed.
//   - Leadership penetration [leadership-penetration]: for each metric
//     computed from another's rows (MetricDoc.From: LEAD_PENETRATION_SHRUNK
//     from LEAD_PENETRATION), the whole population and then each country
//     (placed in its region), as of D: metric (the raw one), region,
//     country code and name, senior posts in office on D (n), held by
//     graduates, the raw share and its limits, the shrunken share and its
//     limits, note, suppressed. Both rows have passed Suppress; when
//     either is suppressed the whole row is withheld (the shrunken share
//     and n give the count back); when any country's row is withheld, every
//     row's shrunken share is too (PoolWithheld: each pools all countries,
//     and with the pooled share and tau² they could give the withheld
//     counts back).
//   - FMTR columns [fmtr-columns]: FMTR_SESSIONS, FMTR_STUDENTS,
//     FMTR_COURSES and FMTR_DOLLARS of FY<fy> side by side, one row for
//     the total, each program, each region and each country (placed in its
//     region); note; suppressed (any of the four).
//   - FMTR by year [fmtr-by-year]: IMET in the Foreign Military Training
//     Report (reports.IMETTrends over fmtr_trends), one row per country and
//     report year loaded up to the vintage: region, country, fiscal year,
//     training sessions, dollar value, share of dollars reconciled with the
//     printed totals, reconciliation. The report's published figures, so
//     Suppress does not touch them; a data note says so.
//   - Methodology [methodology]: one row per metric (id, title, definition,
//     population, event, estimator, caveats) and the disclosure rule.
//   - Data notes [data-notes]: fiscal year, D, vintage, k, the suppression
//     rules in words and how many rows they hid, how suppressed cells look,
//     the associational caveat, distinct counts, tracking coverage,
//     zero-width intervals, rounding, text neutralisation, personal data,
//     then Options.Notes.
//
// # Disclosure control
//
// Suppress is pure and works on []Row. Primary: a row whose n (or
// denominator, when n is empty) is below k, or that has neither, is
// suppressed; so is a row of n at least k whose event count or counted
// numerator is 1 to k−1, or leaves 1 to k−1 of n (events are people among
// n, except in a rate) or of the denominator (a share of a count): a
// small count of those who had the event, or of those who did not, singles
// them out as a small cell does (Comoros: n 5, events 1). Zero is shown, as
// the usual rules for published counts do. Which numbers count people
// comes from the registry's units (Row.Counts), never from metric ids.
// Complementary: a group is a total shown in the tables and
// the rows that add up to it: regions to the whole population; countries
// to their region (from countries) and to the whole population; course
// categories and programs to their total; the ECL bands of
// COMPLETION_BY_ECL to COMPLETION; the PARTICIPANT and COMPARISON rows of
// LEAD_RANK_5Y/10Y to LEAD_RANK_HR (same people). Each group carries the
// other keys (metric, period, cohort, ECL band, program), so groups span
// sheets: a region row of By region is the total of its countries in By
// country and a part of the Summary row. When exactly one part of a group
// is suppressed, the smallest other part (by size, then keys) is
// suppressed too; a group with a single part suppresses its total. This
// repeats until no group changes (a complement can leave a single
// suppressed part in another group). The order of groups and the ties are
// fixed by keys, so the result depends on the rows, not their order.
//
// A suppressed row keeps its keys and shows no n, events, numerator,
// denominator, value, limits, p-value or tracking coverage: n and the
// denominator are withheld too, because for counts (VET_DENIED_ATTENDED,
// ALUMNI_PROMINENT, FMTR_*) and ratios they are the small number itself.
// Its note says "suppressed: below the minimum cell size of k" or
// "suppressed: complementary, …" (the warehouse note is dropped: it can
// carry numbers). A zero count is below k and suppressed like any other.
//
// Suppressed cells are the Withheld cell: empty with a grey fill
// (SuppressedFill) in the workbook, empty in CSV, null in Parquet; in every
// format the row's suppressed column is TRUE/true.
//
// # Zero-width intervals
//
// A share from a group in which nothing happened (reports.ZeroWidth) has
// limits of zero width. metric_values keeps them; the long tables leave
// both limit cells empty (every format) and put reports.ZeroWidthText in
// the note, counting the events up to the horizon (the events column also
// counts later ones); the Data notes give the count of such rows and
// reports.BoundMethod. A suppressed row never gets that note.
//
// # Formats
//
// Workbook: bold frozen header row (column Header) with an autofilter over
// the table, widths fitted to the content up to 80 characters (longer text
// wraps, and its row is as tall as its lines), numbers stored as numbers, unrounded, with number formats:
// #,##0 integers and days, 0.0% shares, $#,##0 dollars, 0.000 other
// numbers, 0 years (the value, limits, numerator and denominator of a long
// table take their format from the metric: Quantity). Each sheet's
// dimension is its used range; it prints landscape on US Letter, one page
// wide, the header row repeated (print titles), title, sheet and page
// numbers in the margins. Document properties (Properties): creator imet,
// created and modified at the export time the caller passes (the CLI: the
// time the export ran; the values stay reproducible, the time does not),
// title and subject (SummaryProperties). CSV: header of column Names,
// numbers as the workbook displays them (Display, one rule per Kind that
// also makes the number formats: 25.3%, whole dollars, 1.568; no currency
// signs or thousands separators), booleans true/false. Parquet: one row
// group, zstd; Text as string, Integer and Year as int64, the numeric
// kinds as double at full precision, Bool as boolean. CSV and Parquet
// files are byte-identical for the same input.
//
// The FMTR columns' headers (FMTRSessions, …) are defined once here, for
// the FMTR columns sheet and for `imet export fmtr`.
//
// Text that begins with =, +, -, @, a tab or a carriage return is prefixed
// with an apostrophe (schemas.NeutraliseFormula) in every format: Build neutralises every
// text cell and each writer again (it is idempotent). Numbers are not text
// and are never touched.
package congress
