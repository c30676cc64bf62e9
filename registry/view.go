package registry

import (
	"context"

	"github.com/danvan/danvan"
)

// DocumentView is one document as `docs show` and GET /api/documents/{id}
// present it: the document, the places its text cites others (with the
// cited document's number), the documents it cites, everything that cites
// it with the relation and the citing words, and the anomalies its text
// has.
type DocumentView struct {
	Document  *danvan.Document  `json:"document"`
	Mentions  []MentionView     `json:"mentions"`
	Cites     []danvan.Relation `json:"cites"`
	CitedBy   []danvan.Relation `json:"cited_by"`
	Anomalies []danvan.Anomaly  `json:"anomalies"`
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
	v := &DocumentView{Document: d}
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
	return v, nil
}
