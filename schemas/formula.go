package schemas

import "fmt"

// The spreadsheet-formula rule, the one home of it. A value a spreadsheet
// program would run as a formula (=HYPERLINK(…), =cmd|' /C calc'!A0,
// @SUM(…), a leading tab or carriage return that hides one) is refused
// where a value enters (Formula, and its SQL twin FormulaSQL, held equal by
// TestFormulaRule; rule `formula`), and neutralised where text leaves
// (NeutraliseFormula: every CSV the CLI writes, the congressional
// products). The lake and the warehouse keep values as they are.

// Formula says whether a text value entering the warehouse would run as a
// spreadsheet formula: it begins with =, +, @, a tab or a carriage return.
// A leading - is not refused here: the reports print real rows that begin
// with one (the FY2005 and FY2006 reports' "- 3 …" course titles and
// "-National Academy …" units), so it is neutralised where text leaves
// instead, as every dangerous character is.
func Formula(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r':
		return true
	}
	return false
}

// FormulaSQL is Formula in SQL over the VARCHAR expression v: true, false or
// NULL (for NULL).
func FormulaSQL(v string) string {
	return fmt.Sprintf("left(%s, 1) IN ('=', '+', '@', chr(9), chr(13))", v)
}

// FormulaLead names a formula's dangerous first character for a reason a
// person reads: "a tab", "a carriage return", or the character itself.
func FormulaLead(s string) string {
	if s == "" {
		return ""
	}
	switch s[0] {
	case '\t':
		return "a tab"
	case '\r':
		return "a carriage return"
	}
	return s[:1]
}

// FormulaLeadSQL is FormulaLead in SQL.
func FormulaLeadSQL(v string) string {
	return fmt.Sprintf(`CASE left(%[1]s, 1) WHEN chr(9) THEN 'a tab' WHEN chr(13) THEN 'a carriage return' ELSE left(%[1]s, 1) END`, v)
}

// NeutraliseFormula makes a text value safe to open in a spreadsheet (the
// OWASP CSV-injection rule): one that begins with =, +, -, @, a tab or a
// carriage return gets a leading single quote, which spreadsheet programs
// read as "this is text". Any leading -, not only one the input rule
// refuses, since -2+3+cmd|' /C calc'!A0 runs too; numbers are not text and
// never pass through here. A value already quoted stays as it is.
func NeutraliseFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
