package schemas

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"database/sql/driver"

	"github.com/duckdb/duckdb-go/v2"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open opens (creating if needed) the warehouse at path, or an in-memory one
// when path is empty, and brings its schema up to date. It is the only place
// that configures DuckDB.
//
// The warehouse holds personal data: its file (and its WAL, when one is
// there) is made readable by its owner only, whatever the umask DuckDB
// created it with.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	return OpenWith(ctx, path, Settings{})
}

// Settings are the DuckDB settings of the live warehouse that a workspace
// chooses (imet.toml [duckdb]).
type Settings struct {
	// MemoryLimit bounds DuckDB's buffer manager: a share of the machine's
	// memory ("50%") or a size ("4GB", "512MiB"); empty: DuckDB's default,
	// 80% of the memory. Past it, joins, sorts and aggregates spill to the
	// warehouse's temporary folder (warehouse.duckdb.tmp) instead of
	// failing.
	MemoryLimit string
	// MaxTempSize bounds what DuckDB spills into that folder: a share of
	// the disk space free in the warehouse's folder when it opens ("50%")
	// or a size ("100GB"); empty: DuckDB's default, 90% of the free space.
	// Past it, the statement fails (out of memory) instead of filling the
	// disk.
	MaxTempSize string
}

// maxTempSize is s.MaxTempSize as DuckDB takes it: a share becomes bytes
// of the disk space free in dir.
func (s Settings) maxTempSize(dir string) (string, error) {
	return size("max_temp_size", s.MaxTempSize, "of the free disk space", "100GB", func() (int64, error) {
		var st syscall.Statfs_t
		if err := syscall.Statfs(dir, &st); err != nil {
			return 0, fmt.Errorf("read the free disk space of %s: %w", dir, err)
		}
		return int64(st.Bavail) * int64(st.Bsize), nil
	})
}

// size is a setting's value as DuckDB takes it: a size as written, or a
// share ("50%") of total() in megabytes.
func size(key, value, of, example string, total func() (int64, error)) (string, error) {
	v := strings.TrimSpace(value)
	share, isShare := strings.CutSuffix(v, "%")
	if !isShare {
		return v, nil
	}
	p, err := strconv.ParseFloat(strings.TrimSpace(share), 64)
	if err != nil || p <= 0 || p > 100 {
		return "", fmt.Errorf("%s %q: give a share from 1%% to 100%% %s, or a size such as %q", key, value, of, example)
	}
	n, err := total()
	if err != nil {
		return "", fmt.Errorf("%s %q: %w; give a size such as %q instead", key, value, err, example)
	}
	return fmt.Sprintf("%dMB", max(1, int64(float64(n)*p/100)/(1000*1000))), nil
}

// refuses says whether DuckDB refuses params themselves: an empty
// in-memory database opens without them and not with them.
func refuses(params string) bool {
	with, err := open("", params)
	if err == nil {
		with.Close()
		return false
	}
	without, err := open("", "")
	if err != nil {
		return false
	}
	without.Close()
	return true
}

// memoryLimit is s.MemoryLimit as DuckDB takes it: a share becomes bytes
// of the machine's memory.
func (s Settings) memoryLimit() (string, error) {
	return size("memory_limit", s.MemoryLimit, "of the memory", "4GB", machineMemory)
}

// machineMemory is the machine's memory in bytes (Linux: MemTotal of
// /proc/meminfo).
func machineMemory() (int64, error) {
	body, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, fmt.Errorf("read the machine's memory: %w", err)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				break
			}
			return kb << 10, nil
		}
	}
	return 0, errors.New("read the machine's memory: no MemTotal in /proc/meminfo")
}

// SettingsError says DuckDB refuses one of the workspace's Settings.
type SettingsError struct {
	Key string // the setting, as imet.toml names it
	Err error
}

func (e *SettingsError) Error() string { return e.Err.Error() }
func (e *SettingsError) Unwrap() error { return e.Err }

