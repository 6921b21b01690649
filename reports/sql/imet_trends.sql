-- IMET in the Foreign Military Training Report, per fiscal year and
-- country (fmtr_trends), as loaded up to vintage $1: a cell is shown when
-- every batch that wrote its activities is at most $1 (each report file
-- loads as one batch, so a report year appears whole or not at all at a
-- vintage; files loaded again add no rows and keep their batch).
WITH loaded AS (
    SELECT fiscal_year, country_code
    FROM fmtr_activities
    WHERE program = 'IMET'
    GROUP BY ALL
    HAVING max(_batch_id) <= $1
)
SELECT t.fiscal_year,
       coalesce(t.region, '') AS region,
       t.country_code,
       coalesce(t.country_name, t.country_code) AS country_name,
       t.sessions,
       CAST(t.dollars AS DOUBLE) AS dollars,
       CAST(t.reconciled_dollars AS DOUBLE) AS reconciled_dollars,
       t.reconciliation
FROM fmtr_trends t
JOIN loaded l USING (fiscal_year, country_code)
WHERE t.program = 'IMET'
ORDER BY t.fiscal_year, region, t.country_code
