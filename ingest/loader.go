package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/imet-project/imet/schemas"
)

// Loader loads files into one warehouse. Its fields are its dependencies,
// each with a default.
type Loader struct {
	DB     *sql.DB
	Logger *slog.Logger     // default: discard
	Now    func() time.Time // default: time.Now; read once per file
	// Sources holds, per dataset, how its files are written when a source
	// cannot write the contract's form (dates, delimiter, encoding, header
	// names).
	Sources map[string]Source
	// Force loads files whose bytes the ledger already knows (after a
	// configuration fix), recording the reload in the batch's message.
	Force bool
	Link  LinkConfig
	// Limits bound the work one file may cost (imet.toml [limits]); zero
	// fields take DefaultLimits.
	Limits Limits
	// Step, when set, is told as each step of a file's load begins (for a
	// progress display on a terminal).
	Step func(file, step string)

	// fullLink makes every linking pass re-decide every waiting row (the
	// tests compare it with the scoped passes).
	fullLink bool
}

func (l *Loader) step(file, step string) {
	if l.Step != nil {
		l.Step(filepath.Base(file), step)
	}
}

// Result is what happened to one file.
type Result struct {
	File        string
	Dataset     string
	SHA256      string
	BatchID     int64
	Status      string // loaded, already_loaded, rejected
	Rows        int64  // rows read
	Loaded      int64  // new keys
	Replaced    int64  // keys whose content changed
	Unchanged   int64  // keys sent again with the same content
	Quarantined int64  // bad rows
	// Lines is the file's physical lines (CSV, NDJSON) or records with
	// the header (Parquet, XLSX), each one accounted for: Accounting says
	// how, when they are not simply the header and one row a line.
	Lines      int64
	Accounting string
	Reason     string // why a file was rejected
	Warnings   []string
	Link       *LinkResult // linked datasets and students
}

const (
	StatusLoaded        = "loaded"
	StatusAlreadyLoaded = "already_loaded"
	StatusRejected      = "rejected"
)

func (l *Loader) logger() *slog.Logger {
	if l.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l.Logger
}

func (l *Loader) now() time.Time {
	if l.Now == nil {
		return time.Now()
	}
	return l.Now()
}

// LoadFile loads one file of the dataset in one transaction. A file that
// cannot be read is not an error: its Result says rejected, with the reason.
// The error is for failures of the warehouse itself.
func (l *Loader) LoadFile(ctx context.Context, path, dataset string) (Result, error) {
	res := Result{File: path, Dataset: dataset}
	log := l.logger().With("file", filepath.Base(path), "dataset", dataset)
	now := l.now().UTC()
	if dataset == schemas.FMTRActivities {
		return l.loadFMTR(ctx, path, now)
	}
	ds, err := schemas.Lookup(dataset)
	if err != nil {
		return l.rejected(ctx, res, now, err.Error()+"; put the file in inbox/<dataset>/ or name the dataset with --dataset")
	}
	format, err := FormatOf(path)
	if err != nil {
		return l.rejected(ctx, res, now, err.Error())
	}
	src := l.Sources[dataset]
	// Temp tables belong to one connection: pin it for the whole load.
	conn, err := l.DB.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	defer conn.ExecContext(context.WithoutCancel(ctx), dropStaging)

	start := time.Now()
	st, sc, err := l.read(ctx, conn, path, format, ds, src, &res)
	if err != nil {
		var rj *Rejection
		if errors.As(err, &rj) {
			return l.rejected(ctx, res, now, rj.Msg)
		}
		return res, err
	}
	res.SHA256 = sc.sha256
	if done, err := l.alreadyLoaded(ctx, &res, log); done || err != nil {
		return res, err
	}
	res.Rows = st.rows
	res.Warnings = append(res.Warnings, st.warnings...)
	if len(st.unknown) > 0 {
		w := unknownWarning(ds, st.unknown, st.present)
		res.Warnings = append(res.Warnings, w)
		log.Warn(w)
	}
	if st.rows == 0 {
		return l.rejected(ctx, res, now, fmt.Sprintf("%s has a header but no rows: nothing to load", filepath.Base(path)))
	}
	log.Debug("step", "step", "stage and scan", "seconds", time.Since(start).Seconds())
	restore, err := schemas.FitThreads(ctx, l.DB, st.rows, 1)
	if err != nil {
		return res, err
	}
	defer restore()
	if err := l.check(ctx, conn, ds, st, src, now, &res, log); err != nil {
		return res, fmt.Errorf("%s: %w", path, err)
	}
	if err := l.account(ctx, conn, path, st, &res); err != nil {
		var rj *Rejection
		if errors.As(err, &rj) {
			return l.rejected(ctx, res, now, rj.Msg)
		}
		return res, fmt.Errorf("%s: %w", path, err)
	}
	l.step(path, "writing")
	if err := l.commit(ctx, conn, ds, sc, st, now, &res); err != nil {
		return res, fmt.Errorf("load %s: %w", path, err)
	}
	log.Info("loaded", "batch", res.BatchID, "rows", res.Rows, "new", res.Loaded, "replaced", res.Replaced,
		"unchanged", res.Unchanged, "quarantined", res.Quarantined)
	return res, nil
}

