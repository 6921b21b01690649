-- A linking pass decides each row waiting for a student from the row's own
-- names and the students table alone. While the students, the linking
-- settings and the linking code are those of the last pass, the decisions
-- it made stand, and a load links only the rows not decided yet: a
-- 100-row career-events file no longer re-scores every row waiting in
-- link_review against every student (ingest.link).
CREATE TABLE link_state (
    dataset         VARCHAR PRIMARY KEY,
    decided_against VARCHAR NOT NULL,
    checked_batch   BIGINT NOT NULL
);
COMMENT ON TABLE link_state IS 'what the last linking pass of each linked dataset decided its waiting rows against; a pass against the same re-decides only the rows not decided yet';
COMMENT ON COLUMN link_state.dataset IS 'the linked dataset (career_events, hr_flags or post_holders)';
COMMENT ON COLUMN link_state.decided_against IS 'the fingerprint of the students'' linking columns, the linking settings and the linking statements the waiting rows were decided against';
COMMENT ON COLUMN link_state.checked_batch IS 'the batch whose linking pass wrote this row';
