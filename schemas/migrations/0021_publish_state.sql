-- A publish after a small file updates a copy of the snapshot it last
-- wrote instead of writing every table anew (reports.Publish): the rows of
-- the datasets' keys that batches since wrote, replaced or linked, the
-- model rows of the people the headline transforms since touched, the
-- metric rows of the transforms since, and the small tables whole. These
-- two tables are what it needs to know.
CREATE TABLE publish_state (
    path        VARCHAR NOT NULL,
    bytes       BIGINT NOT NULL,
    modified_ns BIGINT NOT NULL,
    batch_id    BIGINT NOT NULL,
    run_id      BIGINT NOT NULL,
    models_run  BIGINT NOT NULL,
    updates     INTEGER NOT NULL,
    against     VARCHAR NOT NULL
);
COMMENT ON TABLE publish_state IS 'the snapshot last published at each path, as imet wrote it: a later publish updates a copy of it when the file is still that one and the tables and privacy settings are the same';
COMMENT ON COLUMN publish_state.path IS 'the snapshot file';
COMMENT ON COLUMN publish_state.bytes IS 'its size when imet had written it';
COMMENT ON COLUMN publish_state.modified_ns IS 'its modification time when imet had written it, in nanoseconds since 1970';
COMMENT ON COLUMN publish_state.batch_id IS 'the last batch the snapshot holds';
COMMENT ON COLUMN publish_state.run_id IS 'the last transform run the snapshot holds';
COMMENT ON COLUMN publish_state.models_run IS 'the transform run whose models (model_state) the snapshot holds';
COMMENT ON COLUMN publish_state.updates IS 'publishes that updated the file since it was last written whole';
COMMENT ON COLUMN publish_state.against IS 'the fingerprint of the snapshot''s tables, their queries, the privacy settings and the last migration it was written with';

CREATE TABLE model_touched (
    run_id     BIGINT NOT NULL,
    scoped     BOOLEAN NOT NULL,
    student_id VARCHAR
);
COMMENT ON TABLE model_touched IS 'what each headline transform changed in the kept models: one row without a student for the run, and for a scoped update one row for each person whose rows it rebuilt';
COMMENT ON COLUMN model_touched.run_id IS 'the transform run';
COMMENT ON COLUMN model_touched.scoped IS 'true: the run rebuilt the rows of the people listed; false: it rebuilt every row';
COMMENT ON COLUMN model_touched.student_id IS 'a person whose model rows the run rebuilt; empty on the run''s own row';