// read stages the file (table src) and scans its bytes (hash, size, line
// ends) side by side. A *Rejection says what is wrong with the file; any
// other error is the warehouse's, or an interruption.
func (l *Loader) read(ctx context.Context, conn *sql.Conn, path string, format Format, ds *schemas.Dataset, src Source, res *Result) (*staged, *scan, error) {
	read, identity, encWarning, err := utf8Copy(ctx, path, format, src)
	if encWarning != "" {
		res.Warnings = append(res.Warnings, encWarning)
	}
	if err != nil {
		return nil, nil, err
	}
	if read != path {
		defer os.RemoveAll(filepath.Dir(read))
	}
	// Hashing and scanning the bytes runs beside staging: on two cores the
	// pass over the file costs nearly nothing that way. The price is that an
	// already-loaded file is staged before the ledger says so. A scan that
	// refuses the file, or finds lines to split out, stops the staging at
	// once: its work would be thrown away.
	lim := l.Limits.withDefaults()
	stageCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	scanned := sync.OnceValues(func() (*scan, error) {
		sc, err := prescan(ctx, read, format, src.delim(), ds.Name, lim)
		if err == nil && identity != nil {
			sc.sha256, sc.bytes = identity.sha256, identity.bytes
		}
		if err != nil {
			stop(err)
		} else if len(sc.split) > 0 {
			stop(errSplit)
		}
		return sc, err
	})
	go scanned()
	l.step(path, "reading")
	st, stageErr := stage(stageCtx, conn, read, format, scanned, ds, src, lim)
	sc, err := scanned()
	if err == nil && len(sc.split) > 0 && (format == CSV || format == CSVGz) {
		// Read again, from a copy without the split-out lines: they are
		// quarantined as they are, and every other line is read as if
		// they were blank.
		l.step(path, fmt.Sprintf("reading again without %d unreadable lines", len(sc.split)))
		var clean string
		if clean, err = splitCopy(ctx, read, format, sc, lim); err == nil {
			defer os.RemoveAll(filepath.Dir(clean))
			rest := *sc
			rest.split = nil
			st, stageErr = stage(ctx, conn, clean, CSV, func() (*scan, error) { return &rest, nil }, ds, src, lim)
			if stageErr == nil {
				st.malformed = append(sc.split, st.malformed...)
				st.rows += int64(len(sc.split))
			}
		}
	}
	if err == nil {
		err = stageErr
	}
	if err == nil && format == NDJSON {
		st.lines, st.blankLines = sc.lines, sc.blankLines
	}
	var rj *Rejection
	switch {
	case err != nil && ctx.Err() != nil:
		// Interrupted: a read cut short says nothing about the file.
		return nil, nil, fmt.Errorf("read %s: %w", path, ctx.Err())
	case errors.As(err, &rj):
		return nil, nil, err
	case err != nil:
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	return st, sc, nil
}

// utf8Copy is the file the readers read: the file itself, or, for a text
// file in another encoding, a UTF-8 copy (the caller removes it) and the
// scan of the original bytes, by which the ledger knows the file.
//
// A file that is UTF-8 after all (it has a byte-order mark, or non-ASCII
// text that is valid UTF-8, which text in a single-byte encoding almost
// never is) is read as it is, with a warning: converting it would garble
// every accented name without a word.
func utf8Copy(ctx context.Context, path string, format Format, src Source) (read string, identity *scan, warning string, err error) {
	enc := src.decoder()
	if enc == nil || format == Parquet || format == XLSX {
		return path, nil, "", nil
	}
	if format == CSVGz {
		return "", nil, "", reject("%s: a compressed file in %s cannot be converted to UTF-8: send it uncompressed, or as UTF-8", filepath.Base(path), src.Encoding)
	}
	if utf8After, err := looksUTF8(path); err != nil {
		return "", nil, "", err
	} else if utf8After {
		return path, nil, fmt.Sprintf("the file is UTF-8 although imet.toml declares %s for this dataset: it was read as UTF-8", src.Encoding), nil
	}
	if identity, err = prescan(ctx, path, Parquet, src.delim(), "", Limits{}); err != nil {
		return "", nil, "", err
	}
	read, err = toUTF8(path, enc)
	return read, identity, "", err
}

// check fills the columns the file lacks from the stored rows, validates
// every row and marks keys repeated in the file: table chk.
func (l *Loader) check(ctx context.Context, conn *sql.Conn, ds *schemas.Dataset, st *staged, src Source, now time.Time, res *Result, log *slog.Logger) error {
	t0 := time.Now()
	from, matched, err := mergeStored(ctx, conn, ds, st)
	if err != nil {
		return err
	}
	if matched > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d rows have a stored row with the same key; the file has no column %s, so those keep their stored values there",
			matched, strings.Join(st.absent(ds), ", ")))
	}
	l.step(res.File, fmt.Sprintf("validating %d rows", st.rows))
	if _, err := conn.ExecContext(ctx, validationSQL(ds, from, src.DateFormat, now, !st.unpadded || from != "src")); err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	log.Debug("step", "step", "validate", "seconds", time.Since(t0).Seconds())
	t0 = time.Now()
	if err := markDuplicates(ctx, conn, ds); err != nil {
		return fmt.Errorf("find duplicates: %w", err)
	}
	log.Debug("step", "step", "duplicates", "seconds", time.Since(t0).Seconds())
	return nil
}

