-- The metrics engine's tables (transform/) and the small macros its models
-- share. The models' own tables (enrollment_facts, people, outcomes, …) are
-- rebuilt by every transform and are not created here.

-- Position of a NATO rank code in the comparison order, the SQL twin of
-- schemas.RankOrder: OR-1..OR-9 = 1..9, WO-1..WO-5 = 10..14, OF-1..OF-10 =
-- 15..24; CIV, NULL or anything else = 0 (no order).
CREATE MACRO rank_order(code) AS CASE
    WHEN code IN ('OR-1','OR-2','OR-3','OR-4','OR-5','OR-6','OR-7','OR-8','OR-9')
        THEN CAST(substr(code, 4) AS INTEGER)
    WHEN code IN ('WO-1','WO-2','WO-3','WO-4','WO-5')
        THEN 9 + CAST(substr(code, 4) AS INTEGER)
    WHEN code IN ('OF-1','OF-2','OF-3','OF-4','OF-5','OF-6','OF-7','OF-8','OF-9','OF-10')
        THEN 14 + CAST(substr(code, 4) AS INTEGER)
    ELSE 0 END;

-- U.S. fiscal year N runs 1 October N-1 to 30 September N; quarter 1 is
-- October to December.
CREATE MACRO fiscal_year_of(d) AS year(d) + CASE WHEN month(d) >= 10 THEN 1 ELSE 0 END;
CREATE MACRO fiscal_quarter_of(d) AS ((month(d) + 2) % 12) // 3 + 1;

-- One long table of every published number (metrics.md, "Output shape").
-- A transform replaces the rows of its own (as_of, vintage).
CREATE TABLE metric_values (
    metric_id         VARCHAR NOT NULL,
    period            VARCHAR NOT NULL,  -- ALL, FY2025, FY2026Q3
    graduation_cohort VARCHAR NOT NULL,  -- ALL or FY of the index date, e.g. FY2015
    cohort            VARCHAR NOT NULL,  -- ALL, PARTICIPANT, COMPARISON
    program           VARCHAR NOT NULL,
    region            VARCHAR NOT NULL,
    country_code      VARCHAR NOT NULL,
    course_category   VARCHAR NOT NULL,
    sex               VARCHAR NOT NULL,
    ecl_band          VARCHAR NOT NULL,
    n                 BIGINT,            -- population size
    events            BIGINT,            -- events observed (time-to-event metrics)
    numerator         DOUBLE,
    denominator       DOUBLE,
    value             DOUBLE,            -- unrounded
    ci_low            DOUBLE,
    ci_high           DOUBLE,
    p_value           DOUBLE,
    suppressed        BOOLEAN NOT NULL DEFAULT false, -- set by Congress-facing exports only
    note              VARCHAR,           -- insufficient follow-up, immature cohort, small n, …
    as_of             DATE NOT NULL,     -- D, the period end
    vintage           BIGINT NOT NULL    -- the last batch whose data was used
);

-- One row per transform: what it was asked, what it used, how long each step took.
CREATE TABLE transform_runs (
    run_id       BIGINT PRIMARY KEY,
    as_of        DATE NOT NULL,
    vintage      BIGINT NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP NOT NULL,
    metric_rows  BIGINT NOT NULL,
    settings     VARCHAR NOT NULL,  -- JSON: thresholds the run used
    steps        VARCHAR NOT NULL   -- JSON list of {step, seconds, rows}
);
