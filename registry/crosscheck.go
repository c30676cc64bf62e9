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

// Registry anomaly kinds: what a citing text says about a document that
// contradicts what the registry holds for it.
const (
	AnomalyYearSegmentMissing = "year_segment_missing"
	AnomalyRegistryDate       = "registry_date_conflict"
	AnomalyIssuerSpelling     = "issuer_spelling"
)

// mentionAnomalies compares each mention with the registry's document it
// was resolved to: a number written without the year segment the registry
// knows (22/QĐ-UBND for 22/2020/QĐ-UBND, joined by their common date), a
// date that is not the registry's, an issuer spelled with other
// diacritics. Like crossCheck it runs when shown, so it holds whatever
// order the texts were imported in. The cited side (self) gets the
// year-segment check for the texts citing it, from their first mention.
func mentionAnomalies(self *danvan.Document, ms []MentionView, byID map[int64]*danvan.Document) []danvan.Anomaly {
	var out []danvan.Anomaly
	seen := map[string]bool{}
	add := func(o *danvan.Document, kind, en, vi string) {
		if k := fmt.Sprint(o.ID, kind); !seen[k] {
			seen[k] = true
			id := o.ID
			out = append(out, danvan.Anomaly{DocumentID: self.ID, CitedKey: o.Key, CitedID: &id, Kind: kind, Message: en, MessageVI: vi})
		}
	}
	for _, m := range ms {
		o := byID[m.CitedID]
		if o == nil || o.Number == "" {
			continue
		}
		if written, ok := withoutYearSegment(m.Raw, o.Number); ok {
			add(o, AnomalyYearSegmentMissing,
				fmt.Sprintf("%s is cited without its year segment (%q); the registry knows it as %s", o.Number, written, o.Number),
				fmt.Sprintf("%s được dẫn thiếu năm trong số ký hiệu (%q); trong kho là %s", o.Number, written, o.Number))
		}
		if iso, ok := isoDate(m.DateAsWritten); ok && o.Date != "" && iso != o.Date {
			src, srcVI := "the registry's copy of it", "văn bản trong kho"
			if !o.HasText {
				src, srcVI = "other texts citing it", "các văn bản khác dẫn chiếu"
			}
			add(o, AnomalyRegistryDate,
				fmt.Sprintf("%s is cited with date %s but %s dates it %s", o.Number, m.DateAsWritten, src, o.Date),
				fmt.Sprintf("%s được dẫn với ngày %s nhưng %s ghi ngày %s", o.Number, danvan.DateVI(iso), srcVI, danvan.DateVI(o.Date)))
		}
		if w := oneLine(m.IssuerAsWritten); w != "" && o.Issuer != "" && sameButDiacritics(w, o.Issuer) {
			add(o, AnomalyIssuerSpelling,
				fmt.Sprintf("%s: issuer written %q, the registry has %q (different diacritics)", o.Number, w, o.Issuer),
				fmt.Sprintf("%s: cơ quan ban hành viết là %q, trong kho là %q (khác dấu)", o.Number, w, o.Issuer))
		}
	}
	return out
}

// citedByAnomalies flags, on a cited document's own view, the texts that
// cite it without its year segment.
func citedByAnomalies(self *danvan.Document, rels []danvan.Relation) []danvan.Anomaly {
	var out []danvan.Anomaly
	seen := map[int64]bool{}
	for _, r := range rels {
		if r.Other == nil || seen[r.CitingID] {
			continue
		}
		if written, ok := withoutYearSegment(r.Raw, self.Number); ok {
			seen[r.CitingID] = true
			id := r.CitingID
			out = append(out, danvan.Anomaly{DocumentID: self.ID, CitedKey: r.Other.Key, CitedID: &id,
				Kind:      AnomalyYearSegmentMissing,
				Message:   fmt.Sprintf("%s cites this document without its year segment (%q)", r.Other.Title(), written),
				MessageVI: fmt.Sprintf("%s dẫn văn bản này thiếu năm trong số ký hiệu (%q)", r.Other.Title(), written)})
		}
	}
	return out
}

// withoutYearSegment reports whether raw writes number (which has a year
// segment, "22/2020/QĐ-UBND") without it ("22/QĐ-UBND"), and returns that
// form as the registry folds it.
func withoutYearSegment(raw, number string) (string, bool) {
	norm := danvan.NormalizeNumber(number)
	serial, rest, ok := strings.Cut(norm, "/")
	if !ok {
		return "", false
	}
	year, tail, ok := strings.Cut(rest, "/")
	if !ok || len(year) != 4 || strings.Trim(year, "0123456789") != "" || tail == "" {
		return "", false
	}
	r := danvan.NormalizeNumber(raw)
	if strings.Contains(r, norm) {
		return "", false
	}
	short := serial + "/" + tail
	for off := 0; ; {
		i := strings.Index(r[off:], short)
		if i < 0 {
			return "", false
		}
		i += off
		if i == 0 || r[i-1] < '0' || r[i-1] > '9' {
			return short, true
		}
		off = i + 1
	}
}

// sameButDiacritics reports whether a and b differ, beyond case and
// spacing, only in diacritics ("UBND tinh Son La", "UBND tỉnh Sơn La").
func sameButDiacritics(a, b string) bool {
	la, lb := strings.ToLower(oneLine(a)), strings.ToLower(oneLine(b))
	return la != lb && danvan.Fold(la) == danvan.Fold(lb)
}
