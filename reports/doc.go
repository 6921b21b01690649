// Package reports will own the quarterly evaluator report (HTML and PDF),
// the congressional workbook and its disclosure control, and the lake
// export. It reads the warehouse and never writes canonical tables; it
// imports schemas only. Not built yet: see the reports issue.
package reports
