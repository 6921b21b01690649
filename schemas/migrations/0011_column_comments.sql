-- Column comments of the warehouse's own tables and views: the words the
-- published snapshot, the lake manifest and docs/schema.md carry for each
-- column (read back from the catalog, duckdb_columns().comment). The input
-- contract's tables are commented from the contract (schemas/contract.go)
-- and each model's table by its model SQL (transform/sql/). A view that a
-- later migration replaces must be commented again there.

COMMENT ON COLUMN batches.batch_id IS 'the batch (one file load)';
COMMENT ON COLUMN batches.started_at IS 'when it started (UTC)';
COMMENT ON COLUMN batches.finished_at IS 'when it finished (UTC)';
COMMENT ON COLUMN batches.dataset IS 'the dataset (input file kind)';
COMMENT ON COLUMN batches.file IS 'the file name';
COMMENT ON COLUMN batches.sha256 IS 'the file''s SHA-256';
COMMENT ON COLUMN batches.status IS 'loaded or rejected';
COMMENT ON COLUMN batches.rows_read IS 'data rows read from the file';
COMMENT ON COLUMN batches.loaded IS 'rows with new keys';
COMMENT ON COLUMN batches.replaced IS 'rows that replaced an earlier version of their key';
COMMENT ON COLUMN batches.unchanged IS 'rows sent again with the same content';
COMMENT ON COLUMN batches.quarantined IS 'rows set aside in quarantine';
COMMENT ON COLUMN batches.message IS 'what happened, in words';

COMMENT ON COLUMN files.sha256 IS 'the file''s SHA-256';
COMMENT ON COLUMN files.file IS 'the file name';
COMMENT ON COLUMN files.dataset IS 'the dataset (input file kind)';
COMMENT ON COLUMN files.bytes IS 'file size';
COMMENT ON COLUMN files.batch_id IS 'the batch (one file load)';
COMMENT ON COLUMN files.loaded_at IS 'when it was loaded (UTC)';

COMMENT ON COLUMN quarantine.batch_id IS 'the batch (one file load)';
COMMENT ON COLUMN quarantine.file IS 'the file name';
COMMENT ON COLUMN quarantine.line IS 'line (CSV, NDJSON) or row (Parquet, XLSX) in the file';
COMMENT ON COLUMN quarantine.dataset IS 'the dataset (input file kind)';
COMMENT ON COLUMN quarantine.column_name IS 'the column at fault';
COMMENT ON COLUMN quarantine.value IS 'the value at fault (blank for personal columns unless include_personal)';
COMMENT ON COLUMN quarantine.rule IS 'the rule broken (see docs/schema.md, Quarantine rules)';
COMMENT ON COLUMN quarantine.reason IS 'why, in words, and what to do';
COMMENT ON COLUMN quarantine.raw IS 'the row as read, JSON (published only with include_personal)';
COMMENT ON COLUMN quarantine.quarantined_at IS 'when it was set aside (UTC)';
COMMENT ON COLUMN quarantine.record_key IS 'the row''s key as text, when it has one';
COMMENT ON COLUMN quarantine.resolved_by IS 'the batch that loaded a valid row with the same key';

COMMENT ON COLUMN link_review.dataset IS 'the dataset (input file kind)';
COMMENT ON COLUMN link_review.record_id IS 'the career event or flag''s identifier';
COMMENT ON COLUMN link_review.batch_id IS 'the batch (one file load)';
COMMENT ON COLUMN link_review.checked_batch IS 'the last batch that tried to link it';
COMMENT ON COLUMN link_review.status IS 'unmatched or ambiguous';
COMMENT ON COLUMN link_review.reason IS 'why, in words, and what to do';
COMMENT ON COLUMN link_review.candidates IS 'JSON list of {student_id, score}, best first';