// account checks, before anything is written, that every line of the file
// is a row loaded, a row quarantined, the header, or skipped with a word
// (blank, delimiters only, inside a quoted value), and that the quarantine
// stays within its limit. A file that fails either is refused whole: never
// loaded short.
func (l *Loader) account(ctx context.Context, conn *sql.Conn, path string, st *staged, res *Result) error {
	file := filepath.Base(path)
	var good, bad int64
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FILTER (WHERE len(_errs) = 0), count(*) FILTER (WHERE len(_errs) > 0) FROM chk").Scan(&good, &bad); err != nil {
		return fmt.Errorf("count checked rows: %w", err)
	}
	bad += int64(len(st.malformed))
	if good+bad != st.rows {
		return reject("%s: imet cannot account for every row (%d read, %d good, %d bad): nothing was loaded; this is imet's fault, please report it with the file", file, st.rows, good, bad)
	}
	if lim := l.Limits.withDefaults(); bad > lim.MaxQuarantined {
		sample, err := quarantineSample(ctx, conn, st)
		if err != nil {
			return err
		}
		return reject("%s: %d of its %d rows are bad, more than the %d quarantined rows a file may have (imet.toml [limits] max_quarantined): nothing was loaded; most common: %s; fix the export and send the file again",
			file, bad, st.rows, lim.MaxQuarantined, sample)
	}
	res.Lines = st.lines
	parts := []string{}
	add := func(n int64, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(st.headerLines, "header")
	add(st.rows, "rows")
	add(st.spanLines, "inside quoted values")
	add(st.skipped, "delimiters only")
	add(st.blankLines, "blank")
	if sum := st.headerLines + st.rows + st.spanLines + st.skipped + st.blankLines; sum != st.lines {
		return reject("%s: imet cannot account for every line (%d lines: %s): nothing was loaded; this is imet's fault, please report it with the file", file, st.lines, strings.Join(parts, " + "))
	}
	if st.spanLines+st.skipped+st.blankLines > 0 {
		res.Accounting = fmt.Sprintf("%d lines = %s", st.lines, strings.Join(parts, " + "))
	}
	return nil
}

