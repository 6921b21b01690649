// Package schedule will run imet's jobs on their cron schedules (the daemon,
// the run history, catch-up); for now it holds the workspace lock that keeps
// the warehouse to one writing process at a time, or to readers that share
// it, so readers and writers take turns. It knows nothing of
// ingest, transform or reports.
package schedule
