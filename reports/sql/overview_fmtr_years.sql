-- Per loaded Foreign Military Training Report year: the printed
-- country/program totals, how many the activities reproduce, the dollars,
-- and the report's rows set aside in quarantine (all years together).
SELECT fiscal_year,
       count(*) FILTER (WHERE printed_quantity IS NOT NULL) AS printed_totals,
       count(*) FILTER (WHERE reconciliation LIKE 'matches%') AS reproduced,
       coalesce(sum(cost_usd), 0) AS dollars,
       (SELECT count(*) FROM quarantine WHERE dataset = 'fmtr_activities') AS quarantined
FROM fmtr_reconciliation GROUP BY fiscal_year ORDER BY fiscal_year
