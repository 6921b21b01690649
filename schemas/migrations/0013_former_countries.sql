-- Former countries in the built-in reference: Yugoslavia (YUG), Serbia and
-- Montenegro (SCG) and the Netherlands Antilles (ANT), under the alpha-3
-- codes they had in ISO 3166-1 (now in ISO 3166-3), so that the Foreign
-- Military Training Report rows that name them load under them, never split
-- among their successors nor guessed to be one of them. Their rows come from
-- schemas/reference/countries.csv like every built-in row: applying this
-- migration also inserts each built-in country the warehouse does not have
-- yet (schemas/db.go, seedCountries), so a warehouse created before gets
-- them, and one created now (which 0001 seeded with them) is left as it is.

COMMENT ON COLUMN fmtr_activities.country_code IS 'the student''s country, ISO 3166-1 alpha-3; a former country (Yugoslavia, Serbia and Montenegro, the Netherlands Antilles) under its former alpha-3 code (YUG, SCG, ANT)';
COMMENT ON COLUMN fmtr_totals.country_code IS 'the student''s country, ISO 3166-1 alpha-3; a former country (Yugoslavia, Serbia and Montenegro, the Netherlands Antilles) under its former alpha-3 code (YUG, SCG, ANT)';
COMMENT ON COLUMN fmtr_reconciliation.country_code IS 'the student''s country, ISO 3166-1 alpha-3; a former country (Yugoslavia, Serbia and Montenegro, the Netherlands Antilles) under its former alpha-3 code (YUG, SCG, ANT)';
COMMENT ON COLUMN fmtr_summary.country_code IS 'the student''s country, ISO 3166-1 alpha-3; a former country (Yugoslavia, Serbia and Montenegro, the Netherlands Antilles) under its former alpha-3 code (YUG, SCG, ANT)';
COMMENT ON COLUMN fmtr_trends.country_code IS 'the trained country, ISO 3166-1 alpha-3; a former country (Yugoslavia, Serbia and Montenegro, the Netherlands Antilles) under its former alpha-3 code (YUG, SCG, ANT)';
