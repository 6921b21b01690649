-- warn: %d rows open in quarantine
SELECT count(*) FROM quarantine WHERE resolved_by IS NULL
