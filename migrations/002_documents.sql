-- Documents registry: every document imported or cited, the places where
-- one cites another, the relations derived from them and the anomalies the
-- extractor reported. The local search backend (search/pgsearch) queries
-- these tables directly, so search stays transactional with the registry.

-- unaccent() is only STABLE (its dictionary could change), so it cannot be
-- used in an index or a generated column. This wrapper pins the dictionary
-- and promises immutability, which holds as long as nobody edits
-- unaccent.rules. It lives in public, next to the extension, so per-test
-- schemas share it and dropping a schema never drops it. translate() makes
-- đ/Đ → d/D explicit rather than trusting every unaccent.rules version.
CREATE OR REPLACE FUNCTION public.danvan_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT translate(public.unaccent('public.unaccent'::regdictionary, $1), 'đĐ', 'dD') $$;

CREATE TABLE documents (
    id          bigserial PRIMARY KEY,
    -- Normalised identity (danvan.DocumentKey): issuer code|number|year, or
    -- |number| while the year is unknown, or name|… for laws cited by name.
    key         text NOT NULL UNIQUE,
    number      text NOT NULL DEFAULT '',
    -- number folded by danvan.NormalizeNumber ("53/kh-ubnd", "04/2015/nd-cp"):
    -- exact and prefix lookups go through it.
    number_norm text NOT NULL DEFAULT '',
    type        text NOT NULL DEFAULT '',
    type_code   text NOT NULL DEFAULT '',
    issuer      text NOT NULL DEFAULT '',
    issuer_code text NOT NULL DEFAULT '',
    date        date,
    year        int,
    subject     text NOT NULL DEFAULT '',
    name        text NOT NULL DEFAULT '',
    status      text NOT NULL DEFAULT 'unknown' CHECK (status IN ('in_force','replaced','unknown')),
    text        text NOT NULL DEFAULT '',
    has_text    bool NOT NULL DEFAULT false,
    source_file text NOT NULL DEFAULT '',
    imported_at timestamptz,
    -- How many distinct documents cite this one; kept by SaveCitations in
    -- the same transaction as the mentions so search never counts.
    cited_by    int  NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    type_fold   text GENERATED ALWAYS AS (lower(public.danvan_unaccent(type_code))) STORED,
    type_name_fold   text GENERATED ALWAYS AS (lower(public.danvan_unaccent(type))) STORED,
    issuer_fold      text GENERATED ALWAYS AS (lower(public.danvan_unaccent(issuer))) STORED,
    issuer_code_fold text GENERATED ALWAYS AS (lower(public.danvan_unaccent(issuer_code))) STORED,
    -- The number's leading digits without zeros ("33/ct-ttg" → "33",
    -- "04/2015/nd-cp" → "4"): "chi thi 33" looks documents up by it.
    number_head text GENERATED ALWAYS AS (ltrim(split_part(split_part(number_norm, '/', 1), '-', 1), '0')) STORED,
    -- The head is small (number split into its parts so "33" matches
    -- 33/CT-TTg, type name and code, subject, issuer): ranking reads only
    -- it, which keeps ts_rank cheap on 100k rows. The body is the full text,
    -- used to match, never to rank.
    head_tsv    tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', public.danvan_unaccent(
            translate(number, '/-.^', '    ') || ' ' || type || ' ' || type_code)), 'A') ||
        setweight(to_tsvector('simple', public.danvan_unaccent(subject || ' ' || name)), 'B') ||
        setweight(to_tsvector('simple', public.danvan_unaccent(issuer || ' ' || issuer_code)), 'C')
    ) STORED,
    body_tsv    tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', public.danvan_unaccent(left(text, 300000)))
    ) STORED,
    CHECK (number <> '' OR name <> '')
);
CREATE INDEX documents_number_norm_idx ON documents (number_norm text_pattern_ops);
CREATE INDEX documents_number_trgm_idx ON documents USING gin (number_norm public.gin_trgm_ops);
CREATE INDEX documents_head_tsv_idx ON documents USING gin (head_tsv);
CREATE INDEX documents_body_tsv_idx ON documents USING gin (body_tsv);
CREATE INDEX documents_type_fold_idx ON documents (type_fold);
CREATE INDEX documents_number_head_idx ON documents (number_head, type_fold);
CREATE INDEX documents_issuer_idx ON documents (issuer_fold);
CREATE INDEX documents_issuer_code_idx ON documents (issuer_code_fold);
CREATE INDEX documents_year_idx ON documents (year);
CREATE INDEX documents_date_idx ON documents (date DESC NULLS LAST, id);

-- One row per place a citing document mentions a cited one. Rows of one
-- citing document are replaced together on every import (idempotence).
CREATE TABLE document_mentions (
    id                 bigserial PRIMARY KEY,
    citing_document_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    cited_document_id  bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    span_start         int  NOT NULL,
    span_end           int  NOT NULL,
    raw                text NOT NULL DEFAULT '',
    date_as_written    text NOT NULL DEFAULT '',
    relation           text NOT NULL DEFAULT 'dan_chieu'
        CHECK (relation IN ('can_cu','thuc_hien','thay_the','dan_chieu')),
    CHECK (span_end >= span_start)
);
CREATE INDEX document_mentions_citing_idx ON document_mentions (citing_document_id, span_start);
CREATE INDEX document_mentions_cited_idx ON document_mentions (cited_document_id);

-- Relations are derived, never stored: a view cannot disagree with the
-- mentions it comes from.
CREATE VIEW document_relations AS
SELECT citing_document_id, cited_document_id, relation,
       count(*)::int AS mentions,
       min(span_start) AS first_span,
       (array_agg(raw ORDER BY span_start))[1] AS first_raw
FROM document_mentions
GROUP BY citing_document_id, cited_document_id, relation;

CREATE TABLE document_anomalies (
    id                 bigserial PRIMARY KEY,
    document_id        bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    cited_key          text NOT NULL DEFAULT '',
    cited_document_id  bigint REFERENCES documents(id) ON DELETE SET NULL,
    kind               text NOT NULL DEFAULT '',
    message            text NOT NULL
);
CREATE INDEX document_anomalies_document_idx ON document_anomalies (document_id);
