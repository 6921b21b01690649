-- A quarantined row is resolved when a later batch loads a valid row with
-- the same key (the source sent the corrected row): imet quarantine lists
-- open rows by default.
ALTER TABLE quarantine ADD COLUMN record_key VARCHAR;  -- the row's key as text (key columns joined by |), when it has one
ALTER TABLE quarantine ADD COLUMN resolved_by BIGINT;  -- the batch that loaded a valid row with that key
