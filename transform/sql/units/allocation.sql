-- ALLOC_EXECUTION: IMET spending of each fiscal year (enrollments by start
-- date) beside the IMET allocation of that year, by country. spent is NULL
-- where an enrollment has no cost_usd (counted by the metric's completeness).
SELECT 'FY' || fiscal_year_of(f.start_date) AS period, 'ALL' AS cohort, f.region, f.country_code,
       f.cost_usd AS spent, 0::DECIMAL(18,2) AS allocated, true AS enrollment
FROM enrollment_facts f
WHERE f.program = 'IMET'
UNION ALL
SELECT 'FY' || a.fiscal_year, 'ALL', c.region, a.country_code, 0, a.allocated_usd, false
FROM v_allocations a
LEFT JOIN v_countries c ON c.country_code = a.country_code
WHERE a.program = 'IMET' AND a.fiscal_year <= fiscal_year_of(period_end())