COMMENT ON COLUMN metric_values.metric_id IS 'the metric (docs/metrics.md, ''imet metrics list'')';
COMMENT ON COLUMN metric_values.period IS 'ALL (measured as of D), a fiscal year (FY2025) or a quarter (FY2026Q3)';
COMMENT ON COLUMN metric_values.graduation_cohort IS 'ALL or the graduation cohort the row is about';
COMMENT ON COLUMN metric_values.cohort IS 'ALL, PARTICIPANT or COMPARISON';
COMMENT ON COLUMN metric_values.program IS 'ALL or the program the row is about';
COMMENT ON COLUMN metric_values.region IS 'ALL or the region the row is about';
COMMENT ON COLUMN metric_values.country_code IS 'ALL or the country the row is about';
COMMENT ON COLUMN metric_values.course_category IS 'ALL or the course category the row is about';
COMMENT ON COLUMN metric_values.sex IS 'ALL or the sex the row is about';
COMMENT ON COLUMN metric_values.ecl_band IS 'ALL or the English test band the row is about';
COMMENT ON COLUMN metric_values.n IS 'population size';
COMMENT ON COLUMN metric_values.events IS 'events observed (time-to-event metrics, flags)';
COMMENT ON COLUMN metric_values.numerator IS 'numerator of a proportion, rate or ratio';
COMMENT ON COLUMN metric_values.denominator IS 'denominator (for rates: person-years)';
COMMENT ON COLUMN metric_values.value IS 'the estimate, unrounded';
COMMENT ON COLUMN metric_values.ci_low IS 'lower 95% confidence limit';
COMMENT ON COLUMN metric_values.ci_high IS 'upper 95% confidence limit';
COMMENT ON COLUMN metric_values.p_value IS 'stratified log-rank p-value (LEAD_RANK_HR)';
COMMENT ON COLUMN metric_values.suppressed IS 'set by Congress-facing exports only; always false in the warehouse';
COMMENT ON COLUMN metric_values.note IS 'small n, insufficient follow-up, immature cohort, median not reached, …';
COMMENT ON COLUMN metric_values.as_of IS 'D, the period end of the transform';
COMMENT ON COLUMN metric_values.vintage IS 'the last batch whose data the transform used';

COMMENT ON COLUMN transform_runs.run_id IS 'the transform run';
COMMENT ON COLUMN transform_runs.as_of IS 'D, the period end of the transform';
COMMENT ON COLUMN transform_runs.vintage IS 'the last batch whose data the transform used';
COMMENT ON COLUMN transform_runs.started_at IS 'when it started (UTC)';
COMMENT ON COLUMN transform_runs.finished_at IS 'when it finished (UTC)';
COMMENT ON COLUMN transform_runs.metric_rows IS 'rows written to metric_values';
COMMENT ON COLUMN transform_runs.settings IS 'thresholds the run used (JSON)';
COMMENT ON COLUMN transform_runs.steps IS 'seconds and rows of every model and metric (JSON)';

COMMENT ON COLUMN km_curves.outcome IS 'LEAD_RANK, LEAD_POS, PROMO, RETAIN or INTEROP (see docs/metrics.md)';
COMMENT ON COLUMN km_curves.cohort IS 'PARTICIPANT (attended) or COMPARISON (a peer supplied by the partner nation who did not)';
COMMENT ON COLUMN km_curves.time IS 'days since the index date';
COMMENT ON COLUMN km_curves.n_risk IS 'people still followed just before this time';
COMMENT ON COLUMN km_curves.n_event IS 'events at this time';
COMMENT ON COLUMN km_curves.n_censor IS 'people whose follow-up ended at this time without the event';
COMMENT ON COLUMN km_curves.surv IS 'Kaplan-Meier S(time): the share without the event yet';
COMMENT ON COLUMN km_curves.ci_low IS 'lower log-scale 95% limit of S';
COMMENT ON COLUMN km_curves.ci_high IS 'upper log-scale 95% limit of S';
COMMENT ON COLUMN km_curves.as_of IS 'D, the period end of the transform';
COMMENT ON COLUMN km_curves.vintage IS 'the last batch whose data the transform used';

COMMENT ON COLUMN data_quality.topic IS 'linking, quarantine or freshness';
COMMENT ON COLUMN data_quality.dataset IS 'the dataset (input file kind)';
COMMENT ON COLUMN data_quality.key IS 'link method, quarantine rule, or ''latest''';
COMMENT ON COLUMN data_quality.rows IS 'rows (freshness: files loaded)';
COMMENT ON COLUMN data_quality.share IS 'linking: share of the dataset''s rows; quarantine: share of the dataset''s rows in quarantine (not of all its rows)';
COMMENT ON COLUMN data_quality.latest_date IS 'latest event, enrollment or flag date on or before D';
COMMENT ON COLUMN data_quality.latest_load IS 'when the last file of the dataset was loaded';
COMMENT ON COLUMN data_quality.as_of IS 'D, the period end of the transform';
COMMENT ON COLUMN data_quality.vintage IS 'the last batch whose data the transform used';

