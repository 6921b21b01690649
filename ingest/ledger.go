package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// loadRecord is what the warehouse keeps of one loaded file: its ledger
// entry (files) and its batch row (batches).
type loadRecord struct {
	batch                                  int64
	started, finished                      time.Time
	dataset, file, sha256                  string
	bytes                                  int64
	rows, loaded, replaced, unchanged, bad int64
	message                                string
}

// recordLoad writes the ledger entry and the batch row of a loaded file.
// A forced reload moves the ledger entry to its new batch; the batches
// table keeps both loads (and the message says it was forced).
func recordLoad(ctx context.Context, tx *sql.Tx, r loadRecord) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO files (sha256, file, dataset, bytes, batch_id, loaded_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.sha256, r.file, r.dataset, r.bytes, r.batch, r.started); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches (batch_id, started_at, finished_at, dataset, file, sha256, status,
			rows_read, loaded, replaced, unchanged, quarantined, message)
		VALUES (?, ?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?, ?)`,
		r.batch, r.started, r.finished, r.dataset, r.file, r.sha256, r.rows, r.loaded, r.replaced, r.unchanged, r.bad, r.message); err != nil {
		return fmt.Errorf("record batch: %w", err)
	}
	return nil
}
