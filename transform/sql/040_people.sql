-- Graduates and comparison members as of D, one row each, with index date,
-- rank at index, exit, last contact and follow-up (metrics.md, "Time,
-- people, follow-up").
--   graduate: a PARTICIPANT with a COMPLETED IMET enrollment ending on or
--     before D; index date = the earliest such end date; that enrollment
--     (the lowest enrollment_id among ties) is the index enrollment.
--   comparison member: a COMPARISON student with index_date on or before D.
CREATE OR REPLACE TABLE people AS
WITH index_enrollment AS (
    SELECT student_id, end_date AS index_date, enrollment_id, course_category,
           country_code, region, sex
    FROM enrollment_facts
    WHERE cohort = 'PARTICIPANT' AND program = 'IMET' AND status = 'COMPLETED'
      AND end_date <= period_end()
    QUALIFY row_number() OVER (PARTITION BY student_id ORDER BY end_date, enrollment_id) = 1
),
members AS (
    SELECT student_id, 'PARTICIPANT' AS cohort, index_date, enrollment_id AS index_enrollment_id,
           course_category, country_code, region, sex
    FROM index_enrollment
    UNION ALL
    SELECT s.student_id, 'COMPARISON', s.index_date, NULL, NULL, s.country_code, c.region, s.sex
    FROM v_students s
    LEFT JOIN v_countries c ON c.country_code = s.country_code
    WHERE s.cohort = 'COMPARISON' AND s.index_date <= period_end()
),
rank_at_index AS (
    -- latest observation on or before the index date, highest on that date
    SELECT m.student_id,
           arg_max(o.rank_code, date_diff('day', DATE '1900-01-01', o.obs_date) * 100 + o.rank_order) AS rank_code
    FROM members m JOIN rank_observations o
      ON o.student_id = m.student_id AND o.obs_date <= m.index_date
    GROUP BY m.student_id
),
exits AS (
    SELECT student_id, min(event_date) AS exit_date
    FROM career_timeline
    WHERE event_type IN ('SEPARATION', 'RETIREMENT', 'DEATH')
    GROUP BY student_id
),
contacts AS (
    SELECT student_id, max(d) AS last_contact FROM (
        SELECT student_id, event_date AS d FROM career_timeline
        UNION ALL
        SELECT student_id, start_date FROM enrollment_facts
        UNION ALL
        SELECT f.student_id, f.end_date FROM enrollment_facts f WHERE f.end_date <= period_end()
    ) GROUP BY student_id
)
SELECT
    m.student_id,
    m.cohort,
    m.index_date,
    'FY' || fiscal_year_of(m.index_date) AS graduation_cohort,
    m.index_enrollment_id,
    m.course_category,
    m.country_code,
    m.region,
    m.sex,
    r.rank_code AS rank_at_index,
    rank_order(r.rank_code) AS rank_order_at_index,
    x.exit_date,
    c.last_contact,
    CASE WHEN x.exit_date IS NULL THEN c.last_contact
         WHEN c.last_contact IS NULL THEN x.exit_date
         ELSE least(x.exit_date, c.last_contact) END AS followup_end,
    coalesce(followup_end > m.index_date, false) AS has_followup
FROM members m
LEFT JOIN rank_at_index r ON r.student_id = m.student_id
LEFT JOIN exits x ON x.student_id = m.student_id
LEFT JOIN contacts c ON c.student_id = m.student_id;

-- The words the snapshot and docs carry for the columns this model makes
-- or means otherwise; the rest keep the words of the same column in the
-- models before it (transform.inheritComments).
COMMENT ON COLUMN people.index_date IS 'graduates: end date of the first completed IMET course; comparison members: the index date their country supplied';
COMMENT ON COLUMN people.graduation_cohort IS 'fiscal year of the index date, as FY2015';
COMMENT ON COLUMN people.index_enrollment_id IS 'graduates: the first completed IMET enrollment';
COMMENT ON COLUMN people.course_category IS 'graduates: category of the index enrollment''s course';
COMMENT ON COLUMN people.region IS 'region of the person''s country';
COMMENT ON COLUMN people.rank_at_index IS 'rank at the index date: the latest rank observation on or before it, the highest of that day';
COMMENT ON COLUMN people.rank_order_at_index IS 'order of rank_at_index (OF-1 = 15 … OF-5 = 19; 0 for none)';
COMMENT ON COLUMN people.exit_date IS 'the earliest SEPARATION, RETIREMENT or DEATH on or before D';
COMMENT ON COLUMN people.last_contact IS 'the latest date on or before D the person was observed';
COMMENT ON COLUMN people.followup_end IS 'end of follow-up: the earlier of exit date and last contact';
COMMENT ON COLUMN people.has_followup IS 'follow-up goes past the index date (otherwise left out of time-to-event metrics)';
