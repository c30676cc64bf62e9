// Package search defines the one interface danvan searches documents
// through, and the query vocabulary its backends share: type codes and
// names, diacritic folding and <mark> highlighting. Backends live in
// sub-packages (pgsearch for a single machine, meili for production) and
// pass the same behavioural suite in searchtest.
package search

import (
	"context"
	"time"
)

// Index is a searchable collection of documents. Implementations return
// *danvan.Error values: EUnavailable when the engine cannot be reached,
// EInvalid for a query or document it refuses, EInternal otherwise.
type Index interface {
	// Setup creates the index and applies its settings; it is idempotent
	// and returns an error when the engine refuses them.
	Setup(ctx context.Context) error
	// Upsert adds or replaces docs by ID; all or, on error, possibly some.
	Upsert(ctx context.Context, docs []Doc) error
	// Delete removes the documents with these IDs; unknown IDs are ignored.
	Delete(ctx context.Context, ids []string) error
	// DeleteStale removes the documents last upserted before t: after a
	// full reindex started at t, those are the ones the registry no longer
	// has. It returns the engine's refusal.
	DeleteStale(ctx context.Context, t time.Time) error
	// Search runs q and returns one page of hits, best first.
	Search(ctx context.Context, q Query) (*Result, error)
	// Ping returns nil when the engine answers.
	Ping(ctx context.Context) error
	// Name is the backend's name for logs and /healthz ("postgres", "meilisearch").
	Name() string
}

// Doc is one document as the index stores it. ID is the registry key
// (danvan.DocumentKey) and may contain "/" and "|"; backends that refuse
// such IDs map them to safe ones themselves.
type Doc struct {
	ID         string `json:"id"`
	DocumentID int64  `json:"document_id,omitempty"` // registry row id, 0 when unknown
	Number     string `json:"number"`
	Type       string `json:"type"`
	TypeCode   string `json:"type_code"`
	Issuer     string `json:"issuer"`
	IssuerCode string `json:"issuer_code"`
	Date       string `json:"date,omitempty"` // YYYY-MM-DD
	Year       int    `json:"year,omitempty"`
	Subject    string `json:"subject,omitempty"`
	Name       string `json:"name,omitempty"`
	Status     string `json:"status,omitempty"`
	Text       string `json:"text,omitempty"`
	CitedBy    int    `json:"cited_by"`
}

// Query is one search. An empty Q with filters lists the matching
// documents, newest first.
type Query struct {
	Q string `json:"q"`
	// Types are type codes or names ("KH", "Kế hoạch", "qd"); any matches.
	Types []string `json:"types,omitempty"`
	// Issuer matches the issuer name or code, ignoring case and diacritics.
	Issuer   string `json:"issuer,omitempty"`
	YearFrom int    `json:"year_from,omitempty"`
	YearTo   int    `json:"year_to,omitempty"`
	Status   string `json:"status,omitempty"`
	Limit    int    `json:"limit,omitempty"` // default 20, at most 100
	Offset   int    `json:"offset,omitempty"`
}

// DefaultLimit and MaxLimit bound Query.Limit.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Page returns q's limit and offset clamped to what backends accept.
func (q Query) Page() (limit, offset int) {
	limit, offset = q.Limit, q.Offset
	if limit <= 0 {
		limit = DefaultLimit
	}
	if limit > MaxLimit {
		limit = MaxLimit
	}
	if offset < 0 {
		offset = 0
	}
	return limit, offset
}

// Result is one page of hits. Total counts the matches; when TotalCapped
// is set it is a lower bound (engines estimate or stop counting on broad
// queries).
type Result struct {
	Hits        []Hit         `json:"hits"`
	Total       int           `json:"total"`
	TotalCapped bool          `json:"total_capped,omitempty"`
	Took        time.Duration `json:"-"`
	TookMS      float64       `json:"took_ms"`
}

// SetTook records the query's duration in both fields.
func (r *Result) SetTook(d time.Duration) {
	r.Took = d
	r.TookMS = float64(d.Microseconds()) / 1000
}

// Hit is one matching document. Snippet is HTML: the matched words are
// wrapped in <mark>…</mark> and everything else is escaped.
type Hit struct {
	ID         string `json:"id"`
	DocumentID int64  `json:"document_id,omitempty"`
	Number     string `json:"number"`
	Type       string `json:"type"`
	TypeCode   string `json:"type_code"`
	Issuer     string `json:"issuer"`
	Date       string `json:"date,omitempty"`
	Year       int    `json:"year,omitempty"`
	Subject    string `json:"subject"`
	Name       string `json:"name,omitempty"`
	Status     string `json:"status,omitempty"`
	CitedBy    int    `json:"cited_by"`
	Snippet    string `json:"snippet"`
}
