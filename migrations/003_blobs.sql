-- Content-addressed bytes: submission texts, uploaded files and structured
-- forms are written here before anything refers to them (claim check), so a
-- workflow, an activity input or a history never carries a body. Rows no
-- table refers to any more are removed by the sweeper after a grace period.
CREATE TABLE blobs (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size       bigint NOT NULL CHECK (size >= 0),
    media_type text NOT NULL DEFAULT 'application/octet-stream',
    data       bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
