-- Graduates and comparison members as of D (model 040_people), with what
-- the coverage, flag and prominence metrics count.
WITH seen AS (
    SELECT m.student_id,
           count(*) FILTER (WHERE t.event_date > period_end() - INTERVAL 730 DAY) AS events_24m,
           count(*) FILTER (WHERE t.event_date > m.index_date) AS events_after_index,
           arg_max(t.position_level, date_diff('day', DATE '1900-01-01', t.event_date) * 10
                   + CASE t.position_level WHEN 'STRATEGIC' THEN 4 WHEN 'SENIOR' THEN 3 WHEN 'MID' THEN 2 ELSE 1 END)
               FILTER (WHERE t.position_level IS NOT NULL) AS latest_position_level
    FROM people m JOIN career_timeline t ON t.student_id = m.student_id
    GROUP BY m.student_id
),
flags AS (
    SELECT m.student_id, count(*) AS substantiated_flags
    FROM people m
    JOIN v_hr_flags f ON f.student_id = m.student_id
    WHERE f.status = 'SUBSTANTIATED' AND f.flag_date > m.index_date AND f.flag_date <= period_end()
    GROUP BY m.student_id
)
SELECT 'ALL' AS period, m.cohort, m.graduation_cohort, m.course_category, m.country_code, m.region, m.sex,
       m.student_id, m.index_date, m.exit_date,
       m.exit_date IS NULL AS serving,
       coalesce(s.events_24m, 0) > 0 AS tracked_24m,
       m.index_date <= period_end() - INTERVAL 365 DAY AS untracked_eligible,
       coalesce(s.events_after_index, 0) = 0 AS untracked,
       m.exit_date IS NULL AND s.latest_position_level IN ('STRATEGIC', 'SENIOR') AS prominent,
       coalesce(f.substantiated_flags, 0) AS substantiated_flags,
       -- whole days: an integer sum is exact whatever order threads add in
       greatest(date_diff('day', m.index_date, coalesce(least(m.exit_date, period_end()), period_end())), 0) AS followup_days
FROM people m
LEFT JOIN seen s ON s.student_id = m.student_id
LEFT JOIN flags f ON f.student_id = m.student_id
