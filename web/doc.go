// Package web is `imet serve`: the published snapshot in a browser.
//
// It owns the HTTP handlers, the embedded templates, style sheet and
// script, and the pages (overview, explore, curves, countries, methodology,
// lineage, quality, runs, the SQL console) with their JSON and CSV. Every
// page is a Page: tables and charts built from the snapshot, rendered as
// HTML, or given whole as JSON (/api/...) or one table as CSV
// (/api/...?format=csv), so a download is exactly what the page shows.
//
// It reads only the published snapshot (opened read-only, reopened when a
// run publishes a new one) and the registry, through transform's and
// reports' public functions; it never opens the warehouse and never
// writes. What the pipeline knows beyond the snapshot (the run history,
// the schedule) reaches it through Options, filled in by the CLI.
package web
