// Package ingest loads input files into the warehouse: it reads CSV, CSV.gz,
// NDJSON, Parquet and XLSX into an all-text staging table, validates the
// whole file set-based in DuckDB SQL against the contract in schemas,
// quarantines each bad row with a reason a person can act on, loads the good
// rows with their provenance (replacing earlier versions and keeping them in
// history), keeps the file ledger that makes a reload a no-op, and links
// career events and flags to students.
//
// A file loads in one transaction. ingest imports schemas only; it never
// computes metrics or writes reports.
package ingest
