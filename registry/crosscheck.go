package registry

import (
	"context"
	"fmt"
	"strings"

	"github.com/danvan/danvan"
)

// crossCheck adds to v an anomaly for the document and for every document
// it cites whose number the registry also knows with another year segment:
// "Nghị định số 04/2013/NĐ-CP" in one plan where others cite 04/2015/NĐ-CP
// is a probable wrong year that no single text reveals. The check runs when
// a document is shown, against the registry as it is then, so the result
// does not depend on the order documents were imported in and importing
// stays idempotent. It reports, never merges or corrects.
func (s *Service) crossCheck(ctx context.Context, v *DocumentView) error {
	docs := []*danvan.Document{v.Document}
	for _, r := range v.Cites {
		if r.Other != nil {
			docs = append(docs, r.Other)
		}
	}
	for _, d := range docs {
		if d.Number == "" {
			continue
		}
		others, err := s.DB.SimilarNumbers(ctx, d.Number)
		if err != nil {
			return err
		}
		if len(others) == 0 {
			continue
		}
		id := d.ID
		v.Anomalies = append(v.Anomalies, danvan.Anomaly{DocumentID: v.Document.ID, CitedKey: d.Key, CitedID: &id,
			Kind: "registry_year_conflict",
			Message: fmt.Sprintf("%s: the registry also has %s (same number, type and issuer, another year); check which is meant",
				d.Number, strings.Join(others, ", "))})
	}
	return nil
}
