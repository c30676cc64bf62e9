-- E-mail outbox: the Notify activity writes a notification and one row per
-- recipient here in one transaction; the outbox sender (package outbox)
-- delivers them. A row is claimed by setting lease_token and pushing next_at
-- forward by the lease, so a sender that dies mid-batch leaves rows that
-- become due again when the lease runs out, and are resent with the same
-- Message-ID.
CREATE TABLE outbox (
    notification_id text NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    recipient       text NOT NULL,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_at         timestamptz NOT NULL,
    lease_token     text,
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    failed_at       timestamptz,
    PRIMARY KEY (notification_id, recipient)
);
CREATE INDEX outbox_due_idx ON outbox (next_at) WHERE state = 'pending';
CREATE INDEX outbox_failed_idx ON outbox (failed_at DESC) WHERE state = 'failed';
