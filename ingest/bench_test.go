package ingest

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/imet-project/imet/schemas"
)

// benchRows is the enrollments the benchmark loads; -short makes it small.
func benchRows() int {
	if testing.Short() {
		return 50_000
	}
	return 1_000_000
}

// writeBenchFiles writes students, courses and enrollments in the
// contract's layout: realistic values, every column filled in most rows.
func writeBenchFiles(tb testing.TB, dir string, n int) (students, courses, enrollments string) {
	r := rand.New(rand.NewPCG(1, 2))
	write := func(name string, fill func(w *bufio.Writer)) string { return streamFile(tb, dir, name, fill) }
	nStudents := n / 2
	countries := []string{"KEN", "COL", "EGY", "JOR", "PHL", "UKR", "IND", "MEX", "GHA", "POL"}
	courses = write("courses.csv", func(w *bufio.Writer) {
		w.WriteString("course_code,course_title,category,school,functional_area,duration_weeks,human_rights_content\n")
		for i := 0; i < 300; i++ {
			fmt.Fprintf(w, "C%05d,Course %d,PME,School %d,LEADERSHIP,%d,false\n", i, i, i%20, 2+i%40)
		}
	})
	students = write("students.csv", func(w *bufio.Writer) {
		w.WriteString("student_id,country_code,family_name,given_names,birth_year,sex,service,cohort,index_date,rank_code_at_index\n")
		for i := 0; i < nStudents; i++ {
			fmt.Fprintf(w, "S%07d,%s,Family%d,Given%d,%d,M,ARMY,,,\n", i, countries[i%len(countries)], i, i, 1960+i%40)
		}
	})
	statuses := []string{"COMPLETED", "COMPLETED", "COMPLETED", "WITHDRAWN", "IN_PROGRESS"}
	enrollments = write("enrollments.csv", func(w *bufio.Writer) {
		w.WriteString(enrollHeader)
		var b []byte
		for i := 0; i < n; i++ {
			start := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(7000))
			end := start.AddDate(0, 0, 7+r.IntN(300))
			b = b[:0]
			b = append(b, 'E')
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, ",S"...)
			b = append(b, fmt.Sprintf("%07d", r.IntN(nStudents))...)
			b = append(b, ",C"...)
			b = append(b, fmt.Sprintf("%05d", r.IntN(300))...)
			b = append(b, ",IMET,,"...)
			b = start.AppendFormat(b, "2006-01-02")
			b = append(b, ',')
			b = end.AppendFormat(b, "2006-01-02")
			b = append(b, ',')
			b = append(b, statuses[r.IntN(len(statuses))]...)
			b = append(b, ",Major,OF-3,"...)
			b = strconv.AppendInt(b, int64(50+r.IntN(51)), 10)
			b = append(b, ',')
			b = strconv.AppendFloat(b, float64(r.IntN(9000000))/100, 'f', 2, 64)
			b = append(b, ",,APPROVED,"...)
			b = start.AddDate(0, 0, -30).AppendFormat(b, "2006-01-02")
			b = append(b, '\n')
			w.Write(b)
		}
	})
	return
}

// streamFile writes dir/name through fill and returns its path.
func streamFile(tb testing.TB, dir, name string, fill func(w *bufio.Writer)) string {
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return p
}

// BenchmarkIngest loads a million generated enrollments with full
// validation, history and provenance into a file warehouse, and measures in
// the same run DuckDB's own read_csv of the same file into a bare table of
// a file database: the physical limit of this stack. The ratio is the
// figure that matters (target ≥ 0.5).
func BenchmarkIngest(b *testing.B) {
	b.StopTimer() // the figures below are timed by hand, step by step
	dir := b.TempDir()
	n := benchRows()
	students, courses, enrollments := writeBenchFiles(b, dir, n)
	ctx := context.Background()
	var ingestSec, baseSec float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := schemas.Open(ctx, filepath.Join(dir, fmt.Sprintf("w%d.duckdb", i)))
		if err != nil {
			b.Fatal(err)
		}
		l := &Loader{DB: db, Logger: benchLogger()}
		for _, f := range []struct{ p, ds string }{{courses, "courses"}, {students, "students"}} {
			if res, err := l.LoadFile(ctx, f.p, f.ds); err != nil || res.Status != StatusLoaded {
				b.Fatalf("%s: %v %+v", f.ds, err, res)
			}
		}
		b.StartTimer()
		t0 := time.Now()
		res, err := l.LoadFile(ctx, enrollments, "enrollments")
		ingestSec += time.Since(t0).Seconds()
		b.StopTimer()
		if err != nil || res.Loaded != int64(n) {
			b.Fatalf("enrollments: %v %+v", err, res)
		}
		db.Close()

		bare, err := sql.Open("duckdb", filepath.Join(dir, fmt.Sprintf("bare%d.duckdb", i)))
		if err != nil {
			b.Fatal(err)
		}
		t0 = time.Now()
		if _, err := bare.Exec(fmt.Sprintf("CREATE TABLE bare AS SELECT * FROM read_csv('%s')", enrollments)); err != nil {
			b.Fatal(err)
		}
		baseSec += time.Since(t0).Seconds()
		bare.Close()
	}
	rows := float64(n) * float64(b.N)
	b.ReportMetric(rows/ingestSec, "rows/s")
	b.ReportMetric(rows/baseSec, "read_csv_rows/s")
	b.ReportMetric(baseSec/ingestSec, "ratio_to_read_csv")
}

func benchLogger() *slog.Logger {
	if os.Getenv("IMET_BENCH_STEPS") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
