-- Time-to-event rows: one per person and outcome (model 050_outcomes).
SELECT 'ALL' AS period, student_id, outcome, cohort, graduation_cohort, course_category, country_code, region, sex,
       time::DOUBLE AS time, status, CASE WHEN cohort = 'PARTICIPANT' THEN 1 ELSE 0 END AS participant
FROM outcomes
