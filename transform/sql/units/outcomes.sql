-- Time-to-event rows: one per person and outcome (model 050_outcomes), with
-- the covariates the propensity model of the adjusted comparison uses
-- (evidence.md), all measured at or before the index date: service, rank at
-- index, sex as F, M or OTHER (X, U and unknown), age at index (index year
-- minus birth year; NULL when the birth year is missing) and the index
-- fiscal year.
SELECT 'ALL' AS period, o.student_id, o.outcome, o.cohort, o.graduation_cohort, o.course_category, o.country_code, o.region, o.sex,
       o.time::DOUBLE AS time, o.status, o.cr_status, CASE WHEN o.cohort = 'PARTICIPANT' THEN 1 ELSE 0 END AS participant,
       coalesce(s.service, 'UNKNOWN') AS service, p.rank_at_index,
       CASE WHEN o.sex IN ('F', 'M') THEN o.sex ELSE 'OTHER' END AS sex3,
       year(o.index_date) - s.birth_year AS age, fiscal_year_of(o.index_date) AS index_fy
FROM outcomes o
JOIN people p ON p.student_id = o.student_id
LEFT JOIN v_students s ON s.student_id = o.student_id
