-- COST_PER_LEADER: graduates with the cost of all their IMET enrollments and
-- whether they reached the general/flag rank threshold by D (any rank
-- observation at or above it on or before D).
WITH p AS (SELECT * FROM params),
cost AS (
    SELECT student_id, sum(coalesce(cost_usd, 0)) AS cost_usd,
           count(*) AS enrollments, count(*) FILTER (WHERE cost_usd IS NULL) AS without_cost
    FROM enrollment_facts WHERE program = 'IMET' GROUP BY student_id
),
top AS (
    SELECT student_id, max(rank_order) AS top_rank FROM rank_observations GROUP BY student_id
)
SELECT 'ALL' AS period, m.cohort, m.graduation_cohort, m.region, m.country_code, m.course_category, m.sex,
       m.student_id, coalesce(c.cost_usd, 0) AS cost_usd,
       coalesce(c.enrollments, 0) AS enrollments, coalesce(c.without_cost, 0) AS without_cost,
       coalesce(t.top_rank, 0) >= p.lead_rank_order AS leader
FROM people m CROSS JOIN p
LEFT JOIN cost c ON c.student_id = m.student_id
LEFT JOIN top t ON t.student_id = m.student_id
WHERE m.cohort = 'PARTICIPANT'
