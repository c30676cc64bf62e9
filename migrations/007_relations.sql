-- Validity and ownership of registry documents (issues 12 and 8).
--
-- Validity: what texts say about other documents' force ("thay thế",
-- "bãi bỏ", "hết hiệu lực", "sửa đổi, bổ sung", "nay là"), one row per
-- statement with the sentence that said it. documents.status is derived
-- from these rows (see store.recountStatus) and falls back to
-- stated_status, what an import declared about the document itself.
--
-- Ownership: owner_unit is the unit whose accepted submission the document
-- is ('' for an administrator's import or a document known only from
-- citations). Text of one owner never replaces text of another: a clash
-- becomes a second row and a 'number_clash' anomaly.

ALTER TABLE documents DROP CONSTRAINT IF EXISTS documents_status_check;
ALTER TABLE documents ADD CONSTRAINT documents_status_check
    CHECK (status IN ('in_force','replaced','repealed','expired','amended','unknown'));
ALTER TABLE documents ADD COLUMN stated_status text NOT NULL DEFAULT 'unknown'
    CHECK (stated_status IN ('in_force','replaced','repealed','expired','amended','unknown'));
UPDATE documents SET stated_status = status;
ALTER TABLE documents ADD COLUMN owner_unit text NOT NULL DEFAULT '';
CREATE INDEX documents_owner_unit_idx ON documents (owner_unit) WHERE owner_unit <> '';

-- The issuer as the citing text spelled it at this mention, so a spelling
-- that differs from the registry's (a missing diacritic) can be shown.
ALTER TABLE document_mentions ADD COLUMN issuer_as_written text NOT NULL DEFAULT '';

CREATE TABLE document_validity (
    id                 bigserial PRIMARY KEY,
    -- The document whose text makes the statement; its rows are replaced
    -- together on every import, like its mentions.
    citing_document_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    -- The document whose force the statement is about.
    cited_document_id  bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    -- The document that replaces, repeals or amends it: the citing one, or
    -- another cited in the same sentence ("A đã được thay thế bằng B");
    -- NULL when the text only reports it.
    by_document_id     bigint REFERENCES documents(id) ON DELETE CASCADE,
    kind               text NOT NULL CHECK (kind IN ('thay_the','bai_bo','het_hieu_luc','sua_doi','nay_la')),
    sentence           text NOT NULL,
    span_start         int  NOT NULL DEFAULT 0,
    CHECK (cited_document_id <> citing_document_id)
);
CREATE INDEX document_validity_cited_idx ON document_validity (cited_document_id);
CREATE INDEX document_validity_citing_idx ON document_validity (citing_document_id);
CREATE INDEX document_validity_by_idx ON document_validity (by_document_id);

-- Anomalies the registry itself finds (a number clash between owners) are
-- written in both languages.
ALTER TABLE document_anomalies ADD COLUMN message_vi text NOT NULL DEFAULT '';
CREATE INDEX document_anomalies_cited_idx ON document_anomalies (cited_document_id) WHERE kind = 'number_clash';