// OpenWith is Open with the workspace's DuckDB settings. A value DuckDB
// refuses is a *SettingsError, told apart from a warehouse that cannot be
// opened: when the open fails, the settings are tried on an empty
// in-memory database.
func OpenWith(ctx context.Context, path string, s Settings) (*sql.DB, error) {
	limit, err := s.memoryLimit()
	if err != nil {
		return nil, &SettingsError{Key: "memory_limit", Err: err}
	}
	temp := ""
	if s.MaxTempSize != "" {
		dir := filepath.Dir(path)
		if path == "" {
			dir = os.TempDir()
		}
		if temp, err = s.maxTempSize(dir); err != nil {
			return nil, &SettingsError{Key: "max_temp_size", Err: err}
		}
	}
	var params []string
	if limit != "" {
		params = append(params, "memory_limit="+url.QueryEscape(limit))
	}
	if temp != "" {
		params = append(params, "max_temp_directory_size="+url.QueryEscape(temp))
	}
	db, err := open(path, strings.Join(params, "&"))
	if err != nil {
		// Was it a setting? Try an empty in-memory database with it and
		// without it (only now: a probe on every open cost as much as the
		// open).
		if limit != "" && refuses(params[0]) {
			return nil, &SettingsError{Key: "memory_limit", Err: fmt.Errorf("memory_limit %q: DuckDB refuses it; give a share of the memory such as \"50%%\" or a size such as \"4GB\"", s.MemoryLimit)}
		}
		if temp != "" && refuses(params[len(params)-1]) {
			return nil, &SettingsError{Key: "max_temp_size", Err: fmt.Errorf("max_temp_size %q: DuckDB refuses it; give a share of the free disk space such as \"50%%\" or a size such as \"100GB\"", s.MaxTempSize)}
		}
		return nil, err
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	if path != "" {
		for _, f := range []string{path, path + ".wal"} {
			if err := os.Chmod(f, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
				db.Close()
				return nil, fmt.Errorf("open warehouse %s: make it private: %w", path, err)
			}
		}
	}
	return db, nil
}

// OpenReadOnly opens an existing warehouse or snapshot for reading only, with
// no access to files outside it: what `imet sql` gives analysts. Nothing
// spills to disk (max_temp_directory_size 0: a query too big for memory
// fails instead of filling the disk beside the file), and the
// configuration is locked from the start, so no statement can change a
// setting (temp directory, memory, threads, profiling output, …). Two
// functions change the configuration despite the lock; CheckReadOnlySQL
// refuses them.
func OpenReadOnly(ctx context.Context, path string) (*sql.DB, error) {
	return openReading(ctx, path, "access_mode=READ_ONLY&enable_external_access=false&max_temp_directory_size=0B&lock_configuration=true")
}

// OpenForExport opens an existing warehouse read-only but able to write
// files: for exports, which COPY query results out.
func OpenForExport(ctx context.Context, path string) (*sql.DB, error) {
	return openReading(ctx, path, "access_mode=READ_ONLY")
}

// openReading opens an existing file read-only with the settings params,
// and reaches it at once: opening is lazy, and a missing or locked file
// must fail here, clearly.
func openReading(ctx context.Context, path, params string) (*sql.DB, error) {
	db, err := open(path, params)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	}
	return db, nil
}

// unlockedFunctions are what DuckDB 1.5.6 runs despite lock_configuration:
// logging and profiling switches (CALL enable_logging(storage_path='/x')
// makes every later statement fail and the process abort when it closes
// the database; enable_profiling prints to the process's stdout), and the
// functions that run SQL built from a string, which would hide them.
var unlockedFunctions = regexp.MustCompile(`(?i)\b(enable_logging|disable_logging|truncate_duckdb_logs|enable_profil(?:e|ing)|disable_profil(?:e|ing)|json_execute_serialized_sql)\b|\b(query|query_table)"?\s*\(`)

