package congress

// The Foreign Military Training Report's columns in the report's own
// words: one definition of their headers for the FMTR columns sheet of the
// congressional summary and for `imet export fmtr`, so the two products
// label the same numbers alike. Name is the column's name in this package's
// FMTR columns sheet; a product whose files have long used other names
// (the fmtr_summary view: sessions) keeps them with Named.
var (
	FMTRFiscalYear      = Column{"fiscal_year", "Fiscal year", Year}
	FMTRProgram         = Column{"program", "Program", Text}
	FMTRSubProgram      = Column{"sub_program", "Sub-program", Text}
	FMTRRegion          = Column{"region", "Region", Text}
	FMTRCountryCode     = Column{"country_code", "Country code", Text}
	FMTRCountryName     = Column{"country_name", "Country", Text}
	FMTRPeriod          = Column{"period", "Period", Text}
	FMTRSessions        = Column{"training_sessions", "Training sessions", Integer}
	FMTRStudents        = Column{"individual_students", "Individual students", Integer}
	FMTRCourses         = Column{"course_count", "Course count", Integer}
	FMTRDollars         = Column{"dollar_value", "Dollar value", Dollars}
	FMTRPrintedSessions = Column{"printed_sessions", "Printed training sessions", Integer}
	FMTRPrintedDollars  = Column{"printed_dollars", "Printed dollar value", Dollars}
	FMTRReconciliation  = Column{"reconciliation", "Reconciliation with the printed totals", Text}
	FMTRNote            = Column{"note", "Note", Text}
)

// Named is the column under another file name, with the same header and kind.
func (c Column) Named(name string) Column {
	c.Name = name
	return c
}
