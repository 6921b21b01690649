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
    CASE WHEN fiscal_year_of(e.start_date) = fiscal_year_of(period_end())
         THEN ['FY' || fiscal_year_of(e.start_date),
               'FY' || fiscal_year_of(e.start_date) || 'Q' || fiscal_quarter_of(e.start_date)]
         ELSE ['FY' || fiscal_year_of(e.start_date)] END AS periods
FROM v_enrollments e
JOIN v_students s ON s.student_id = e.student_id
LEFT JOIN v_courses co ON co.course_code = e.course_code
LEFT JOIN v_countries c ON c.country_code = s.country_code
WHERE e.start_date <= period_end();

-- The words the snapshot and docs carry for the columns this model makes
-- or means otherwise; the rest keep the words of the same column in the
-- models before it (transform.inheritComments).
COMMENT ON COLUMN enrollment_facts.enrollment_id IS 'the enrollment''s identifier';
COMMENT ON COLUMN enrollment_facts.student_id IS 'the student''s stable identifier (pseudonymous: names are not published)';
COMMENT ON COLUMN enrollment_facts.course_code IS 'the course (MASL identifier or local code)';
COMMENT ON COLUMN enrollment_facts.program IS 'funding program (IMET, FMS, CTFP, NATO, UN, OTHER)';
COMMENT ON COLUMN enrollment_facts.fiscal_year IS 'U.S. fiscal year (FY N runs 1 October N-1 to 30 September N)';
COMMENT ON COLUMN enrollment_facts.start_date IS 'the course''s start date';
COMMENT ON COLUMN enrollment_facts.end_date IS 'the course''s end date';
COMMENT ON COLUMN enrollment_facts.status IS 'the enrollment''s status';
COMMENT ON COLUMN enrollment_facts.rank_code_at_entry IS 'NATO rank code at the start of the course';
COMMENT ON COLUMN enrollment_facts.ecl_score IS 'English Comprehension Level test score (0..100)';
COMMENT ON COLUMN enrollment_facts.ecl_band IS 'English test band: <70, 70-79, >=80 or missing';
COMMENT ON COLUMN enrollment_facts.cost_usd IS 'U.S. cost of the enrollment in dollars';
COMMENT ON COLUMN enrollment_facts.partner_cost_usd IS 'cost borne by the partner nation in dollars';
COMMENT ON COLUMN enrollment_facts.vetting_status IS 'human-rights (Leahy) vetting: APPROVED, DENIED, PENDING or NOT_REQUIRED';
COMMENT ON COLUMN enrollment_facts.vetting_date IS 'date of the vetting decision';
COMMENT ON COLUMN enrollment_facts.cohort IS 'PARTICIPANT (attended) or COMPARISON (a peer supplied by the partner nation who did not)';
COMMENT ON COLUMN enrollment_facts.country_code IS 'the student''s country, ISO 3166-1 alpha-3';
COMMENT ON COLUMN enrollment_facts.region IS 'region of the student''s country';
COMMENT ON COLUMN enrollment_facts.sex IS 'F, M, X or U';
COMMENT ON COLUMN enrollment_facts.course_category IS 'category of the index enrollment''s course (PME, TECHNICAL, ELT, EIMET, MTT, OTHER)';
COMMENT ON COLUMN enrollment_facts.course_functional_area IS 'functional area of the course';
COMMENT ON COLUMN enrollment_facts.periods IS 'the periods the enrollment counts in: its fiscal year, and its quarter when that year holds D';