// CheckReadOnlySQL refuses a statement for a database opened with
// OpenReadOnly that would call a function that changes the configuration
// despite its lock (unlockedFunctions). The check is on the words of the
// statement, so it also refuses one that merely names such a function.
func CheckReadOnlySQL(query string) error {
	if m := unlockedFunctions.FindStringSubmatch(query); m != nil {
		name := m[1] + m[2]
		return fmt.Errorf("%s is not available here: the configuration of this read-only database is locked (logging, profiling and SQL run from strings are switched off)", strings.ToLower(name))
	}
	return nil
}

// ThreadsEnv names the environment variable that sets the threads of
// every DuckDB database the process opens (warehouse, snapshot, exports);
// unset, DuckDB takes one per core and imet fits them to each load,
// transform and publish (FitThreads). On a machine shared with other work,
// or where many imet processes run at once (the test suite), one per core
// each oversubscribes the cores: a small transform then costs about a
// quarter more CPU at two threads than at one, for the same numbers.
const ThreadsEnv = "IMET_DUCKDB_THREADS"

// RowGroupRows is the number of rows in a DuckDB row group, the unit a
// scan is split into for its threads.
const RowGroupRows = 122_880

// WorkThreads is how many threads DuckDB should run a piece of work with
// on a machine of cores cores: one for work over fewer rows than two row
// groups, else one per core less one for each other connection running
// such work at the same time (side, counting this one), so that the
// threads running at once stay about one per core.
//
// A statement runs as tasks of a row group each, and at more than one
// thread its calling thread asks for a task again and again while the
// others work (DuckDB issue #22178): over a row group or so of rows there
// is one task, and the extra thread only spins, taking a core from the
// connections and the Go work beside it. The demo (5,000 people, 98,000
// career events) took a median 7.9 s at one thread against 9.9 s at two
// on this 2-core machine (five runs each), with 25% less CPU; a transform of 100,000 people (2M
// events) alone 12.9 s at two against 14.3 s at one; three of them side
// by side 14.9 s at one against 16.1 s at two (docs/performance.md).
func WorkThreads(rows int64, side, cores int) int {
	if rows < 2*RowGroupRows {
		return 1
	}
	return max(1, cores-max(side, 1)+1)
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// FitThreads sets the threads of db's database (a setting of the whole
// database: every connection) for work over rows rows, or over the
// warehouse's career events when they are more, that side connections run
// at once (WorkThreads), and returns what sets them back to one per core
// for the commands that follow. The career events are the warehouse's
// largest table and what every step of the pipeline reads or links to: a
// load joins its rows to them, a transform's timeline is made of them,
// the snapshot copies them. With ThreadsEnv set, the threads stay what it
// says.
func FitThreads(ctx context.Context, db execer, rows int64, side int) (restore func(), err error) {
	if os.Getenv(ThreadsEnv) != "" {
		return func() {}, nil
	}
	var events int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(estimated_size), 0) FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'career_events'`).Scan(&events); err != nil {
		return nil, fmt.Errorf("count the career events: %w", err)
	}
	cores := runtime.NumCPU()
	set := func(n int) error {
		_, err := db.ExecContext(context.WithoutCancel(ctx), "SET threads = "+strconv.Itoa(n))
		return err
	}
	if err := set(WorkThreads(max(rows, events), side, cores)); err != nil {
		return nil, fmt.Errorf("set DuckDB's threads: %w", err)
	}
	return func() { set(cores) }, nil
}

func open(path, params string) (*sql.DB, error) {
	if v := os.Getenv(ThreadsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("open warehouse %s: %s=%q: give a whole number of threads, 1 or more, or leave it unset for one per core", describe(path), ThreadsEnv, v)
		}
		if params != "" {
			params += "&"
		}
		params += "threads=" + strconv.Itoa(n)
	}
	dsn := path
	if params != "" {
		dsn += "?" + params
	}
	conn, err := duckdb.NewConnector(dsn, func(execer driver.ExecerContext) error {
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open warehouse %s: %w", describe(path), err)
	}
	// One connector is one database: its connections, in memory too, all
	// see the same tables.
	return sql.OpenDB(conn), nil
}

func describe(path string) string {
	if path == "" {
		return "(in memory)"
	}
	return path
}

// MigrationSQL is the body of the embedded migration name.
func MigrationSQL(name string) ([]byte, error) {
	return migrations.ReadFile("migrations/" + name + ".sql")
}

// Migrations lists the embedded migration names in order.
func Migrations() []string {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(names)
	for i, n := range names {
		names[i] = strings.TrimSuffix(strings.TrimPrefix(n, "migrations/"), ".sql")
	}
	return names
}

// migrate applies each migration not yet applied, each in its own
// transaction, then checkpoints so the WAL starts short.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied := map[string]bool{}
	rows, err := db.QueryContext(ctx, "SELECT name FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: %w", err)
		}
		applied[n] = true
	}
	rows.Close()
	var pending []string
	for _, name := range Migrations() {
		if !applied[name] {
			pending = append(pending, name)
		}
	}
	if err := applyMigrations(ctx, db, pending); err != nil {
		return err
	}
	changed := len(pending) > 0
	if err := commentContract(ctx, db); err != nil {
		return err
	}
	if changed {
		if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
			return fmt.Errorf("migrate: checkpoint: %w", err)
		}
	}
	return nil
}

// applyMigrations applies the pending migrations in order, in one
// transaction: all of them or, when one fails, none (a commit per
// migration cost most of a new warehouse's creation).
func applyMigrations(ctx context.Context, db *sql.DB, names []string) error {
	if len(names) == 0 {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	for _, name := range names {
		body, err := MigrationSQL(name)
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if seedsCountries[name] {
			if err := seedCountries(ctx, tx); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (name) VALUES (?)", name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// seedsCountries are the migrations after which the built-in countries are
// seeded: 0001 creates the table, 0013 adds the former countries to the
// reference (a warehouse created before lacks them).
var seedsCountries = map[string]bool{"0001_init": true, "0013_former_countries": true}

// seedCountries loads, as batch 0, each built-in country whose code the
// warehouse does not have yet (none, the first time; a country that a
// countries file already supplied is left as that file has it). A row's
// _row is its line in the built-in reference.
func seedCountries(ctx context.Context, tx *sql.Tx) error {
	var b strings.Builder
	b.WriteString("INSERT INTO countries (country_code, country_name, region, combatant_command, _batch_id, _file, _row) " +
		"SELECT code, name, region, command, 0, 'built-in', n FROM (VALUES ")
	args := make([]any, 0, 4*len(Countries))
	for i, c := range Countries {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "(?,?,?,?,%d)", i+1)
		args = append(args, c.Code, c.Name, c.Region, c.CombatantCommand)
	}
	b.WriteString(") AS v(code, name, region, command, n) WHERE code NOT IN (SELECT country_code FROM countries WHERE country_code IS NOT NULL) ORDER BY n")
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return err
	}
	countries, _ := Lookup("countries")
	_, err := tx.ExecContext(ctx, "UPDATE countries SET _row_hash = "+RowHashSQL(countries, "")+" WHERE _batch_id = 0 AND _row_hash IS NULL")
	return err
}

// RowHashSQL is the expression that fingerprints a row's contract columns,
// so a re-sent row with the same content is recognised as unchanged. prefix
// qualifies the column names ("s." or "").
func RowHashSQL(d *Dataset, prefix string) string {
	cols := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		cols[i] = prefix + c.Name
	}
	return "hash(" + strings.Join(cols, ", ") + ")"
}

// IsDuckDBError reports whether err came from DuckDB with the given type.
func IsDuckDBError(err error, t duckdb.ErrorType) bool {
	var de *duckdb.Error
	return errors.As(err, &de) && de.Type == t
}