// quarantineSample names the most common reasons of a file's bad rows,
// by rule and column (never by value).
func quarantineSample(ctx context.Context, conn *sql.Conn, st *staged) (string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT rule, col, count(*) AS n
		FROM (SELECT e.rule AS rule, coalesce(e.col, 'the row') AS col FROM (SELECT unnest(_errs) AS e FROM chk WHERE len(_errs) > 0))
		GROUP BY ALL ORDER BY n DESC, rule, col LIMIT 5`)
	if err != nil {
		return "", fmt.Errorf("sample the bad rows: %w", err)
	}
	defer rows.Close()
	var parts []string
	if len(st.malformed) > 0 {
		parts = append(parts, fmt.Sprintf("malformed: %d rows (first, line %d: %s)", len(st.malformed), st.malformed[0].line, st.malformed[0].reason))
	}
	for rows.Next() {
		var rule, col string
		var n int64
		if err := rows.Scan(&rule, &col, &n); err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%s in %s: %d rows", rule, col, n))
	}
	return strings.Join(parts, "; "), rows.Err()
}

// commit writes the validated file: quarantine, history, current rows,
// links, ledger and batch, all or nothing.
func (l *Loader) commit(ctx context.Context, conn *sql.Conn, ds *schemas.Dataset, sc *scan, st *staged, now time.Time, res *Result) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	batch, err := nextBatch(ctx, tx)
	if err != nil {
		return err
	}
	res.BatchID = batch
	w := &batchWriter{ctx: ctx, tx: tx, log: l.logger(), ds: ds, batch: batch, file: filepath.Base(res.File), sha256: sc.sha256, now: now}
	if err := w.quarantine(st, res); err != nil {
		return err
	}
	if err := w.rows(res); err != nil {
		return err
	}
	if err := w.resolve(); err != nil {
		return err
	}
	if ds.Linked || ds.Name == "students" {
		l.step(res.File, "linking")
		lr, err := l.link(ctx, tx, batch, res.File)
		if err != nil {
			return err
		}
		res.Link = lr
	}
	res.Status = StatusLoaded
	if err := recordLoad(ctx, tx, loadRecord{batch: batch, started: now, finished: l.now().UTC(), dataset: ds.Name, file: w.file,
		sha256: sc.sha256, bytes: sc.bytes, rows: res.Rows, loaded: res.Loaded, replaced: res.Replaced, unchanged: res.Unchanged,
		bad: res.Quarantined, message: strings.Join(res.Warnings, "; ")}); err != nil {
		return err
	}
	return tx.Commit()
}

// batchWriter writes one validated file's batch inside the load's
// transaction, one timed step at a time.
type batchWriter struct {
	ctx          context.Context
	tx           *sql.Tx
	log          *slog.Logger
	ds           *schemas.Dataset
	batch        int64
	file, sha256 string
	now          time.Time
}

func (w *batchWriter) step(name, q string, args ...any) error {
	t0 := time.Now()
	if _, err := w.tx.ExecContext(w.ctx, q, args...); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	w.log.Debug("step", "step", name, "seconds", time.Since(t0).Seconds())
	return nil
}

// quarantine sets aside the rows that failed validation and the records
// the reader could not split into fields.
func (w *batchWriter) quarantine(st *staged, res *Result) error {
	if err := w.step("quarantine", `INSERT INTO quarantine (batch_id, file, line, dataset, column_name, value, rule, reason, raw, quarantined_at, record_key)
		SELECT ?, ?, c._line, ?, e.col, e.val, e.rule, e.msg, to_json(s)::VARCHAR, ?, c._key
		FROM (SELECT _line, `+keyText(w.ds, "")+` AS _key, unnest(_errs) AS e FROM chk WHERE len(_errs) > 0) c
		JOIN src s ON s._line = c._line`, w.batch, w.file, w.ds.Name, w.now); err != nil {
		return err
	}
	for _, m := range st.malformed {
		if err := w.step("quarantine", `INSERT INTO quarantine (batch_id, file, line, dataset, rule, reason, raw, quarantined_at)
			VALUES (?, ?, ?, ?, 'malformed', ?, ?, ?)`,
			w.batch, w.file, m.line, w.ds.Name, m.reason, m.raw, w.now); err != nil {
			return err
		}
	}
	if err := w.tx.QueryRowContext(w.ctx, "SELECT count(*) FROM chk WHERE len(_errs) > 0").Scan(&res.Quarantined); err != nil {
		return fmt.Errorf("count quarantined rows: %w", err)
	}
	res.Quarantined += int64(len(st.malformed))
	return nil
}

// rows writes the good rows: new keys inserted, changed ones replaced (the
// old version kept in history), unchanged ones left as they were.
func (w *batchWriter) rows(res *Result) error {
	ds := w.ds
	on := make([]string, len(ds.Key))
	for i, k := range ds.Key {
		on[i] = fmt.Sprintf("t.%[1]s = g.%[1]s", ident(k))
	}
	join := strings.Join(on, " AND ")
	if err := w.step("good rows", "CREATE TEMP VIEW good AS SELECT * EXCLUDE (_errs) FROM chk WHERE len(_errs) = 0"); err != nil {
		return err
	}
	if err := w.tx.QueryRowContext(w.ctx, fmt.Sprintf(`SELECT count(*) FILTER (WHERE t._row_hash IS NULL),
		count(*) FILTER (WHERE t._row_hash <> g._row_hash), count(*) FILTER (WHERE t._row_hash = g._row_hash)
		FROM good g LEFT JOIN %s t ON %s`, ds.Name, join)).Scan(&res.Loaded, &res.Replaced, &res.Unchanged); err != nil {
		return fmt.Errorf("compare with current rows: %w", err)
	}
	if res.Replaced > 0 {
		if err := w.step("history", fmt.Sprintf(`INSERT INTO %[1]s_history SELECT t.*, ? FROM %[1]s t JOIN good g ON %[2]s WHERE t._row_hash <> g._row_hash`, ds.Name, join), w.batch); err != nil {
			return err
		}
		if err := w.step("replace", fmt.Sprintf(`DELETE FROM %[1]s t USING good g WHERE %[2]s AND t._row_hash <> g._row_hash`, ds.Name, join)); err != nil {
			return err
		}
	}
	sel := prefixed("g.", quoteAll(ds.ColumnNames()))
	target := quoteAll(ds.ColumnNames())
	if ds.Linked {
		// student_id is the linked student, set by linking below.
		sel[indexOf(ds, "student_id")] = "NULL"
		target = append(target, "source_student_id")
		sel = append(sel, "g.student_id")
	}
	target = append(target, "_batch_id", "_file", "_sha256", "_row", "_row_hash")
	sel = append(sel, "?", "?", "?", "g._line", "g._row_hash")
	insert := fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM good g`, ds.Name, strings.Join(target, ", "), strings.Join(sel, ", "))
	if res.Unchanged > 0 {
		// Rows sent again unchanged keep their first version.
		insert += fmt.Sprintf(" WHERE NOT EXISTS (SELECT 1 FROM %s t WHERE %s)", ds.Name, join)
	}
	return w.step("insert", insert, w.batch, w.file, w.sha256)
}

