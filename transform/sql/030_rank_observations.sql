-- Every dated observation of a person's rank on or before D: an
-- enrollment's rank at entry on its start date, a career event's rank on its
-- date, a comparison member's rank at index on the index date. "Rank at time
-- t" is the latest observation on or before t, the highest when several
-- share that date.
CREATE OR REPLACE TABLE rank_observations AS
SELECT student_id, start_date AS obs_date, rank_code_at_entry AS rank_code,
       rank_order(rank_code_at_entry) AS rank_order, 'enrollment' AS source
FROM enrollment_facts
WHERE rank_code_at_entry IS NOT NULL
UNION ALL
SELECT student_id, event_date, rank_code, rank_order, 'career_event'
FROM career_timeline
WHERE rank_code IS NOT NULL
UNION ALL
SELECT s.student_id, s.index_date, s.rank_code_at_index,
       rank_order(s.rank_code_at_index), 'comparison_index'
FROM v_students s
WHERE s.cohort = 'COMPARISON' AND s.rank_code_at_index IS NOT NULL AND s.index_date <= period_end()
-- Sorted, the rows go into the file while the statement runs; unsorted,
-- DuckDB left part of them for the transform's commit to write, on one
-- thread (the commit 0.2 s longer at 100,000 people).
ORDER BY student_id, obs_date, rank_order, rank_code, source;

-- The words the snapshot and docs carry for the columns this model makes
-- or means otherwise; the rest keep the words of the same column in the
-- models before it (transform.inheritComments).
COMMENT ON COLUMN rank_observations.obs_date IS 'the date the rank was observed';
COMMENT ON COLUMN rank_observations.source IS 'where the observation comes from: enrollment (rank at entry), career_event, comparison_index';
