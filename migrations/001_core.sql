-- Core entities. Extensions live in public so per-test schemas (which are
-- dropped with CASCADE) never take them along.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE TABLE units (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    parent_code text REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,
    kind        text NOT NULL CHECK (kind IN ('province','department','district','commune','other')),
    email       text NOT NULL DEFAULT '',
    head_email  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_parent_idx ON units (parent_code);

-- History keeps the old shape of the tree: every import that changes a unit
-- records the row as it was.
CREATE TABLE unit_history (
    id          bigserial PRIMARY KEY,
    code        text NOT NULL,
    name        text NOT NULL,
    parent_code text,
    kind        text NOT NULL,
    valid_until timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cycles (
    id          text PRIMARY KEY,
    year        int  NOT NULL,
    owner       text NOT NULL,
    title       text NOT NULL,
    definition  jsonb NOT NULL,
    units       text[] NOT NULL,
    status      text NOT NULL DEFAULT 'running',
    parent_id   text REFERENCES cycles(id),
    started_by  text NOT NULL DEFAULT '',
    started_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tasks (
    cycle_id       text NOT NULL REFERENCES cycles(id),
    unit_code      text NOT NULL,
    kind           text NOT NULL,
    title          text NOT NULL,
    status         text NOT NULL,
    due            timestamptz NOT NULL,
    submitted_at   timestamptz,
    decided_at     timestamptz,
    reminders_sent int  NOT NULL DEFAULT 0,
    escalated      bool NOT NULL DEFAULT false,
    extensions     int  NOT NULL DEFAULT 0,
    return_reason  text NOT NULL DEFAULT '',
    version        bigint NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cycle_id, unit_code, kind)
);
CREATE INDEX tasks_unit_idx ON tasks (unit_code);
CREATE INDEX tasks_status_due_idx ON tasks (status, due);

CREATE TABLE submissions (
    cycle_id     text NOT NULL,
    unit_code    text NOT NULL,
    kind         text NOT NULL,
    seq          int  NOT NULL,
    number       text NOT NULL DEFAULT '',
    date         date,
    title        text NOT NULL DEFAULT '',
    body         text NOT NULL,
    submitted_by text NOT NULL DEFAULT '',
    submitted_at timestamptz NOT NULL,
    PRIMARY KEY (cycle_id, unit_code, kind, seq)
);

CREATE TABLE notifications (
    id         text PRIMARY KEY,
    cycle_id   text NOT NULL,
    unit_code  text NOT NULL,
    task_kind  text NOT NULL,
    kind       text NOT NULL,
    recipient  text NOT NULL DEFAULT '',
    subject    text NOT NULL,
    body       text NOT NULL,
    due        timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    emailed_at timestamptz,
    read_at    timestamptz
);
CREATE INDEX notifications_unit_idx ON notifications (unit_code, created_at DESC);
CREATE INDEX notifications_cycle_idx ON notifications (cycle_id, created_at DESC);

CREATE TABLE users (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL,
    email      text NOT NULL DEFAULT '',
    role       text NOT NULL CHECK (role IN ('admin','officer','inspector','reader')),
    unit_code  text REFERENCES units(code),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Only a hash of each token is kept: a leaked database leaks no credential.
CREATE TABLE tokens (
    hash       bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
    id       bigserial PRIMARY KEY,
    key      text NOT NULL UNIQUE,
    at       timestamptz NOT NULL,
    actor    text NOT NULL,
    action   text NOT NULL,
    cycle_id text NOT NULL DEFAULT '',
    unit     text NOT NULL DEFAULT '',
    detail   jsonb
);
CREATE INDEX audit_log_cycle_idx ON audit_log (cycle_id, at);
