-- One row per person and time-to-event outcome they are eligible for: the
-- time in days from the index date to the first event after it, or to
-- follow-up end when no event was seen (status false: censored). An event
-- dated after follow-up end cannot happen: it counts as not seen.
--   LEAD_RANK  rank at index OF-1 up to the threshold's rank below; event: first
--              rank observation after index at or above the threshold (OF-6)
--   LEAD_POS   no STRATEGIC or SENIOR position on or before index; event: first
--              such position after index
--   PROMO      an ordered rank at index; event: first PROMOTION after index to a
--              higher rank
--   RETAIN     event: exit (separation, retirement, death)
--   INTEROP    event: first DEPLOYMENT after index to a UN, COALITION, NATO or AU operation
-- Everyone needs follow-up (follow-up end after the index date).
-- cr_status is the competing-risk status of evidence.md: 1 the event (seen
-- within follow-up, an event on the exit date counting as the event), 2 the
-- person exited (separation, retirement, death) before any event, 0
-- censored. For RETAIN the event is the exit itself, so 2 never occurs.
CREATE OR REPLACE TABLE outcomes AS
WITH p AS (SELECT * FROM params),
firsts AS (
    SELECT
        m.student_id,
        min(t.event_date) FILTER (WHERE t.position_level IN ('STRATEGIC', 'SENIOR')
                                    AND t.event_date > m.index_date) AS lead_pos_date,
        count(*) FILTER (WHERE t.position_level IN ('STRATEGIC', 'SENIOR')
                           AND t.event_date <= m.index_date) AS prior_positions,
        min(t.event_date) FILTER (WHERE t.event_type = 'PROMOTION' AND t.event_date > m.index_date
                                    AND t.rank_order > m.rank_order_at_index) AS promo_date,
        min(t.event_date) FILTER (WHERE t.event_type = 'DEPLOYMENT' AND t.event_date > m.index_date
                                    AND t.operation_type IN ('UN', 'COALITION', 'NATO', 'AU')) AS interop_date
    FROM people m JOIN career_timeline t ON t.student_id = m.student_id
    WHERE m.has_followup
    GROUP BY m.student_id
),
lead_rank AS (
    SELECT m.student_id, min(o.obs_date) AS lead_rank_date
    FROM people m CROSS JOIN p
    JOIN rank_observations o ON o.student_id = m.student_id
    WHERE m.has_followup AND o.obs_date > m.index_date AND o.rank_order >= p.lead_rank_order
    GROUP BY m.student_id
),
wide AS (
    SELECT m.*, f.lead_pos_date, coalesce(f.prior_positions, 0) AS prior_positions,
           f.promo_date, f.interop_date, l.lead_rank_date,
           CASE WHEN m.exit_date > m.index_date THEN m.exit_date END AS retain_date,
           m.rank_order_at_index BETWEEN 15 AND p.lead_rank_order - 1 AS lead_rank_eligible
    FROM people m CROSS JOIN p
    LEFT JOIN firsts f ON f.student_id = m.student_id
    LEFT JOIN lead_rank l ON l.student_id = m.student_id
    WHERE m.has_followup
),
long AS (
    SELECT *, 'LEAD_RANK' AS outcome, lead_rank_date AS event_date FROM wide WHERE lead_rank_eligible
    UNION ALL
    SELECT *, 'LEAD_POS', lead_pos_date FROM wide WHERE prior_positions = 0
    UNION ALL
    SELECT *, 'PROMO', promo_date FROM wide WHERE rank_order_at_index > 0
    UNION ALL
    SELECT *, 'RETAIN', retain_date FROM wide
    UNION ALL
    SELECT *, 'INTEROP', interop_date FROM wide
)
SELECT
    student_id, outcome, cohort, graduation_cohort, course_category, country_code, region, sex,
    index_date, followup_end,
    event_date IS NOT NULL AND event_date <= followup_end AS status,
    CASE WHEN event_date IS NOT NULL AND event_date <= followup_end
         THEN date_diff('day', index_date, event_date)
         ELSE date_diff('day', index_date, followup_end) END AS time,
    CASE WHEN event_date IS NOT NULL AND event_date <= followup_end THEN 1
         WHEN exit_date IS NOT NULL AND exit_date <= followup_end THEN 2
         ELSE 0 END AS cr_status
FROM long
-- Sorted, the rows go into the file while the statement runs; unsorted,
-- DuckDB left nearly all of them for the transform's commit to write, on
-- one thread (at 100,000 people the commit 0.3 s longer, the sort 0.25 s).
ORDER BY student_id, outcome;

-- The words the snapshot and docs carry for the columns this model makes
-- or means otherwise; the rest keep the words of the same column in the
-- models before it (transform.inheritComments).
COMMENT ON COLUMN outcomes.outcome IS 'LEAD_RANK, LEAD_POS, PROMO, RETAIN or INTEROP (see docs/metrics.md)';
COMMENT ON COLUMN outcomes.course_category IS 'category of the index enrollment''s course (PME, TECHNICAL, ELT, EIMET, MTT, OTHER)';
COMMENT ON COLUMN outcomes.region IS 'State Department regional bureau of the country (AF, EAP, EUR, NEA, SCA, WHA)';
COMMENT ON COLUMN outcomes.status IS 'true when the event was seen within follow-up; false: censored';
COMMENT ON COLUMN outcomes.cr_status IS 'competing-risk status: 1 the event, 2 exited (separation, retirement, death) before any event, 0 censored; time is then the event, exit or censoring time';
COMMENT ON COLUMN outcomes.time IS 'days from the index date to the event, or to the end of follow-up when censored';