COMMENT ON COLUMN fmtr_activities.activity_key IS 'identifies the row across loads: report document, fingerprint of the normalised row and its occurrence among identical rows (or Security Force Monitor''s id)';
COMMENT ON COLUMN fmtr_activities.source IS 'the report''s document number';
COMMENT ON COLUMN fmtr_activities.country_name IS 'the country as the report printed it';
COMMENT ON COLUMN fmtr_activities.country_code IS 'the student''s country, ISO 3166-1 alpha-3';
COMMENT ON COLUMN fmtr_activities.program IS 'the program, normalised (docs/fmtr.md)';
COMMENT ON COLUMN fmtr_activities.sub_program IS 'IMET-1, IMET-2 or IMET-X where printed';
COMMENT ON COLUMN fmtr_activities.fiscal_year IS 'the report''s fiscal year, from the program string';
COMMENT ON COLUMN fmtr_activities.department IS 'DOS, DOD or DHS, as the program string names it';
COMMENT ON COLUMN fmtr_activities.program_text IS 'the program string as printed';
COMMENT ON COLUMN fmtr_activities.course_title IS 'the course or activity as printed';
COMMENT ON COLUMN fmtr_activities.us_unit IS 'the U.S. unit that delivered it';
COMMENT ON COLUMN fmtr_activities.student_unit IS 'the partner unit trained';
COMMENT ON COLUMN fmtr_activities.location IS 'where it took place';
COMMENT ON COLUMN fmtr_activities.start_date IS 'start date';
COMMENT ON COLUMN fmtr_activities.end_date IS 'end date';
COMMENT ON COLUMN fmtr_activities.quantity IS 'number of trainees';
COMMENT ON COLUMN fmtr_activities.cost_usd IS 'cost in U.S. dollars';
COMMENT ON COLUMN fmtr_activities.repairs IS 'repair rules applied to a damaged row (docs/fmtr.md)';
COMMENT ON COLUMN fmtr_activities.warnings IS 'oddities kept as printed';
COMMENT ON COLUMN fmtr_activities._batch_id IS 'the batch (one file load) that wrote this version of the row';
COMMENT ON COLUMN fmtr_activities._file IS 'the source file name';
COMMENT ON COLUMN fmtr_activities._sha256 IS 'the source file''s SHA-256';
COMMENT ON COLUMN fmtr_activities._row IS 'line number (CSV, NDJSON) or row number (Parquet, XLSX) in the source file';

COMMENT ON COLUMN fmtr_totals.total_key IS 'identifies the printed total across loads';
COMMENT ON COLUMN fmtr_totals.source IS 'the report''s document number';
COMMENT ON COLUMN fmtr_totals.country_code IS 'the student''s country, ISO 3166-1 alpha-3';
COMMENT ON COLUMN fmtr_totals.program IS 'the program, normalised (docs/fmtr.md)';
COMMENT ON COLUMN fmtr_totals.sub_program IS 'IMET-1, IMET-2 or IMET-X where printed';
COMMENT ON COLUMN fmtr_totals.fiscal_year IS 'the report''s fiscal year, from the program string';
COMMENT ON COLUMN fmtr_totals.quantity IS 'number of trainees';
COMMENT ON COLUMN fmtr_totals.cost_usd IS 'cost in U.S. dollars';
COMMENT ON COLUMN fmtr_totals._batch_id IS 'the batch (one file load) that wrote this version of the row';
COMMENT ON COLUMN fmtr_totals._file IS 'the source file name';
COMMENT ON COLUMN fmtr_totals._sha256 IS 'the source file''s SHA-256';
COMMENT ON COLUMN fmtr_totals._row IS 'line number (CSV, NDJSON) or row number (Parquet, XLSX) in the source file';

