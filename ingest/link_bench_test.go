package ingest

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/schemas"
)

// BenchmarkLink links a million career events that carry no student_id
// (50,000 with -short) to 200,000 students by name, country and birth year:
// six in ten spelled as in the students file, three in ten with a letter
// changed, dropped or an initial for the given name, one in ten of nobody
// loaded. It times the linking pass alone, and in the same run the floor:
// DuckDB's join of the same rows on the exact folded names.
//
//	go test -run '^$' -bench Link -benchtime 1x ./ingest/
func BenchmarkLink(b *testing.B) {
	events := 1_000_000
	if testing.Short() {
		events = 50_000
	}
	ctx := context.Background()
	dir := b.TempDir()
	students, careers := writeLinkFiles(b, dir, events/5, events)
	db, err := schemas.Open(ctx, filepath.Join(dir, "w.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	l := &Loader{DB: db}
	// the events first, with no students to link to, then the students
	for _, f := range []struct{ p, ds string }{{careers, "career_events"}, {students, "students"}} {
		if res, err := l.LoadFile(ctx, f.p, f.ds); err != nil || res.Status != StatusLoaded {
			b.Fatalf("%s: %v %+v", f.ds, err, res)
		}
	}
	b.ResetTimer()
	var linkSec, floorSec float64
	for range b.N {
		b.StopTimer()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE career_events SET student_id = NULL, link_method = NULL, link_score = NULL`); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE floor AS
			SELECT e.event_id, s.student_id FROM career_events e
			JOIN students s ON s.country_code = e.country_code
			 AND fold_name(s.family_name) = fold_name(e.family_name)
			 AND coalesce(fold_name(s.given_names), '') = coalesce(fold_name(e.given_names), '')`); err != nil {
			b.Fatal(err)
		}
		floorSec += time.Since(t0).Seconds()
		b.StartTimer()
		t0 = time.Now()
		last, lastStep := t0, ""
		if os.Getenv("IMET_BENCH_STEPS") != "" {
			l.Step = func(_, step string) {
				if lastStep != "" {
					fmt.Printf("  %-70s %6.2f s\n", lastStep, time.Since(last).Seconds())
				}
				last, lastStep = time.Now(), step
			}
		}
		lr, err := l.link(ctx, tx, 99, "bench")
		if lastStep != "" {
			fmt.Printf("  %-70s %6.2f s\n", lastStep+" (and the rest)", time.Since(last).Seconds())
		}
		if err != nil {
			b.Fatal(err)
		}
		linkSec += time.Since(t0).Seconds()
		b.StopTimer()
		if err := tx.Rollback(); err != nil {
			b.Fatal(err)
		}
		b.Logf("%d events: %v linked, %d ambiguous, %d unmatched", events, lr.ByMethod, lr.Ambiguous, lr.Unmatched)
	}
	n := float64(b.N)
	b.ReportMetric(linkSec/n, "s/link")
	b.ReportMetric(floorSec/n, "s/exact-join")
	b.ReportMetric(linkSec/floorSec, "ratio_to_exact_join")
	fmt.Printf("linking %d id-less career events / the exact-name join alone: %.1f s / %.1f s = %.1f\n", events, linkSec/n, floorSec/n, linkSec/floorSec)
}

// writeLinkFiles writes the students and the id-less career events of
// BenchmarkLink.
func writeLinkFiles(tb testing.TB, dir string, nStudents, nEvents int) (students, careers string) {
	r := rand.New(rand.NewPCG(3, 4))
	countries := []string{"KEN", "COL", "EGY", "JOR", "PHL", "UKR", "IND", "MEX", "GHA", "POL",
		"THA", "IDN", "PER", "SEN", "NGA", "GEO", "MNG", "VNM", "MAR", "TUN"}
	syll := []string{"ka", "ro", "mi", "sa", "te", "lo", "na", "vi", "do", "ar", "el", "un", "be", "zu", "qi", "ha", "jo", "ne", "pa", "ti"}
	word := func(parts int) string {
		var b strings.Builder
		for range parts {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		s := b.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	type person struct {
		country, family, given string
		born                   int
	}
	people := make([]person, nStudents)
	for i := range people {
		people[i] = person{countries[r.IntN(len(countries))], word(2 + r.IntN(2)), word(2), 1960 + r.IntN(40)}
	}
	write := func(name string, fill func(w *bufio.Writer)) string { return streamFile(tb, dir, name, fill) }
	students = write("students.csv", func(w *bufio.Writer) {
		w.WriteString("student_id,country_code,family_name,given_names,birth_year,sex,service,cohort,index_date,rank_code_at_index\n")
		for i, p := range people {
			fmt.Fprintf(w, "S%07d,%s,%s,%s,%d,M,ARMY,,,\n", i, p.country, p.family, p.given, p.born)
		}
	})
	careers = write("career_events.csv", func(w *bufio.Writer) {
		w.WriteString("event_id,student_id,country_code,family_name,given_names,birth_year,event_date,event_type,rank_code,position_title,position_level,functional_area,operation_name,operation_type,source,reported_date\n")
		for i := range nEvents {
			p := people[r.IntN(len(people))]
			family, given := p.family, p.given
			switch k := r.IntN(10); {
			case k < 6: // as in the students file
			case k < 7: // a letter changed
				family = family[:len(family)-1] + "e"
			case k < 8: // a letter dropped
				family = family[:len(family)-1]
			case k < 9: // an initial
				given = given[:1]
			default: // nobody loaded
				family, given = word(4), word(2)
			}
			d := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(9000))
			fmt.Fprintf(w, "V%08d,,%s,%s,%s,%d,%s,ASSIGNMENT,,,MID,LEADERSHIP,,,SCO,%s\n", i, p.country, family, given, p.born,
				d.Format(time.DateOnly), d.AddDate(0, 0, 30).Format(time.DateOnly))
		}
	})
	return students, careers
}
