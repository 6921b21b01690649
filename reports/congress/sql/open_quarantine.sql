-- Rows set aside by validation and still open at vintage $1: quarantined
-- by a batch up to it and not resolved by one up to it. The data notes
-- give the count (the rows themselves are in the analysts' snapshot).
SELECT count(*)
FROM quarantine
WHERE batch_id <= $1
  AND (resolved_by IS NULL OR resolved_by > $1)
