// Package schemas owns the input contract as code (datasets, columns, types,
// allowed values, required flags, NATO rank order), the built-in reference
// data (every country with its region and combatant command), the warehouse
// DDL migrations, Open (the only place that configures DuckDB) and the data
// dictionary generated from all of that.
//
// It imports no other package of this module: ingest, transform and reports
// build on it.
package schemas
