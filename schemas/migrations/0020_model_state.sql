-- The model tables of the warehouse are the headline transform's. A later
-- headline transform of the same fiscal year rebuilds only the rows of the
-- people its new batches or its later D can change, when the models were
-- built against the same settings, model statements and macros; this row
-- says what they were built for (transform.Run).
CREATE TABLE model_state (
    as_of         DATE NOT NULL,
    vintage       BIGINT NOT NULL,
    run_id        BIGINT NOT NULL,
    built_against VARCHAR NOT NULL
);
COMMENT ON TABLE model_state IS 'what the kept model tables (enrollment_facts, career_timeline, rank_observations, people, outcomes) were built for: one row, written by every headline transform';
COMMENT ON COLUMN model_state.as_of IS 'the period end D the models were built for';
COMMENT ON COLUMN model_state.vintage IS 'the last batch whose data the models hold';
COMMENT ON COLUMN model_state.run_id IS 'the transform run that last wrote the models';
COMMENT ON COLUMN model_state.built_against IS 'the lead rank, the fingerprint of the model statements and the last migration the models were built with';
