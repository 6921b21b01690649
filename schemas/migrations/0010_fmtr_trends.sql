-- The Foreign Military Training Report across every loaded report year:
-- one row per fiscal year, region, country and program, for the trends the
-- quarterly report draws and the congressional workbook's FMTR by year
-- sheet lays out. Columns and words live here (COMMENT ON); the snapshot
-- and the lake carry them.
CREATE VIEW fmtr_trends AS
WITH acts AS (
    SELECT fiscal_year, country_code, program,
           sum(quantity) AS sessions,
           sum(cost_usd) AS dollars,
           count(*) AS activities
    FROM fmtr_activities
    GROUP BY ALL
), rec AS (
    -- a group reconciles when its activities reproduce the printed total;
    -- any value beginning with 'matches' (e.g. 'matches (rounded)') counts
    SELECT fiscal_year, country_code, program,
           coalesce(sum(cost_usd) FILTER (WHERE reconciliation LIKE 'matches%'), 0) AS reconciled_dollars,
           count(*) AS groups,
           count(*) FILTER (WHERE reconciliation LIKE 'matches%') AS groups_matching,
           count(*) FILTER (WHERE reconciliation = 'no_printed_total') AS groups_without_total
    FROM fmtr_reconciliation
    GROUP BY ALL
)
SELECT a.fiscal_year, c.region, a.country_code, c.country_name, a.program,
       a.sessions, a.dollars, a.activities,
       coalesce(r.reconciled_dollars, 0) AS reconciled_dollars,
       CAST(coalesce(r.reconciled_dollars, 0) AS DOUBLE) / nullif(CAST(a.dollars AS DOUBLE), 0) AS reconciled_share,
       CASE WHEN r.groups IS NULL OR r.groups_without_total = r.groups THEN 'no_printed_total'
            WHEN r.groups_matching = r.groups THEN 'matches'
            WHEN r.groups_matching + r.groups_without_total = r.groups THEN 'no_printed_total'
            ELSE 'differs' END AS reconciliation
FROM acts a
LEFT JOIN rec r USING (fiscal_year, country_code, program)
LEFT JOIN countries c ON c.country_code = a.country_code;

COMMENT ON VIEW fmtr_trends IS 'The Foreign Military Training Report across every loaded report year (data: Security Force Monitor, MIT licence): per fiscal year, region, country and program, the training sessions, dollars and activities, and how much of the dollars reconcile with the printed totals. The report counts training sessions, not people: one person trained twice counts twice. See docs/fmtr.md.';
COMMENT ON COLUMN fmtr_trends.fiscal_year IS 'the report''s fiscal year (FY N runs 1 October N-1 to 30 September N)';
COMMENT ON COLUMN fmtr_trends.region IS 'State Department regional bureau of the country (AF, EAP, EUR, NEA, SCA, WHA), from the countries table';
COMMENT ON COLUMN fmtr_trends.country_code IS 'the trained country, ISO 3166-1 alpha-3';
COMMENT ON COLUMN fmtr_trends.country_name IS 'the country''s name in the countries table';
COMMENT ON COLUMN fmtr_trends.program IS 'the program, normalised (IMET, FMF, CTFP, …; docs/fmtr.md); IMET sums its sub-programs IMET-1, IMET-2 and IMET-X';
COMMENT ON COLUMN fmtr_trends.sessions IS 'training sessions: the summed quantity of the activities (the report counts a person once per activity, so this is not a count of people)';
COMMENT ON COLUMN fmtr_trends.dollars IS 'summed cost of the activities in U.S. dollars';
COMMENT ON COLUMN fmtr_trends.activities IS 'activity rows of the report';
COMMENT ON COLUMN fmtr_trends.reconciled_dollars IS 'dollars of the groups (report, sub-program) whose activities reproduce the printed total (fmtr_reconciliation.reconciliation beginning with matches)';
COMMENT ON COLUMN fmtr_trends.reconciled_share IS 'reconciled_dollars / dollars, 0 to 1; empty when dollars is 0';
COMMENT ON COLUMN fmtr_trends.reconciliation IS 'matches (every group reproduces its printed total), differs (some group has a total it does not reproduce) or no_printed_total (the rest have no printed total: the FY2002 and FY2005 reports print none)';
