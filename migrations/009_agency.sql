-- The standing agency's work: criteria sets, the set each cycle uses,
-- inspections with their records and corrective actions, score sheets.

-- A criteria set is data, one per province and year; importing the same
-- province and year again adds a version, and the newest is the one a cycle
-- gets unless it names a version.
CREATE TABLE criteria_sets (
    province    text NOT NULL,
    year        int  NOT NULL,
    version     int  NOT NULL CHECK (version >= 1),
    set_id      text NOT NULL,
    example     bool NOT NULL DEFAULT false,
    body        jsonb NOT NULL,
    imported_by text NOT NULL DEFAULT '',
    imported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (province, year, version)
);
CREATE INDEX criteria_sets_id_idx ON criteria_sets (set_id, version DESC);

CREATE TABLE cycle_criteria (
    cycle_id text PRIMARY KEY REFERENCES cycles(id),
    province text NOT NULL,
    year     int  NOT NULL,
    version  int  NOT NULL,
    FOREIGN KEY (province, year, version) REFERENCES criteria_sets (province, year, version)
);

CREATE TABLE inspections (
    id         bigserial PRIMARY KEY,
    cycle_id   text NOT NULL REFERENCES cycles(id),
    kind       text NOT NULL CHECK (kind IN ('inspection','self_inspection')),
    plan       jsonb NOT NULL,
    status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
    created_by text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    closed_at  timestamptz
);
CREATE INDEX inspections_cycle_idx ON inspections (cycle_id);

-- One row per inspected unit, so a unit's officer finds its inspections by
-- an index rather than by reading every plan.
CREATE TABLE inspection_units (
    inspection_id bigint NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    unit_code     text NOT NULL,
    visit_date    date NOT NULL,
    PRIMARY KEY (inspection_id, unit_code)
);
CREATE INDEX inspection_units_unit_idx ON inspection_units (unit_code);

CREATE TABLE inspection_records (
    inspection_id bigint NOT NULL,
    unit_code     text NOT NULL,
    record        jsonb NOT NULL,
    recorded_by   text NOT NULL DEFAULT '',
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (inspection_id, unit_code),
    FOREIGN KEY (inspection_id, unit_code) REFERENCES inspection_units (inspection_id, unit_code)
);

-- A corrective action's answer, acceptance and reminders live in its
-- inspection_response task (a cycle of one task); the row links the two.
CREATE TABLE inspection_actions (
    inspection_id bigint NOT NULL,
    unit_code     text NOT NULL,
    seq           int  NOT NULL CHECK (seq >= 1),
    text          text NOT NULL,
    due           date NOT NULL,
    task_cycle    text NOT NULL UNIQUE,
    PRIMARY KEY (inspection_id, unit_code, seq),
    FOREIGN KEY (inspection_id, unit_code) REFERENCES inspection_records (inspection_id, unit_code)
);

CREATE TABLE score_sheets (
    cycle_id  text NOT NULL REFERENCES cycles(id),
    unit_code text NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('self','appraisal')),
    sheet     jsonb NOT NULL,
    saved_by  text NOT NULL DEFAULT '',
    saved_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cycle_id, unit_code, kind)
);