COMMENT ON COLUMN fmtr_reports.batch_id IS 'the batch (one file load)';
COMMENT ON COLUMN fmtr_reports.file IS 'the file name';
COMMENT ON COLUMN fmtr_reports.format IS 'raw-scrape or sfm-final';
COMMENT ON COLUMN fmtr_reports.data_lines IS 'lines (or CSV records) read after the header';
COMMENT ON COLUMN fmtr_reports.records IS 'records: activities + totals + quarantined';
COMMENT ON COLUMN fmtr_reports.activities IS 'activity records in the file';
COMMENT ON COLUMN fmtr_reports.totals IS 'printed total records in the file';
COMMENT ON COLUMN fmtr_reports.quarantined IS 'rows set aside in quarantine';
COMMENT ON COLUMN fmtr_reports.new_rows IS 'activities and totals new to the warehouse';
COMMENT ON COLUMN fmtr_reports.unchanged IS 'rows recognised as loaded already (the same report again)';
COMMENT ON COLUMN fmtr_reports.repairs IS 'JSON: rows repaired, by repair rule (docs/fmtr.md)';

COMMENT ON COLUMN fmtr_reconciliation.source IS 'the report''s document number';
COMMENT ON COLUMN fmtr_reconciliation.country_code IS 'the student''s country, ISO 3166-1 alpha-3';
COMMENT ON COLUMN fmtr_reconciliation.program IS 'the program (docs/fmtr.md)';
COMMENT ON COLUMN fmtr_reconciliation.sub_program IS 'IMET-1, IMET-2 or IMET-X where printed';
COMMENT ON COLUMN fmtr_reconciliation.fiscal_year IS 'the report''s fiscal year';
COMMENT ON COLUMN fmtr_reconciliation.activities IS 'activity rows of the group';
COMMENT ON COLUMN fmtr_reconciliation.quantity IS 'their summed trainees';
COMMENT ON COLUMN fmtr_reconciliation.cost_usd IS 'their summed cost in dollars';
COMMENT ON COLUMN fmtr_reconciliation.printed_quantity IS 'the trainees the report printed as the group''s total';
COMMENT ON COLUMN fmtr_reconciliation.printed_cost_usd IS 'the dollars the report printed as the group''s total';
COMMENT ON COLUMN fmtr_reconciliation.reconciliation IS 'matches, differs or no_printed_total';
COMMENT ON COLUMN fmtr_reconciliation.quantity_difference IS 'printed minus summed trainees';
COMMENT ON COLUMN fmtr_reconciliation.cost_difference IS 'printed minus summed dollars';

COMMENT ON COLUMN fmtr_summary.fiscal_year IS 'the report''s fiscal year';
COMMENT ON COLUMN fmtr_summary.region IS 'State Department regional bureau of the country (AF, EAP, EUR, NEA, SCA, WHA)';
COMMENT ON COLUMN fmtr_summary.country_code IS 'the student''s country, ISO 3166-1 alpha-3';
COMMENT ON COLUMN fmtr_summary.program IS 'the program (docs/fmtr.md)';
COMMENT ON COLUMN fmtr_summary.sub_program IS 'IMET-1, IMET-2 or IMET-X where printed';
COMMENT ON COLUMN fmtr_summary.sessions IS 'training sessions: summed quantity of the activities';
COMMENT ON COLUMN fmtr_summary.course_count IS 'distinct course titles with both a start and an end date';
COMMENT ON COLUMN fmtr_summary.dollar_value IS 'summed cost of the activities in dollars';
COMMENT ON COLUMN fmtr_summary.printed_sessions IS 'the report''s printed total of trainees';
COMMENT ON COLUMN fmtr_summary.printed_dollars IS 'the report''s printed total of dollars';
COMMENT ON COLUMN fmtr_summary.reconciliation IS 'matches, differs or no_printed_total';
COMMENT ON COLUMN fmtr_summary.individual_students IS 'distinct students of the warehouse''s enrollments for that year, country and program, where person-level data exist';
COMMENT ON COLUMN fmtr_summary.note IS 'why a column is empty or how to read it';

