-- UTIL_2Y: completed IMET enrollments that ended at least two years before
-- D, in a course with a specific functional area, whose student later had an
-- assignment with a functional area within two years of the course's end.
WITH eligible AS (
    SELECT f.*
    FROM enrollment_facts f
    WHERE f.program = 'IMET' AND f.status = 'COMPLETED'
      AND f.end_date <= period_end() - INTERVAL 730 DAY
      AND f.course_functional_area IS NOT NULL
      AND f.course_functional_area NOT IN ('LEADERSHIP', 'OTHER')
)
SELECT 'ALL' AS period, 'PARTICIPANT' AS cohort, e.program, e.region, e.country_code, e.course_category, e.sex,
       e.enrollment_id, e.student_id,
       bool_or(t.functional_area = e.course_functional_area) AS used
FROM eligible e
JOIN career_timeline t
  ON t.student_id = e.student_id AND t.event_type = 'ASSIGNMENT' AND t.functional_area IS NOT NULL
 AND t.event_date > e.end_date AND t.event_date <= e.end_date + INTERVAL 730 DAY
GROUP BY ALL
