-- Accounts: logins with argon2id password hashes, several units per
-- officer, expiring and revocable personal API tokens, server-side
-- sessions, failed sign-in counters and per-user notification reads.

ALTER TABLE users
    ADD COLUMN login         text,
    ADD COLUMN password_hash text NOT NULL DEFAULT '',
    ADD COLUMN disabled_at   timestamptz,
    ADD COLUMN updated_at    timestamptz NOT NULL DEFAULT now();
UPDATE users SET login = 'user' || id WHERE login IS NULL;
ALTER TABLE users ALTER COLUMN login SET NOT NULL;
CREATE UNIQUE INDEX users_login_key ON users (login);

CREATE TABLE user_units (
    user_id   bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_code text   NOT NULL REFERENCES units(code),
    PRIMARY KEY (user_id, unit_code)
);
INSERT INTO user_units (user_id, unit_code) SELECT id, unit_code FROM users WHERE unit_code IS NOT NULL;

-- Existing tokens keep working (no expiry) until revoked.
ALTER TABLE tokens
    ADD COLUMN id           bigserial,
    ADD COLUMN prefix       text NOT NULL DEFAULT '',
    ADD COLUMN expires_at   timestamptz,
    ADD COLUMN revoked_at   timestamptz,
    ADD COLUMN last_used_at timestamptz;
CREATE INDEX tokens_user_idx ON tokens (user_id);

-- Only a hash of the session id is kept, like tokens.
CREATE TABLE sessions (
    hash       bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       text NOT NULL,
    client     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failed sign-ins per key ("login:NAME", "addr:IP"), shared by every
-- server process.
CREATE TABLE login_failures (
    key           text PRIMARY KEY,
    failures      integer NOT NULL,
    last_at       timestamptz NOT NULL,
    blocked_until timestamptz
);

CREATE TABLE notification_reads (
    notification_id text   NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    user_id         bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    read_at         timestamptz NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);

ALTER TABLE audit_log
    ADD COLUMN user_id bigint,
    ADD COLUMN client  text NOT NULL DEFAULT '',
    ADD COLUMN before  jsonb,
    ADD COLUMN after   jsonb;
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
