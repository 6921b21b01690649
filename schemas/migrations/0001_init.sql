-- The warehouse: one canonical table per input dataset, holding the current
-- version of every valid row with its provenance; a *_history table beside
-- each holding replaced versions and the batch that superseded them; the
-- file ledger, batches, quarantine and link review.
--
-- Keys are enforced by the loader (in-file duplicates are quarantined, a new
-- version replaces the old one in the same transaction), not by PRIMARY KEY
-- constraints: DuckDB checks those eagerly, which breaks delete-then-insert of
-- one key inside a transaction, and the index slows bulk loads.

CREATE TABLE batches (
    batch_id     BIGINT PRIMARY KEY,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    dataset      VARCHAR,
    file         VARCHAR,
    sha256       VARCHAR,
    status       VARCHAR NOT NULL,  -- loaded, rejected
    rows_read    BIGINT,
    loaded       BIGINT,            -- new keys
    replaced     BIGINT,            -- existing keys whose content changed
    unchanged    BIGINT,            -- existing keys sent again with the same content
    quarantined  BIGINT,            -- bad rows
    message      VARCHAR
);

CREATE TABLE files (
    sha256     VARCHAR PRIMARY KEY,
    file       VARCHAR NOT NULL,
    dataset    VARCHAR NOT NULL,
    bytes      BIGINT NOT NULL,
    batch_id   BIGINT NOT NULL,
    loaded_at  TIMESTAMP NOT NULL
);

CREATE TABLE quarantine (
    batch_id       BIGINT NOT NULL,
    file           VARCHAR NOT NULL,
    line           BIGINT,           -- line (CSV, NDJSON) or row (Parquet, XLSX)
    dataset        VARCHAR NOT NULL,
    column_name    VARCHAR,
    value          VARCHAR,
    rule           VARCHAR NOT NULL, -- required, type, allowed, range, date_order, reference, duplicate, formula, linkable, malformed
    reason         VARCHAR NOT NULL,
    raw            VARCHAR,          -- the row as read, JSON
    quarantined_at TIMESTAMP NOT NULL
);

CREATE TABLE link_review (
    dataset       VARCHAR NOT NULL,
    record_id     VARCHAR NOT NULL,
    batch_id      BIGINT NOT NULL,   -- the batch that loaded the record
    checked_batch BIGINT NOT NULL,   -- the last batch that tried to link it
    status        VARCHAR NOT NULL,  -- unmatched, ambiguous
    reason        VARCHAR NOT NULL,
    candidates    VARCHAR            -- JSON list of {student_id, score}, best first
);

CREATE TABLE countries (
    country_code      VARCHAR,
    country_name      VARCHAR,
    region            VARCHAR,
    combatant_command VARCHAR,
    _batch_id BIGINT, _file VARCHAR, _sha256 VARCHAR, _row BIGINT, _row_hash UBIGINT
);

CREATE TABLE courses (
    course_code          VARCHAR,
    course_title         VARCHAR,
    category             VARCHAR,
    school               VARCHAR,
    functional_area      VARCHAR,
    duration_weeks       DECIMAL(18,2),
    human_rights_content BOOLEAN,
    _batch_id BIGINT, _file VARCHAR, _sha256 VARCHAR, _row BIGINT, _row_hash UBIGINT
);

CREATE TABLE students (
    student_id         VARCHAR,
    country_code       VARCHAR,
    family_name        VARCHAR,
    given_names        VARCHAR,
    birth_year         INTEGER,
    sex                VARCHAR,
    service            VARCHAR,
    cohort             VARCHAR,
    index_date         DATE,
    rank_code_at_index VARCHAR,
    _batch_id BIGINT, _file VARCHAR, _sha256 VARCHAR, _row BIGINT, _row_hash UBIGINT
);

CREATE TABLE enrollments (
    enrollment_id      VARCHAR,
    student_id         VARCHAR,
    course_code        VARCHAR,
    program            VARCHAR,
    fiscal_year        INTEGER,
    start_date         DATE,
    end_date           DATE,
    status             VARCHAR,
    rank_at_entry      VARCHAR,
    rank_code_at_entry VARCHAR,
    ecl_score          INTEGER,
    cost_usd           DECIMAL(18,2),
    partner_cost_usd   DECIMAL(18,2),
    vetting_status     VARCHAR,
    vetting_date       DATE,
    _batch_id BIGINT, _file VARCHAR, _sha256 VARCHAR, _row BIGINT, _row_hash UBIGINT
);

-- student_id is the linked student (NULL while the row waits in link_review);
-- source_student_id is what the source sent.
CREATE TABLE career_events (
    event_id        VARCHAR,
    student_id      VARCHAR,
    country_code    VARCHAR,
    family_name     VARCHAR,
    given_names     VARCHAR,
    birth_year      INTEGER,
    event_date      DATE,
    event_type      VARCHAR,
    rank_code       VARCHAR,
    position_title  VARCHAR,
    position_level  VARCHAR,
    functional_area VARCHAR,
    operation_name  VARCHAR,
    operation_type  VARCHAR,
    source          VARCHAR,
    reported_date   DATE,
    _batch_id BIGINT, _file VARCHAR, _sha256 VARCHAR, _row BIGINT, _row_hash UBIGINT,
    source_student_id VARCHAR, link_method VARCHAR, link_score DOUBLE, _link_batch_id BIGINT
);

CREATE TABLE hr_flags (
    flag_id       VARCHAR,
    student_id    VARCHAR,
    country_code  VARCHAR,
    family_name   VARCHAR,
    given_names   VARCHAR,
    birth_year    INTEGER,
    flag_date     DATE,
    severity      VARCHAR,
    status        VARCHAR,
    source        VARCHAR,
    _batch_id BIGINT, _file VARCHAR, _sha256 VARCHAR, _row BIGINT, _row_hash UBIGINT,
    source_student_id VARCHAR, link_method VARCHAR, link_score DOUBLE, _link_batch_id BIGINT
);

CREATE TABLE allocations (
    fiscal_year   INTEGER,
    country_code  VARCHAR,
    program       VARCHAR,
    allocated_usd DECIMAL(18,2),
    _batch_id BIGINT, _file VARCHAR, _sha256 VARCHAR, _row BIGINT, _row_hash UBIGINT
);

-- History tables: the same columns plus the batch that replaced the version.
CREATE TABLE countries_history     AS SELECT *, NULL::BIGINT AS _superseded_by FROM countries     LIMIT 0;
CREATE TABLE courses_history       AS SELECT *, NULL::BIGINT AS _superseded_by FROM courses       LIMIT 0;
CREATE TABLE students_history      AS SELECT *, NULL::BIGINT AS _superseded_by FROM students      LIMIT 0;
CREATE TABLE enrollments_history   AS SELECT *, NULL::BIGINT AS _superseded_by FROM enrollments   LIMIT 0;
CREATE TABLE career_events_history AS SELECT *, NULL::BIGINT AS _superseded_by FROM career_events LIMIT 0;
CREATE TABLE hr_flags_history      AS SELECT *, NULL::BIGINT AS _superseded_by FROM hr_flags      LIMIT 0;
CREATE TABLE allocations_history   AS SELECT *, NULL::BIGINT AS _superseded_by FROM allocations   LIMIT 0;

-- Batch 0 is the built-in reference data shipped with imet.
INSERT INTO batches (batch_id, started_at, finished_at, dataset, file, status, message)
VALUES (0, TIMESTAMP '1970-01-01', TIMESTAMP '1970-01-01', 'countries', 'built-in', 'loaded', 'built-in reference data');
