-- The unit's work itself: "Dân vận khéo" models and their reviews, mid-year
-- and annual reports with sections and figures, the report catalogue a
-- province may replace, drafts of any submission and attachments.

-- A catalogue version is kept for as long as a report refers to it, so an
-- old report is always read with the rules it was checked against.
CREATE TABLE report_catalogues (
    version     text PRIMARY KEY,
    body        jsonb NOT NULL,
    active      bool NOT NULL DEFAULT false,
    imported_by text NOT NULL DEFAULT '',
    imported_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX report_catalogues_one_active ON report_catalogues (active) WHERE active;

CREATE TABLE models (
    id          bigserial PRIMARY KEY,
    cycle_id    text NOT NULL REFERENCES cycles(id),
    unit_code   text NOT NULL REFERENCES units(code),
    year        int  NOT NULL,
    name        text NOT NULL,
    field       text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('mo_hinh','dien_hinh')),
    status      text NOT NULL CHECK (status IN ('registered','implementing','interim_review','final_review',
                    'recognised','typical','replicated','commended','not_recognised')),
    -- The registration as the unit wrote it (every field of the form).
    body        jsonb NOT NULL,
    result_note text NOT NULL DEFAULT '',
    -- A model running several years is carried into the next cycle: the
    -- new row names the one it continues.
    continues_id bigint REFERENCES models(id),
    created_by  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX models_cycle_unit_idx ON models (cycle_id, unit_code);
CREATE INDEX models_filter_idx ON models (year, field, status);

CREATE TABLE model_reviews (
    id          bigserial PRIMARY KEY,
    model_id    bigint NOT NULL REFERENCES models(id),
    stage       text NOT NULL CHECK (stage IN ('interim','final')),
    body        jsonb NOT NULL,
    created_by  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (model_id, stage)
);

CREATE TABLE reports (
    id                bigserial PRIMARY KEY,
    cycle_id          text NOT NULL REFERENCES cycles(id),
    unit_code         text NOT NULL REFERENCES units(code),
    kind              text NOT NULL CHECK (kind IN ('midyear_report','annual_report')),
    year              int  NOT NULL,
    number            text NOT NULL DEFAULT '',
    date              date,
    title             text NOT NULL,
    sections          jsonb NOT NULL,
    figures           jsonb NOT NULL,
    citations         jsonb NOT NULL DEFAULT '[]',
    catalogue_version text NOT NULL REFERENCES report_catalogues(version),
    submitted_by      text NOT NULL DEFAULT '',
    submitted_at      timestamptz NOT NULL DEFAULT now(),
    -- One report per unit, kind and cycle; submitting again replaces it
    -- (after a return for completion).
    UNIQUE (cycle_id, unit_code, kind)
);
CREATE INDEX reports_unit_kind_idx ON reports (unit_code, kind, year);

CREATE TABLE drafts (
    id          bigserial PRIMARY KEY,
    cycle_id    text NOT NULL REFERENCES cycles(id),
    unit_code   text NOT NULL REFERENCES units(code),
    kind        text NOT NULL,
    body        jsonb NOT NULL,
    saved_by    text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX drafts_unit_idx ON drafts (unit_code, cycle_id);

-- A unit's plan as submitted, with what the automatic reading found for
-- the reviewer: its citations, whether it cites the parent plan, and the
-- warnings (no citation of the parent, dated after the deadline or before
-- the parent plan). Its text also goes to the task (and the registry).
CREATE TABLE unit_plans (
    id           bigserial PRIMARY KEY,
    cycle_id     text NOT NULL REFERENCES cycles(id),
    unit_code    text NOT NULL REFERENCES units(code),
    number       text NOT NULL DEFAULT '',
    date         date,
    issuer       text NOT NULL DEFAULT '',
    title        text NOT NULL DEFAULT '',
    body         text NOT NULL,
    citations    jsonb NOT NULL DEFAULT '[]',
    cites_parent bool NOT NULL,
    warnings     jsonb NOT NULL DEFAULT '[]',
    submitted_by text NOT NULL DEFAULT '',
    submitted_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cycle_id, unit_code)
);

-- An attachment belongs to exactly one report, model, plan or draft; its bytes
-- are in blobs (stored once per content).
CREATE TABLE attachments (
    id          bigserial PRIMARY KEY,
    unit_code   text NOT NULL REFERENCES units(code),
    report_id   bigint REFERENCES reports(id) ON DELETE CASCADE,
    model_id    bigint REFERENCES models(id) ON DELETE CASCADE,
    draft_id    bigint REFERENCES drafts(id) ON DELETE CASCADE,
    plan_id     bigint REFERENCES unit_plans(id) ON DELETE CASCADE,
    sha256      text NOT NULL REFERENCES blobs(sha256),
    name        text NOT NULL,
    media_type  text NOT NULL,
    size        bigint NOT NULL CHECK (size >= 0),
    -- Text extracted for citations and search; '' when the format has none.
    text        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(report_id, model_id, draft_id, plan_id) = 1)
);
CREATE INDEX attachments_report_idx ON attachments (report_id);
CREATE INDEX attachments_model_idx ON attachments (model_id);
CREATE INDEX attachments_draft_idx ON attachments (draft_id);
CREATE INDEX attachments_plan_idx ON attachments (plan_id);
