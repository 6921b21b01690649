package schedule

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Each run logs one line when it starts and one when it ends, with the
// job, status, seconds and message: what a journal shows of the daemon.
func TestTickLogsStartAndEnd(t *testing.T) {
	var logs bytes.Buffer
	d := &Daemon{History: History{Path: filepath.Join(t.TempDir(), "runs.jsonl")},
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	ctx := context.Background()
	d.Tick(ctx, Job{Name: "poll", Run: func(_ context.Context, rec *Record) error { rec.Message = "3 files loaded"; return nil }}, "schedule")
	d.Tick(ctx, Job{Name: "quarterly", Run: func(context.Context, *Record) error { return errors.New("disk full") }}, "catch-up")
	d.Tick(ctx, Job{Name: "idle", Due: func() bool { return false }, Run: func(context.Context, *Record) error { return nil }}, "schedule")
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`level=INFO msg="job started" job=poll trigger=schedule run=\S+$`),
		regexp.MustCompile(`level=INFO msg="job finished" job=poll run=\S+ status=ok seconds=[0-9.]+ message="3 files loaded"$`),
		regexp.MustCompile(`level=INFO msg="job started" job=quarterly trigger=catch-up run=\S+$`),
		regexp.MustCompile(`level=ERROR msg="job finished" job=quarterly run=\S+ status=failed seconds=[0-9.]+ message="disk full"$`),
	}
	if len(lines) != len(want) {
		t.Fatalf("%d log lines, want %d (none for a poll with nothing to do):\n%s", len(lines), len(want), logs.String())
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("line %d:\n%s\nwant %s", i+1, lines[i], re)
		}
	}
}
