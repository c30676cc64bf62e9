-- Drafts of web forms (a submission being written), kept per user and form
-- so a person who loses the connection or closes the tab finds the text
-- again. A draft is deleted when its form is sent.
CREATE TABLE form_drafts (
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key        text        NOT NULL CHECK (length(key) BETWEEN 1 AND 400),
    fields     jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
