-- Kaplan-Meier curves of each time-to-event outcome, whole population, by
-- cohort: what the quarterly report draws. Replaced per (as_of, vintage)
-- like metric_values.
CREATE TABLE km_curves (
    outcome   VARCHAR NOT NULL,  -- LEAD_RANK, LEAD_POS, PROMO, RETAIN, INTEROP
    cohort    VARCHAR NOT NULL,  -- PARTICIPANT, COMPARISON
    time      DOUBLE NOT NULL,   -- days since the index date
    n_risk    BIGINT NOT NULL,
    n_event   BIGINT NOT NULL,
    n_censor  BIGINT NOT NULL,
    surv      DOUBLE,            -- S(time)
    ci_low    DOUBLE,            -- log-scale 95% limits of S
    ci_high   DOUBLE,
    as_of     DATE NOT NULL,
    vintage   BIGINT NOT NULL
);

-- The data-quality figures of each transform (model 090), kept per
-- (as_of, vintage) like metric_values so a report can be reproduced.
CREATE TABLE data_quality (
    topic       VARCHAR NOT NULL,  -- linking, quarantine, freshness
    dataset     VARCHAR,
    key         VARCHAR,
    rows        BIGINT,
    share       DOUBLE,
    latest_date DATE,
    latest_load TIMESTAMP,
    as_of       DATE NOT NULL,
    vintage     BIGINT NOT NULL
);
