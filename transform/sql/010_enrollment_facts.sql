-- Every enrollment that started on or before D, with what the metrics
-- group it by: the student's country, region and sex, the course's category
-- and functional area, its ECL band, and the periods it counts in (its
-- fiscal year, and its quarter when that fiscal year holds D).
CREATE OR REPLACE TABLE enrollment_facts AS
SELECT
    e.enrollment_id,
    e.student_id,
    e.course_code,
    coalesce(e.program, 'IMET') AS program,
    e.fiscal_year,
    e.start_date,
    e.end_date,
    e.status,
    e.rank_code_at_entry,
    e.ecl_score,
    CASE WHEN e.ecl_score IS NULL THEN 'missing'
         WHEN e.ecl_score < 70 THEN '<70'
         WHEN e.ecl_score < 80 THEN '70-79'
         ELSE '>=80' END AS ecl_band,
    e.cost_usd,          -- DECIMAL: sums are exact, so every run gives the same digits
    e.partner_cost_usd,
    e.vetting_status,
    e.vetting_date,
    s.cohort,
    s.country_code,
    c.region,
    s.sex,
    co.category AS course_category,
    co.functional_area AS course_functional_area,
    CASE WHEN fiscal_year_of(e.start_date) = fiscal_year_of(p.d)
         THEN ['FY' || fiscal_year_of(e.start_date),
               'FY' || fiscal_year_of(e.start_date) || 'Q' || fiscal_quarter_of(e.start_date)]
         ELSE ['FY' || fiscal_year_of(e.start_date)] END AS periods
FROM v_enrollments e
CROSS JOIN params p
JOIN v_students s ON s.student_id = e.student_id
LEFT JOIN v_courses co ON co.course_code = e.course_code
LEFT JOIN v_countries c ON c.country_code = s.country_code
WHERE e.start_date <= p.d
