package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/imet-project/imet/ingest"
	"github.com/imet-project/imet/synth"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "demo", "[--workspace DIR] [--students N] [--seed S]",
		"Show imet end to end on a fresh machine: generate a realistic synthetic program (about 130\n"+
			"countries, 19 fiscal years, comparison peers, messy rows), load it into a workspace's\n"+
			"warehouse, and summarise what arrived, what was quarantined and how records were linked.\n"+
			"Without --workspace the demo works in a new temporary folder and says where.")
	wsFlag := fs.String("workspace", "", "workspace folder to create or reuse (default: a new temporary folder)")
	students := fs.Int("students", 5000, "people to generate")
	seed := fs.Int64("seed", 1, "random seed")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	root := *wsFlag
	if root == "" {
		dir, err := os.MkdirTemp("", "imet-demo-")
		if err != nil {
			return err
		}
		root = dir
	}
	ws := layout(root)
	if err := ws.readConfig(); err != nil {
		return err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	lock, err := ws.lock(ctx, "demo")
	if err != nil {
		return err
	}
	defer lock.Release()
	if err := ws.create(ctx); err != nil {
		return err
	}
	start := time.Now()
	fmt.Fprintf(e.stdout, "imet demo: workspace %s\n\n1. Generating %d people (seed %d) into the inbox…\n", root, *students, *seed)
	gen, err := synth.Generate(ctx, ws.Inbox, synth.Options{Students: *students, Seed: *seed, BadRows: true})
	if err != nil {
		return err
	}
	printGenerated(e, ws.Inbox, gen, time.Since(start))
	// The truth is for tests; keep it out of the inbox's way but at hand.
	if err := os.Rename(filepath.Join(ws.Inbox, "_truth"), filepath.Join(root, "generated-truth")); err != nil && !os.IsNotExist(err) {
		os.RemoveAll(filepath.Join(root, "generated-truth"))
		if err := os.Rename(filepath.Join(ws.Inbox, "_truth"), filepath.Join(root, "generated-truth")); err != nil {
			return err
		}
	}

	fmt.Fprintf(e.stdout, "\n2. Loading the inbox into %s…\n", ws.Warehouse)
	db, err := ws.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	items, err := ingest.Discover(ws.Inbox)
	if err != nil {
		return err
	}
	results, err := loadWithProgress(ctx, e, ws, ws.loader(db, e), items)
	printSummary(e.stdout, results)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return err
	}
	link, err := ingest.LinkStatus(ctx, db)
	if err != nil {
		return err
	}
	printLinks(e.stdout, link)

	fmt.Fprintf(e.stdout, "\n3. What the warehouse holds now:\n")
	if err := demoSummary(ctx, db, e); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nDone in %.1fs. Try:\n", time.Since(start).Seconds())
	for _, q := range demoQueries {
		fmt.Fprintf(e.stdout, "  imet sql --workspace %s %q\n", root, q)
	}
	fmt.Fprintf(e.stdout, "  imet quarantine --workspace %s --summary\n", root)
	fmt.Fprintf(e.stdout, "(From a checkout without a built binary, write 'go run ./cmd/imet' for 'imet'; 'go build -o imet ./cmd/imet' makes one.)\n")
	return nil
}

var demoQueries = []string{
	"SELECT c.region, count(DISTINCT s.student_id) AS students, count(*) AS enrollments FROM enrollments e JOIN students s USING (student_id) JOIN countries c ON c.country_code = s.country_code GROUP BY ALL ORDER BY students DESC",
	"SELECT rule, dataset, count(*) AS problems, any_value(reason) AS example FROM quarantine GROUP BY ALL ORDER BY problems DESC",
	"SELECT link_method, count(*) AS events, round(avg(link_score), 3) AS mean_score FROM career_events GROUP BY ALL ORDER BY events DESC",
}

func demoSummary(ctx context.Context, db *sql.DB, e *env) error {
	rows, err := db.QueryContext(ctx, `
		SELECT 'students' AS "table", count(*) AS "rows", count(*) FILTER (WHERE cohort = 'COMPARISON') AS "of which comparison peers" FROM students
		UNION ALL SELECT 'enrollments', count(*), NULL FROM enrollments
		UNION ALL SELECT 'courses', count(*), NULL FROM courses
		UNION ALL SELECT 'career_events', count(*), NULL FROM career_events
		UNION ALL SELECT 'hr_flags', count(*), NULL FROM hr_flags
		UNION ALL SELECT 'allocations', count(*), NULL FROM allocations
		UNION ALL SELECT 'quarantine', count(*), NULL FROM quarantine
		UNION ALL SELECT 'link_review', count(*), NULL FROM link_review`)
	if err != nil {
		return err
	}
	t, err := readTable(rows)
	if err != nil {
		return err
	}
	if err := t.write(e.stdout, "table"); err != nil {
		return err
	}
	rows, err = db.QueryContext(ctx, `
		SELECT c.region, count(DISTINCT s.country_code) AS countries, count(DISTINCT s.student_id) AS graduates,
		       min(e.fiscal_year) AS first_fy, max(e.fiscal_year) AS last_fy
		FROM enrollments e JOIN students s USING (student_id) JOIN countries c ON c.country_code = s.country_code
		WHERE e.status = 'COMPLETED' AND e.program = 'IMET'
		GROUP BY ALL ORDER BY graduates DESC`)
	if err != nil {
		return err
	}
	if t, err = readTable(rows); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\nIMET graduates by State Department region:")
	return t.write(e.stdout, "table")
}
