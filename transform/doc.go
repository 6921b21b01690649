// Package transform turns the warehouse into metric_values: ordered SQL
// models (sql/NNN_*.sql: enrollment facts, the career timeline, rank
// observations, graduates and comparison members with index date and
// follow-up, one row per person and outcome, data-quality figures), the
// metric registry (registry.go: one definition per metric, which drives the
// computation, `imet metrics list` and every report's methodology), and the
// engine that groups each metric's unit rows (sql/units/*.sql) by its
// disaggregations and applies the estimators of package estimate.
//
// It reads the canonical tables as they stood at a vintage (a batch id) and
// never writes them: it writes only its own model tables, metric_values and
// transform_runs, in one transaction per run. The model tables a run leaves
// behind are always those of the headline transform (the view
// headline_transform: the latest D transformed, its newest vintage), so
// that whoever reads them sees the models of the headline numbers. It
// imports schemas only.
package transform
