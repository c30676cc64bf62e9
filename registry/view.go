package registry

import (
	"context"

	"github.com/danvan/danvan"
)

// DocumentView is one document as `docs show` and GET /api/documents/{id}
// present it: the document, the places its text cites others (with the
// cited document's number), the documents it cites, everything that cites
// it with the relation and the citing words, and the anomalies its text
// has. Its force is in Status (the document's status code), StatusVI
// (the same in words, with the document that replaced, repealed or amended
// it: "đã bị thay thế bởi Quyết định 34/QĐ-UBND ngày 02/03/2021") and
// Validity (every statement about it, with the sentence and the document
// that said it); ValidityBy is the other direction, what this document's
// text says about others or what others say it did.
type DocumentView struct {
	Document   *danvan.Document  `json:"document"`
	Status     string            `json:"status"`
	StatusVI   string            `json:"status_vi"`
	Validity   []danvan.Validity `json:"validity"`
	ValidityBy []danvan.Validity `json:"validity_by"`
	Mentions   []MentionView     `json:"mentions"`
	Cites      []danvan.Relation `json:"cites"`
	CitedBy    []danvan.Relation `json:"cited_by"`
	Anomalies  []danvan.Anomaly  `json:"anomalies"`
}

// MentionView is a mention with the cited document's number and type.
type MentionView struct {
	danvan.Mention
	CitedNumber string `json:"cited_number"`
	CitedType   string `json:"cited_type"`
	CitedName   string `json:"cited_name,omitempty"`
}

// Show returns the document whose id, key or number is numberOrID with
// its mentions, citations and citers. It returns an ENotFound *Error when
// no document matches.
func (s *Service) Show(ctx context.Context, numberOrID string) (*DocumentView, error) {
	d, err := s.DB.FindDocument(ctx, numberOrID)
	if err != nil {
		return nil, err
	}
	v := &DocumentView{Document: d, Status: d.Status}
	if v.Validity, err = s.DB.ValidityAbout(ctx, []int64{d.ID}); err != nil {
		return nil, err
	}
	if v.ValidityBy, err = s.DB.ValidityBy(ctx, d.ID); err != nil {
		return nil, err
	}
	v.StatusVI = StatusLabel(d.Status, v.Validity)
	if v.Cites, err = s.DB.Cites(ctx, d.ID); err != nil {
		return nil, err
	}
	if v.CitedBy, err = s.DB.CitedBy(ctx, d.ID); err != nil {
		return nil, err
	}
	if v.Anomalies, err = s.DB.Anomalies(ctx, d.ID); err != nil {
		return nil, err
	}
	if err := s.crossCheck(ctx, v); err != nil {
		return nil, err
	}
	ms, err := s.DB.Mentions(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*danvan.Document{}
	for _, r := range v.Cites {
		byID[r.CitedID] = r.Other
	}
	v.Mentions = make([]MentionView, 0, len(ms))
	for _, m := range ms {
		mv := MentionView{Mention: m}
		if o := byID[m.CitedID]; o != nil {
			mv.CitedNumber, mv.CitedType, mv.CitedName = o.Number, o.Type, o.Name
		}
		v.Mentions = append(v.Mentions, mv)
	}
	v.Anomalies = append(v.Anomalies, mentionAnomalies(v.Document, v.Mentions, byID)...)
	v.Anomalies = append(v.Anomalies, citedByAnomalies(v.Document, v.CitedBy)...)
	return v, nil
}

// StatusLabel says a document's status in Vietnamese with the document
// that brought it about, from the strongest statement in about (as
// ValidityAbout orders them): "đã bị bãi bỏ bởi Quyết định 12/2023/QĐ-UBND
// ngày 05/06/2023", or "đã bị thay thế (theo Báo cáo 7/BC-UBND)" when the
// text that says so names no replacing document.
func StatusLabel(status string, about []danvan.Validity) string {
	label := danvan.StatusVI(status)
	want := status
	for _, v := range about {
		if danvan.StatusOfKind(v.Kind) != want {
			continue
		}
		if v.By != nil {
			return label + " bởi " + titleDated(v.By)
		}
		if v.SaidBy != nil {
			return label + " (theo " + titleDated(v.SaidBy) + ")"
		}
	}
	return label
}

// titleDated is "Quyết định 34/QĐ-UBND ngày 02/03/2021", without the date
// when it is unknown.
func titleDated(d *danvan.Document) string {
	t := d.Title()
	if d.Date != "" {
		t += " ngày " + danvan.DateVI(d.Date)
	}
	return t
}

// StatusLabels returns StatusLabel for each of the documents ids with the
// given statuses (search hits). It fails only on database errors.
func (s *Service) StatusLabels(ctx context.Context, statuses map[int64]string) (map[int64]string, error) {
	out := make(map[int64]string, len(statuses))
	var judged []int64
	for id, st := range statuses {
		out[id] = danvan.StatusVI(st)
		if danvan.StatusVI(st) != danvan.StatusVI(danvan.DocInForce) {
			judged = append(judged, id)
		}
	}
	if len(judged) == 0 {
		return out, nil
	}
	about, err := s.DB.ValidityAbout(ctx, judged)
	if err != nil {
		return nil, err
	}
	byDoc := map[int64][]danvan.Validity{}
	for _, v := range about {
		byDoc[v.Cited.ID] = append(byDoc[v.Cited.ID], v)
	}
	for _, id := range judged {
		out[id] = StatusLabel(statuses[id], byDoc[id])
	}
	return out, nil
}
