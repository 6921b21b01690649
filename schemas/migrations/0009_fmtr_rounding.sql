-- The Foreign Military Training Report prints its program totals in whole
-- dollars, while some reports print activity costs with cents: a group
-- whose cost differs from the printed total only by that rounding is
-- 'matches (rounded)', not 'differs' (ingest/fmtr Reconcile applies the
-- same rule). And each loaded file records the warnings and notes of its
-- rows (unknown program names, costs not printed, columns the report
-- never printed), so fmtr_quality says what a load kept as printed.

ALTER TABLE fmtr_reports ADD COLUMN warnings VARCHAR DEFAULT '{}';  -- JSON {rule: rows}: program_unknown, cost_not_printed, date_lost, …
ALTER TABLE fmtr_reports ADD COLUMN notes VARCHAR DEFAULT '[]';     -- JSON [text]: file-level notes (a column the report never printed, …)

-- Activities against printed totals, per report, country, program and
-- fiscal year. matches: quantity and cost to the cent; matches (rounded):
-- quantity exactly, cost to the dollar (the summed cost rounds to the
-- printed total, or the activities' costs rounded one by one add up to it);
-- differs; no_printed_total.
CREATE OR REPLACE VIEW fmtr_reconciliation AS
WITH a AS (
    SELECT source, country_code, program, coalesce(sub_program, '') AS sub_program, fiscal_year,
           count(*) AS activities, sum(quantity) AS quantity, sum(cost_usd) AS cost_usd,
           sum(round(cost_usd)) AS rounded_cost_usd
    FROM fmtr_activities GROUP BY ALL
), t AS (
    SELECT source, country_code, program, coalesce(sub_program, '') AS sub_program, fiscal_year,
           sum(quantity) AS printed_quantity, sum(cost_usd) AS printed_cost_usd
    FROM fmtr_totals GROUP BY ALL
)
SELECT coalesce(a.source, t.source) AS source,
       coalesce(a.country_code, t.country_code) AS country_code,
       coalesce(a.program, t.program) AS program,
       nullif(coalesce(a.sub_program, t.sub_program), '') AS sub_program,
       coalesce(a.fiscal_year, t.fiscal_year) AS fiscal_year,
       coalesce(a.activities, 0) AS activities,
       coalesce(a.quantity, 0) AS quantity,
       coalesce(a.cost_usd, 0) AS cost_usd,
       t.printed_quantity,
       t.printed_cost_usd,
       CASE WHEN t.source IS NULL THEN 'no_printed_total'
            WHEN coalesce(a.quantity, 0) <> t.printed_quantity THEN 'differs'
            WHEN abs(coalesce(a.cost_usd, 0) - t.printed_cost_usd) < 0.005 THEN 'matches'
            WHEN abs(coalesce(a.cost_usd, 0) - t.printed_cost_usd) < 0.5 + 1e-9
              OR abs(coalesce(a.rounded_cost_usd, 0) - t.printed_cost_usd) < 0.005 THEN 'matches (rounded)'
            ELSE 'differs' END AS reconciliation,
       t.printed_quantity - coalesce(a.quantity, 0) AS quantity_difference,
       t.printed_cost_usd - coalesce(a.cost_usd, 0) AS cost_difference
FROM a FULL JOIN t ON a.source = t.source AND a.country_code = t.country_code AND a.program = t.program
    AND a.sub_program = t.sub_program AND a.fiscal_year = t.fiscal_year;

-- The Foreign Military Training Report's own columns, per fiscal year,
-- region, country and program (imet export fmtr). reconciliation: matches
-- when every report's group matches exactly, matches (rounded) when every
-- one matches and some only to the dollar.
CREATE OR REPLACE VIEW fmtr_summary AS
WITH acts AS (
    SELECT fiscal_year, country_code, program, sub_program,
           sum(quantity) AS sessions,
           count(DISTINCT course_title) FILTER (WHERE start_date IS NOT NULL AND end_date IS NOT NULL) AS course_count,
           sum(cost_usd) AS dollar_value
    FROM fmtr_activities GROUP BY ALL
), printed AS (
    SELECT fiscal_year, country_code, program, sub_program,
           sum(printed_quantity) AS printed_sessions, sum(printed_cost_usd) AS printed_dollars,
           CASE WHEN bool_and(reconciliation = 'no_printed_total') THEN 'no_printed_total'
                WHEN bool_and(reconciliation = 'matches') THEN 'matches'
                WHEN bool_and(reconciliation IN ('matches', 'matches (rounded)')) THEN 'matches (rounded)'
                WHEN bool_or(reconciliation = 'no_printed_total') AND NOT bool_or(reconciliation = 'differs') THEN 'no_printed_total'
                ELSE 'differs' END AS reconciliation
    FROM fmtr_reconciliation GROUP BY ALL
), students AS (
    -- person-level data, where the warehouse has it: the report's
    -- "individual students" column, for the program as a whole
    SELECT e.fiscal_year, s.country_code, e.program, count(DISTINCT e.student_id) AS individual_students
    FROM enrollments e JOIN students s USING (student_id)
    WHERE e.status <> 'CANCELLED'
    GROUP BY ALL
)
SELECT a.fiscal_year, c.region, a.country_code, a.program, a.sub_program,
       a.sessions, a.course_count, a.dollar_value,
       p.printed_sessions, p.printed_dollars, p.reconciliation,
       st.individual_students,
       CASE WHEN st.individual_students IS NULL
            THEN 'individual students need person-level data (enrollments): the activity data does not say how many people attended'
            WHEN a.sub_program IS NOT NULL THEN 'individual students are for the program as a whole (all sub-programs)'
       END AS note
FROM acts a
LEFT JOIN printed p ON p.fiscal_year = a.fiscal_year AND p.country_code = a.country_code AND p.program = a.program
    AND coalesce(p.sub_program, '') = coalesce(a.sub_program, '')
LEFT JOIN countries c ON c.country_code = a.country_code
LEFT JOIN students st ON st.fiscal_year = a.fiscal_year AND st.country_code = a.country_code AND st.program = a.program;

-- The data quality of each loaded report: rows read, repaired, quarantined
-- (count, share of the records, by rule), the warnings kept on rows,
-- groups reconciled (groups_matching counts both 'matches' and 'matches
-- (rounded)'; groups_matching_rounded the latter alone), and the amounts
-- that could not be reconciled.
CREATE OR REPLACE VIEW fmtr_quality AS
WITH groups AS (
    SELECT DISTINCT _batch_id AS batch_id, source, country_code, program, coalesce(sub_program, '') AS sub_program, fiscal_year FROM fmtr_activities
    UNION
    SELECT DISTINCT _batch_id, source, country_code, program, coalesce(sub_program, ''), fiscal_year FROM fmtr_totals
), rec AS (
    SELECT g.batch_id,
           count(*) FILTER (WHERE x.reconciliation IN ('matches', 'matches (rounded)')) AS groups_matching,
           count(*) FILTER (WHERE x.reconciliation = 'matches (rounded)') AS groups_matching_rounded,
           count(*) FILTER (WHERE x.reconciliation = 'differs') AS groups_differing,
           count(*) FILTER (WHERE x.reconciliation = 'no_printed_total') AS groups_without_total,
           coalesce(sum(abs(x.cost_difference)) FILTER (WHERE x.reconciliation = 'differs'), 0) AS dollars_not_reconciled,
           coalesce(sum(abs(x.quantity_difference)) FILTER (WHERE x.reconciliation = 'differs'), 0) AS students_not_reconciled
    FROM groups g JOIN fmtr_reconciliation x ON x.source IS NOT DISTINCT FROM g.source AND x.country_code = g.country_code
        AND x.program = g.program AND coalesce(x.sub_program, '') = g.sub_program AND x.fiscal_year = g.fiscal_year
    GROUP BY g.batch_id
), q AS (
    SELECT batch_id, json_group_object(rule, n)::VARCHAR AS quarantined_by_rule
    FROM (SELECT batch_id, rule, count(*) AS n FROM quarantine WHERE dataset = 'fmtr_activities' GROUP BY ALL)
    GROUP BY batch_id
)
SELECT r.batch_id, r.file, r.format, r.data_lines, r.records, r.activities, r.totals, r.quarantined,
       r.new_rows, r.unchanged, r.repairs,
       coalesce(q.quarantined_by_rule, '{}') AS quarantined_by_rule,
       coalesce(rec.groups_matching, 0) AS groups_matching, coalesce(rec.groups_differing, 0) AS groups_differing,
       coalesce(rec.groups_without_total, 0) AS groups_without_total,
       coalesce(rec.dollars_not_reconciled, 0) AS dollars_not_reconciled,
       coalesce(rec.students_not_reconciled, 0) AS students_not_reconciled,
       round(r.quarantined / nullif(r.records, 0), 4) AS quarantined_share,
       coalesce(rec.groups_matching_rounded, 0) AS groups_matching_rounded,
       r.warnings, r.notes
FROM fmtr_reports r
LEFT JOIN rec ON rec.batch_id = r.batch_id
LEFT JOIN q ON q.batch_id = r.batch_id;
