// Package pgsearch is the local search backend: Postgres full text search
// over the registry's own documents table, the default for a single
// machine (`danvan dev`).
//
// Why Postgres and not Bleve: it needs no extra process or index
// directory to back up; it is transactional with the registry, so a
// document is searchable the moment its import commits and never
// disagrees with it (cited_by counts included); and the two things
// Vietnamese search needs are already there: unaccent (wrapped in the
// IMMUTABLE public.danvan_unaccent so it can feed generated tsvector
// columns and GIN indexes) for "chi thi" ↔ "Chỉ thị", and pg_trgm for
// number prefixes. Bleve would have meant a second copy of every document
// to keep in step, and its Vietnamese analysis would have to be written
// anyway. The price: ranking is ours to write (see store.SearchDocuments),
// and ts_rank is computed on a small "head" vector only, because ranking
// the full text of every match does not fit in tens of milliseconds at
// 100k documents.
package pgsearch

import (
	"context"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/store"
)

// SnippetWidth is about how many runes of body text a snippet shows.
const SnippetWidth = 160

// Index searches the documents table of DB.
type Index struct {
	DB *store.DB
}

var _ search.Index = (*Index)(nil)

// New returns an Index on db.
func New(db *store.DB) *Index { return &Index{DB: db} }

// Name returns "postgres".
func (ix *Index) Name() string { return "postgres" }

// Setup does nothing: migration 002 creates the columns and indexes. It
// never fails.
func (ix *Index) Setup(ctx context.Context) error { return nil }

// Ping returns nil when Postgres answers, else an EUnavailable *Error.
func (ix *Index) Ping(ctx context.Context) error { return ix.DB.Ping(ctx) }

// Upsert merges docs into the registry by key (Doc.ID), exactly as an
// import would: the index is the registry table, so this is how documents
// reach it when the index is used on its own. Doc.CitedBy is ignored:
// Postgres counts citations itself. It returns the first error (EInvalid
// for a doc with neither number nor name); earlier docs stay stored.
func (ix *Index) Upsert(ctx context.Context, docs []search.Doc) error {
	for _, d := range docs {
		_, err := ix.DB.UpsertDocument(ctx, &danvan.Document{
			Key: d.ID, Number: d.Number, Type: d.Type, TypeCode: d.TypeCode, Issuer: d.Issuer,
			IssuerCode: d.IssuerCode, Date: d.Date, Year: d.Year, Subject: d.Subject, Name: d.Name,
			Status: d.Status, Text: d.Text, HasText: d.Text != "",
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Delete removes the documents with these keys from the registry (and so
// from search), with their mentions. It fails only on database errors.
func (ix *Index) Delete(ctx context.Context, ids []string) error {
	_, err := ix.DB.DeleteDocumentsByKey(ctx, ids)
	return err
}

// DeleteStale does nothing and never fails: the registry is this index,
// so a document deleted from it is gone from search at once.
func (ix *Index) DeleteStale(ctx context.Context, t time.Time) error { return nil }

// Search runs q. A query with no words AND-matches nothing and no number
// falls back to OR-ing its words, the way Meilisearch drops words, so a
// long query still finds the closest documents. It fails only on database
// errors.
func (ix *Index) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	start := time.Now()
	p := search.ParseQuery(q.Q)
	limit, offset := q.Page()
	s := store.DocumentSearch{
		Words: p.Words, Numbers: p.Numbers, NumberHeads: p.NumberHeads, QueryTypes: p.TypeFolds,
		IssuerFold: strings.Join(strings.Fields(danvan.Fold(q.Issuer)), " "),
		YearFrom:   q.YearFrom, YearTo: q.YearTo, Status: q.Status, Limit: limit, Offset: offset,
	}
	for _, t := range q.Types {
		s.TypeFolds = append(s.TypeFolds, search.TypeFolds(t)...)
		s.TypeNames = append(s.TypeNames, strings.Join(strings.Fields(danvan.Fold(t)), " "))
	}
	found, err := ix.DB.SearchDocuments(ctx, s)
	if err != nil {
		return nil, err
	}
	if found.Total == 0 && len(p.Words) > 1 && len(p.Numbers) == 0 {
		s.AnyWord = true
		if found, err = ix.DB.SearchDocuments(ctx, s); err != nil {
			return nil, err
		}
	}
	res := &search.Result{Hits: make([]search.Hit, 0, len(found.Hits)), Total: found.Total, TotalCapped: found.Capped}
	for _, h := range found.Hits {
		res.Hits = append(res.Hits, toHit(&h.Document, p.Words))
	}
	res.SetTook(time.Since(start))
	return res, nil
}

func toHit(d *danvan.Document, words []string) search.Hit {
	head := d.Title()
	if d.Subject != "" {
		head += " " + d.Subject
	}
	snippet := search.Snippet(head, d.Text, words, SnippetWidth)
	return search.Hit{
		ID: d.Key, DocumentID: d.ID, Number: d.Number, Type: d.Type, TypeCode: d.TypeCode, Issuer: d.Issuer,
		Date: d.Date, Year: d.Year, Subject: d.Subject, Name: d.Name, Status: d.Status, CitedBy: d.CitedBy,
		Snippet: snippet,
	}
}