// resolve closes the quarantine entries this batch answers for.
func (w *batchWriter) resolve() error {
	// A forced reload answers for the rows its bytes' earlier loads set
	// aside: those still bad are quarantined again by this batch, so the
	// earlier entries close (one bad row is listed once, not once a load).
	if err := w.step("resolve reloaded", `UPDATE quarantine SET resolved_by = ? WHERE resolved_by IS NULL AND batch_id <> ?
		AND batch_id IN (SELECT batch_id FROM batches WHERE sha256 = ?)`, w.batch, w.batch, w.sha256); err != nil {
		return err
	}
	// Earlier bad rows whose key now arrived valid are resolved.
	return w.step("resolve", fmt.Sprintf(`UPDATE quarantine SET resolved_by = ?
		WHERE dataset = ? AND resolved_by IS NULL AND batch_id <> ? AND record_key IN (SELECT %s FROM good)`, keyText(w.ds, "")),
		w.batch, w.ds.Name, w.batch)
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = ident(x)
	}
	return out
}

func nextBatch(ctx context.Context, tx *sql.Tx) (int64, error) {
	var b int64
	err := tx.QueryRowContext(ctx, "SELECT coalesce(max(batch_id), 0) + 1 FROM batches").Scan(&b)
	return b, err
}

// alreadyLoaded says whether the ledger knows res.SHA256, and if so marks
// res already_loaded with the batch that loaded it.
func (l *Loader) alreadyLoaded(ctx context.Context, res *Result, log *slog.Logger) (bool, error) {
	var prior int64
	err := l.DB.QueryRowContext(ctx, "SELECT batch_id FROM files WHERE sha256 = ?", res.SHA256).Scan(&prior)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check ledger for %s: %w", res.File, err)
	}
	if l.Force {
		res.Warnings = append(res.Warnings, fmt.Sprintf("reloaded with --force: batch %d loaded the same bytes before", prior))
		log.Info("forced reload", "earlier batch", prior)
		return false, nil
	}
	res.Status, res.BatchID = StatusAlreadyLoaded, prior
	log.Info("already loaded", "batch", prior)
	return true, nil
}

// rejected records a file that cannot be read as a batch of its own, so the
// run history shows it, and returns the rejection.
func (l *Loader) rejected(ctx context.Context, res Result, now time.Time, reason string) (Result, error) {
	res.Status, res.Reason = StatusRejected, reason
	l.logger().Warn("rejected", "file", filepath.Base(res.File), "reason", reason)
	tx, err := l.DB.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	if res.BatchID, err = nextBatch(ctx, tx); err != nil {
		return res, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches (batch_id, started_at, finished_at, dataset, file, sha256, status, rows_read, message)
		VALUES (?, ?, ?, ?, ?, ?, 'rejected', 0, ?)`, res.BatchID, now, now, res.Dataset, filepath.Base(res.File), res.SHA256, reason); err != nil {
		return res, fmt.Errorf("record rejection of %s: %w", res.File, err)
	}
	return res, tx.Commit()
}
