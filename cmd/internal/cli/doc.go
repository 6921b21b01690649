// Package cli is the imet command line: one file per subcommand, the
// workspace layout and imet.toml, read once here and handed to the packages
// that do the work as plain values. It is the only package that knows about
// ingest, transform and reports together.
package cli
