-- warn: %d rows open in quarantine
SELECT count(DISTINCT (batch_id, file, coalesce(line, -1))) FROM quarantine WHERE resolved_by IS NULL
