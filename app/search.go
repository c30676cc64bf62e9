package app

import (
	"context"
	"log/slog"
	"strconv"
	"strings"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/registry"
	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/search/meili"
	"github.com/danvan/danvan/search/pgsearch"
	"github.com/danvan/danvan/store"
)

// Search is the document registry with its search backend; it implements
// api.Documents.
type Search struct {
	Registry *registry.Service
	Index    search.Index
}

var _ api.Documents = (*Search)(nil)

// OpenSearch returns the registry on db with Meilisearch when meiliURL is set
// and the local Postgres backend otherwise. It returns EUnavailable when
// Meilisearch refuses its settings or cannot be reached.
func OpenSearch(ctx context.Context, db *store.DB, meiliURL, meiliKey string, logger *slog.Logger) (*Search, error) {
	var ix search.Index = pgsearch.New(db)
	if meiliURL != "" {
		ix = meili.New(meili.Config{URL: meiliURL, Key: meiliKey, Logger: logger})
	}
	if err := ix.Setup(ctx); err != nil {
		return nil, err
	}
	return &Search{Registry: &registry.Service{DB: db, Index: ix, Logger: logger}, Index: ix}, nil
}

// Name is the backend's name.
func (s *Search) Name() string { return s.Index.Name() }

// Ping returns nil when the backend answers.
func (s *Search) Ping(ctx context.Context) error { return s.Index.Ping(ctx) }

// SearchDocuments answers GET /api/documents.
func (s *Search) SearchDocuments(ctx context.Context, q api.DocumentQuery) (*api.DocumentResults, error) {
	sq := search.Query{Q: q.Q, Issuer: q.Issuer, YearFrom: q.From, YearTo: q.To, Limit: q.Limit, Offset: q.Offset}
	for _, t := range strings.Split(q.Type, ",") {
		if t = strings.TrimSpace(t); t != "" {
			sq.Types = append(sq.Types, t)
		}
	}
	res, err := s.Registry.Search(ctx, sq)
	if err != nil {
		return nil, err
	}
	out := &api.DocumentResults{Total: res.Total, Hits: make([]api.DocumentHit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		id := h.ID
		if h.DocumentID != 0 {
			id = strconv.FormatInt(h.DocumentID, 10)
		}
		subject := h.Subject
		if subject == "" {
			subject = h.Name
		}
		out.Hits = append(out.Hits, api.DocumentHit{ID: id, Number: h.Number, Type: h.Type, Issuer: h.Issuer,
			Date: h.Date, Subject: subject, CitedBy: h.CitedBy, Snippet: h.Snippet})
	}
	return out, nil
}

// ShowDocument answers GET /api/documents/{id}; ENotFound when unknown.
func (s *Search) ShowDocument(ctx context.Context, id string) (*registry.DocumentView, error) {
	if strings.TrimSpace(id) == "" {
		return nil, danvan.Invalid("id", "is required", "bắt buộc phải nhập")
	}
	return s.Registry.Show(ctx, id)
}
