// Package reports owns the quarterly evaluator report (HTML and PDF), the
// exports, the published snapshot and the lake export (the congressional
// workbook and its disclosure control are in reports/congress). It reads
// the warehouse and never writes canonical tables; it imports schemas only.
//
// What the snapshot and the lake take out of the warehouse is one rule,
// Privacy: by default the public tables only, people's identifiers as
// keyed pseudonyms (schemas.Pseudonym; the key is the workspace's and is
// never written into a product), the quarantine's values by the contract's
// Discloses; with include_personal, everything as stored.
package reports