COMMENT ON COLUMN fmtr_quality.batch_id IS 'the batch (one file load)';
COMMENT ON COLUMN fmtr_quality.file IS 'the file name';
COMMENT ON COLUMN fmtr_quality.format IS 'raw-scrape or sfm-final';
COMMENT ON COLUMN fmtr_quality.data_lines IS 'lines (or CSV records) read after the header';
COMMENT ON COLUMN fmtr_quality.records IS 'records: activities + totals + quarantined';
COMMENT ON COLUMN fmtr_quality.activities IS 'activity records in the file';
COMMENT ON COLUMN fmtr_quality.totals IS 'printed total records in the file';
COMMENT ON COLUMN fmtr_quality.quarantined IS 'records set aside (see quarantine)';
COMMENT ON COLUMN fmtr_quality.new_rows IS 'activities and totals new to the warehouse';
COMMENT ON COLUMN fmtr_quality.unchanged IS 'rows recognised as loaded already (the same report again)';
COMMENT ON COLUMN fmtr_quality.repairs IS 'JSON: rows repaired, by repair rule (docs/fmtr.md)';
COMMENT ON COLUMN fmtr_quality.quarantined_by_rule IS 'JSON: rows quarantined, by rule';
COMMENT ON COLUMN fmtr_quality.groups_matching IS 'country/program groups whose activities reproduce the printed total';
COMMENT ON COLUMN fmtr_quality.groups_differing IS 'groups whose activities do not';
COMMENT ON COLUMN fmtr_quality.groups_without_total IS 'groups the report printed no total for';
COMMENT ON COLUMN fmtr_quality.dollars_not_reconciled IS 'summed absolute dollar differences of the differing groups';
COMMENT ON COLUMN fmtr_quality.students_not_reconciled IS 'summed absolute trainee differences of the differing groups';

COMMENT ON COLUMN headline_transform.run_id IS 'the headline transform run: the latest period end D transformed, its newest vintage';
COMMENT ON COLUMN headline_transform.as_of IS 'D, the period end of the transform';
COMMENT ON COLUMN headline_transform.vintage IS 'the last batch whose data the transform used';
COMMENT ON COLUMN headline_transform.settings IS 'thresholds the run used (JSON)';

COMMENT ON COLUMN metric_latest.metric_id IS 'the metric (docs/metrics.md, ''imet metrics list'')';
COMMENT ON COLUMN metric_latest.period IS 'ALL (measured as of D), a fiscal year (FY2025) or a quarter (FY2026Q3)';
COMMENT ON COLUMN metric_latest.graduation_cohort IS 'ALL or the graduation cohort the row is about';
COMMENT ON COLUMN metric_latest.cohort IS 'ALL, PARTICIPANT or COMPARISON';
COMMENT ON COLUMN metric_latest.program IS 'ALL or the program the row is about';
COMMENT ON COLUMN metric_latest.region IS 'ALL or the region the row is about';
COMMENT ON COLUMN metric_latest.country_code IS 'ALL or the country the row is about';
COMMENT ON COLUMN metric_latest.course_category IS 'ALL or the course category the row is about';
COMMENT ON COLUMN metric_latest.sex IS 'ALL or the sex the row is about';
COMMENT ON COLUMN metric_latest.ecl_band IS 'ALL or the English test band the row is about';
COMMENT ON COLUMN metric_latest.n IS 'population size';
COMMENT ON COLUMN metric_latest.events IS 'events observed (time-to-event metrics, flags)';
COMMENT ON COLUMN metric_latest.numerator IS 'numerator of a proportion, rate or ratio';
COMMENT ON COLUMN metric_latest.denominator IS 'denominator (for rates: person-years)';
COMMENT ON COLUMN metric_latest.value IS 'the estimate, unrounded';
COMMENT ON COLUMN metric_latest.ci_low IS 'lower 95% confidence limit';
COMMENT ON COLUMN metric_latest.ci_high IS 'upper 95% confidence limit';
COMMENT ON COLUMN metric_latest.p_value IS 'stratified log-rank p-value (LEAD_RANK_HR)';
COMMENT ON COLUMN metric_latest.suppressed IS 'set by Congress-facing exports only; always false in the warehouse';
COMMENT ON COLUMN metric_latest.note IS 'small n, insufficient follow-up, immature cohort, median not reached, …';
COMMENT ON COLUMN metric_latest.as_of IS 'D, the period end of the transform';
COMMENT ON COLUMN metric_latest.vintage IS 'the last batch whose data the transform used';
