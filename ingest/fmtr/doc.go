// Package fmtr parses the training activities of the U.S. Foreign Military
// Training Report ("Foreign Military Training and DoD Engagement Activities
// of Interest", Volume I, Section IV) as scraped from the published PDFs by
// Security Force Monitor (github.com/security-force-monitor/fmtrpt_data, MIT
// licence): the raw per-region scrape files and the final published
// dataset.
//
// Parse turns every record of a file into one Row: an activity, one of the
// report's printed control totals, or a bad row with a rule, a column and a
// reason. Damage done by the PDF scrape is repaired where the repair is
// unambiguous (each repair is named in Row.Repairs); everything else is
// quarantined, never dropped. Reconcile compares summed activities with the
// printed totals. The rules are documented in docs/fmtr.md.
//
// fmtr is a pure parser: it reads, it does not load.
package fmtr
