package app

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/cite"
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
	// Units names a submission's unit as its issuer; nil leaves it out.
	Units danvan.UnitService
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
	statuses := map[int64]string{}
	for _, h := range res.Hits {
		if h.DocumentID != 0 {
			statuses[h.DocumentID] = h.Status
		}
	}
	labels, err := s.Registry.StatusLabels(ctx, statuses)
	if err != nil {
		return nil, err
	}
	out := &api.DocumentResults{Total: res.Total, Hits: make([]api.DocumentHit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		label, ok := labels[h.DocumentID]
		if !ok {
			label = danvan.StatusVI(h.Status)
		}
		status := h.Status
		if status == "" {
			status = danvan.DocUnknown
		}
		id := h.ID
		if h.DocumentID != 0 {
			id = strconv.FormatInt(h.DocumentID, 10)
		}
		subject := h.Subject
		if subject == "" {
			subject = h.Name
		}
		out.Hits = append(out.Hits, api.DocumentHit{ID: id, Number: h.Number, Type: h.Type, Issuer: h.Issuer,
			Date: h.Date, Subject: subject, CitedBy: h.CitedBy, Snippet: h.Snippet, Status: status, StatusVI: label})
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

// ImportDocuments registers uploaded texts (POST /api/documents).
func (s *Search) ImportDocuments(ctx context.Context, in []registry.ImportInput) (*registry.ImportReport, error) {
	return s.Registry.Import(ctx, in, nil)
}

// IndexSubmission registers an accepted submission's text in the registry
// as its unit's document (every submitted text is parsed for cited
// documents). It never merges with or changes a document of another owner
// (an administrator's import, another unit's submission): a number clash
// becomes a separate document with a "number_clash" anomaly the
// administrator sees. A submission without a number cannot be a registry
// document; its text is kept with the submission and it is skipped here. Refusals of the text itself (EInvalid)
// are logged, not retried: the submission stands either way.
func (s *Search) IndexSubmission(ctx context.Context, sub *danvan.Submission) error {
	if sub.Number == "" {
		return nil
	}
	in := registry.ImportInput{
		Name:     fmt.Sprintf("submission %s/%s/%s #%d", sub.CycleID, sub.UnitCode, sub.Kind, sub.Seq),
		Text:     sub.Text,
		Owner:    sub.UnitCode,
		Override: &registry.Identity{Number: sub.Number, Date: sub.Date, Subject: sub.Title},
	}
	if p := cite.Extract("Số: "+sub.Number, cite.Options{}).Document; p == nil || p.TypeCode == "" {
		in.Override.Type = kindType[sub.Kind]
	}
	if s.Units != nil {
		if u, err := s.Units.FindUnit(ctx, sub.UnitCode); err == nil {
			in.Override.Issuer = u.Name
			// Every district and commune UBND numbers its plans from 01
			// each year ("01/KH-UBND"): keyed by the number's issuer code
			// alone, one commune's plan would overwrite another's.
			if u.Kind == danvan.UnitDistrict || u.Kind == danvan.UnitCommune || u.Kind == danvan.UnitOther {
				in.Override.IssuerCode = u.Code
			}
		}
	}
	rep, err := s.Registry.Import(ctx, []registry.ImportInput{in}, nil)
	if err != nil {
		return err
	}
	for _, f := range rep.Files {
		if f.Error != nil && !f.Imported {
			if f.Error.Code == danvan.EInvalid {
				s.Registry.Logger.Warn("submission not registered", "submission", in.Name, "err", f.Error)
				continue
			}
			return f.Error
		}
	}
	return nil
}

// kindType is the document type a task's submission usually is, used when
// its number carries no type code (letters such as 496/VP-TTHC).
var kindType = map[string]string{
	danvan.TaskUnitPlan: "KH", danvan.TaskModelRegistration: "Công văn", danvan.TaskMidyearReport: "BC",
	danvan.TaskModelReport: "BC", danvan.TaskAnnualReport: "BC", danvan.TaskSelfAssessment: "BC",
	danvan.TaskInspectionResponse: "BC",
}
