-- IMET graduates (students with a completed IMET enrollment) by State
-- Department region: countries, graduates, the fiscal years they span.
SELECT c.region, count(DISTINCT s.country_code) AS countries, count(DISTINCT s.student_id) AS graduates,
       min(e.fiscal_year) AS first_fy, max(e.fiscal_year) AS last_fy
FROM enrollments e JOIN students s USING (student_id) JOIN countries c ON c.country_code = s.country_code
WHERE e.status = 'COMPLETED' AND e.program = 'IMET'
GROUP BY ALL ORDER BY graduates DESC
