// Package registry is the documents service the CLI and HTTP API use: it
// imports texts (extracting their citations with cite), keeps documents,
// mentions and relations in Postgres, keeps the search index in step, and
// shows what cites what.
package registry

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/cite"
	"github.com/danvan/danvan/search"
	"github.com/danvan/danvan/search/pgsearch"
	"github.com/danvan/danvan/store"
)

// Service imports, shows and searches documents.
type Service struct {
	DB *store.DB
	// Index is kept in step with the registry; nil means the Postgres
	// backend on DB.
	Index  search.Index
	Logger *slog.Logger
	// Dictionary maps type and issuer codes to names; nil means
	// cite.DefaultDictionary (with the province detected per text).
	Dictionary *cite.Dictionary
}

// ImportInput is one document to import: a file (.txt or .docx) by Path,
// or Text with a Name to report it by. Override, when set, gives the
// document's identity when its header has none (or corrects it): each
// non-empty field wins over the header.
type ImportInput struct {
	Path     string    `json:"path,omitempty"`
	Name     string    `json:"name,omitempty"`
	Text     string    `json:"-"`
	Override *Identity `json:"override,omitempty"`
	// Owner is the unit whose accepted submission this is ("" for an
	// administrator's import): its text never replaces another owner's.
	Owner string `json:"owner,omitempty"`
}

// Identity is who a document is: the fields a header gives.
type Identity struct {
	Number     string `json:"number"`
	Date       string `json:"date,omitempty"` // YYYY-MM-DD or D/M/YYYY
	Type       string `json:"type,omitempty"` // name ("Kế hoạch") or code ("KH")
	Issuer     string `json:"issuer,omitempty"`
	IssuerCode string `json:"issuer_code,omitempty"`
	Subject    string `json:"subject,omitempty"`
	Status     string `json:"status,omitempty"`
}

// ImportReport says what happened to each input, in input order.
type ImportReport struct {
	Files    []FileReport `json:"files"`
	Imported int          `json:"imported"`
	Failed   int          `json:"failed"`
}

// FileReport is one input's outcome. Error is set when the input was not
// imported (Imported false) or was imported but not indexed.
type FileReport struct {
	File       string        `json:"file"`
	Imported   bool          `json:"imported"`
	DocumentID int64         `json:"document_id,omitempty"`
	Number     string        `json:"number,omitempty"`
	Name       string        `json:"name,omitempty"` // an unnumbered document's title
	Type       string        `json:"type,omitempty"`
	Citations  int           `json:"citations"`
	Mentions   int           `json:"mentions"`
	Anomalies  int           `json:"anomalies"`
	Error      *danvan.Error `json:"error,omitempty"`
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Service) index() search.Index {
	if s.Index != nil {
		return s.Index
	}
	return pgsearch.New(s.DB)
}

// Import registers each input, extracts its citations, stores the document
// with its mentions, relations and anomalies, and upserts it and every
// document it cites into the index. Importing the same input twice changes
// nothing. An input that fails (unreadable, or no identity in its header
// and no Override: EInvalid) is reported in its FileReport and the others
// go on; progress, when not nil, is called after each input. The error is
// non-nil only when ctx ends, with the report so far.
func (s *Service) Import(ctx context.Context, inputs []ImportInput, progress func(done, total int)) (*ImportReport, error) {
	rep := &ImportReport{Files: make([]FileReport, 0, len(inputs))}
	for i, in := range inputs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		fr := s.importOne(ctx, in)
		if fr.Imported {
			rep.Imported++
		} else {
			rep.Failed++
		}
		if fr.Error != nil {
			s.logger().Warn("document import", "file", fr.File, "imported", fr.Imported, "err", fr.Error.Error())
		} else {
			s.logger().Info("document imported", "file", fr.File, "number", fr.Number, "citations", fr.Citations)
		}
		rep.Files = append(rep.Files, fr)
		if progress != nil {
			progress(i+1, len(inputs))
		}
	}
	return rep, nil
}

func (s *Service) importOne(ctx context.Context, in ImportInput) FileReport {
	fr := FileReport{File: in.Name}
	if fr.File == "" {
		fr.File = in.Path
	}
	text := in.Text
	if in.Path != "" && text == "" {
		t, err := cite.ReadFile(in.Path)
		if err != nil {
			fr.Error = danvan.Errorf(danvan.EInvalid, "cannot read %s: %v", "không đọc được %s: %v", fr.File, err)
			return fr
		}
		text = t
	}
	res := cite.Extract(text, cite.Options{Dictionary: s.Dictionary})
	doc, err := s.identity(res.Document, in.Override, text)
	if err != nil {
		fr.Error = danvan.AsError(err)
		return fr
	}
	doc.Text, doc.HasText, doc.OwnerUnit = text, true, in.Owner
	if in.Path != "" {
		doc.SourceFile = filepath.Base(in.Path)
	} else {
		doc.SourceFile = in.Name
	}
	set := citationSet(res, doc, text)
	stored, citedIDs, err := s.DB.ImportDocument(ctx, doc, set)
	if err != nil {
		fr.Error = danvan.AsError(err)
		return fr
	}
	fr.Imported, fr.DocumentID, fr.Number, fr.Type = true, stored.ID, stored.Number, stored.Type
	if fr.Number == "" {
		fr.Name = stored.Name
	}
	fr.Citations, fr.Anomalies = len(set.Cited), len(set.Anomalies)
	for _, c := range set.Cited {
		fr.Mentions += len(c.Mentions)
	}
	if err := s.indexDocuments(ctx, append([]int64{stored.ID}, citedIDs...)); err != nil {
		e := danvan.AsError(err)
		fr.Error = danvan.Errorf(e.Code, "imported but not indexed (run reindex): %s", "đã nhập nhưng chưa lập chỉ mục (hãy chạy reindex): %s", e.Message)
	}
	return fr
}

// identity builds the citing document from its header and the override.
// It returns an EInvalid *Error when neither gives a number.
func (s *Service) identity(h *cite.Document, o *Identity, text string) (*danvan.Document, error) {
	d := &danvan.Document{Status: danvan.DocUnknown}
	if h != nil {
		d.Number, d.Type, d.TypeCode, d.Issuer, d.IssuerCode, d.Date = h.Number, h.Type, h.TypeCode, h.Issuer, h.IssuerCode, h.Date
	}
	if o != nil {
		if o.Number != "" && o.Number != d.Number {
			// Parse the number the way a header would, for its codes.
			d.Number, d.TypeCode, d.IssuerCode, d.Type, d.Issuer = strings.TrimSpace(o.Number), "", "", "", ""
			if p := cite.Extract("Số: "+d.Number, cite.Options{Dictionary: s.Dictionary}).Document; p != nil {
				d.Number, d.TypeCode, d.IssuerCode, d.Type, d.Issuer = p.Number, p.TypeCode, p.IssuerCode, p.Type, p.Issuer
			}
		}
		if o.Date != "" {
			iso, ok := isoDate(o.Date)
			if !ok {
				return nil, danvan.Invalid("date", "must be a date YYYY-MM-DD or D/M/YYYY", "phải là ngày dạng YYYY-MM-DD hoặc N/T/NNNN")
			}
			d.Date = iso
		}
		if o.Type != "" {
			if code := typeCode(o.Type); code != "" {
				d.TypeCode, d.Type = code, s.typeName(code)
			} else {
				d.Type = o.Type
				if code := typeCodeOfName(o.Type); code != "" && d.TypeCode == "" {
					d.TypeCode = code
				}
			}
		}
		if o.Issuer != "" {
			d.Issuer = o.Issuer
		}
		if o.IssuerCode != "" {
			d.IssuerCode = o.IssuerCode
		}
		d.Subject = o.Subject
		if o.Status != "" {
			d.Status = o.Status
		}
	}
	if d.Number == "" && unnumbered(d, text) {
		return d, nil
	}
	if d.Number == "" {
		return nil, danvan.Errorf(danvan.EInvalid,
			"no document number: the header has none (\"Số: …\"); give the identity (number, date, type, issuer)",
			"không có số văn bản: phần đầu văn bản không có (\"Số: …\"); hãy nhập số, ngày, loại, cơ quan ban hành")
	}
	if d.Type == "" && d.TypeCode != "" {
		d.Type = s.typeName(d.TypeCode)
	}
	if d.Subject == "" {
		d.Subject = titleOf(text, d.Type)
	}
	return d, nil
}

func (s *Service) typeName(code string) string {
	dict := s.Dictionary
	if dict == nil {
		dict = cite.DefaultDictionary()
	}
	if n := dict.TypeName(code); n != "" {
		return n
	}
	for c, n := range search.TypeCodes {
		if strings.EqualFold(c, code) {
			return n
		}
	}
	return code
}

// typeCode returns the canonical type code s is ("qd", "QĐ" → "QĐ"), or "".
func typeCode(s string) string {
	s = strings.TrimSpace(s)
	for c := range search.TypeCodes {
		if strings.EqualFold(c, s) && c != "L" {
			return c // exact first: folding merges ĐA and DA
		}
	}
	f := danvan.Fold(s)
	for c := range search.TypeCodes {
		if danvan.Fold(c) == f && c != "L" {
			return c
		}
	}
	return ""
}

// typeCodeOfName returns the code of a type name ("Kế hoạch" → "KH"), or "".
func typeCodeOfName(s string) string {
	f := danvan.Fold(strings.Join(strings.Fields(s), " "))
	for c, n := range search.TypeCodes {
		if danvan.Fold(n) == f && c != "L" {
			return c
		}
	}
	return ""
}

// isoDate accepts YYYY-MM-DD or D/M/YYYY and returns YYYY-MM-DD when the
// date exists.
func isoDate(s string) (string, bool) {
	for _, layout := range []string{"2006-01-02", "2/1/2006"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// titleOf returns the line after the document's type heading ("BÁO CÁO",
// "QUYẾT ĐỊNH"): Vietnamese documents put their title there. It returns ""
// when there is no such heading in the first lines.
func titleOf(text, typ string) string {
	if typ == "" {
		return ""
	}
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines) && i < 80; i++ {
		if danvan.Fold(strings.TrimSpace(lines[i])) != danvan.Fold(typ) {
			continue
		}
		for _, l := range lines[i+1 : min(i+6, len(lines))] {
			if l = strings.TrimSpace(l); l != "" {
				if len(l) > 500 {
					l = l[:strings.LastIndexByte(l[:500], ' ')]
				}
				return l
			}
		}
	}
	return ""
}

// citationSet turns an extraction into what the store keeps, with what
// the text says about the cited documents' force (findValidity). Only a
// document that can replace others (a decision, a resolution…) acts by
// its own words; elsewhere "thay thế" only reports a replacement.
func citationSet(res *cite.Result, citing *danvan.Document, text string) *danvan.CitationSet {
	set := &danvan.CitationSet{Cited: []danvan.CitedDocument{}, Anomalies: []danvan.Anomaly{}}
	canAct := map[string]bool{"qd": true, "nq": true, "nd": true, "tt": true, "ttlt": true, "l": true}[danvan.Fold(citing.TypeCode)]
	keys := make([]string, len(res.Citations))
	for i, c := range res.Citations {
		d := danvan.Document{Number: c.Number, Type: c.Type, TypeCode: c.TypeCode, Issuer: c.Issuer,
			IssuerCode: c.IssuerCode, Status: danvan.DocUnknown}
		if c.Date != nil {
			d.Date = *c.Date
		}
		if c.Year != nil {
			d.Year = *c.Year
		}
		if c.Subject != nil {
			d.Subject = *c.Subject
		}
		if c.Name != nil {
			d.Name = *c.Name
		}
		if d.Number == "" && d.Name == "" {
			d.Name = c.FirstMention // a named citation the extractor could not name
		}
		if d.Number == "" && d.Name == "" {
			continue
		}
		d.Key = danvan.DocumentKey(d.IssuerCode, d.Number, d.Year, d.Name)
		keys[i] = d.Key
		cd := danvan.CitedDocument{Document: d}
		for _, m := range c.MentionList {
			cd.Mentions = append(cd.Mentions, danvan.Mention{SpanStart: m.Start, SpanEnd: m.End, Raw: m.Raw,
				DateAsWritten: m.DateRaw, Relation: relation(m.Relation), IssuerAsWritten: m.Issuer})
		}
		set.Cited = append(set.Cited, cd)
		for _, a := range c.Anomalies {
			set.Anomalies = append(set.Anomalies, danvan.Anomaly{CitedKey: d.Key, Kind: a.Code, Message: a.Message})
		}
	}
	set.Validity = findValidity(text, res.Citations, keys, canAct)
	return set
}

func relation(r string) string {
	switch r {
	case cite.RelationCanCu, cite.RelationThucHien, cite.RelationThayThe:
		return r
	}
	return danvan.RelDanChieu
}

// Search runs q on the index. It returns the index's errors (EUnavailable
// when the engine is down).
func (s *Service) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	return s.index().Search(ctx, q)
}

// Reindex sets the index up and upserts every document of the registry
// into it, in pages, then removes from the index what was not upserted
// since the reindex began (documents the registry no longer has), and
// returns how many it sent. With the Postgres backend the registry is the
// index and nothing is sent. It fails on the first database or index
// error, before removing anything.
func (s *Service) Reindex(ctx context.Context) (int, error) {
	ix := s.index()
	if err := ix.Setup(ctx); err != nil {
		return 0, err
	}
	if registryBacked(ix) {
		return 0, nil
	}
	// A second early: index timestamps are whole milliseconds and a
	// document upserted by an import just before the reindex must not
	// count as stale on a coarse clock; it is upserted again below anyway.
	began := time.Now().Add(-time.Second)
	n := 0
	var after int64
	for {
		docs, err := s.DB.ListDocuments(ctx, after, 500, true)
		if err != nil {
			return n, err
		}
		if len(docs) == 0 {
			return n, ix.DeleteStale(ctx, began)
		}
		batch := make([]search.Doc, len(docs))
		for i := range docs {
			batch[i] = toDoc(&docs[i])
		}
		if err := ix.Upsert(ctx, batch); err != nil {
			return n, err
		}
		n += len(docs)
		after = docs[len(docs)-1].ID
	}
}

// indexDocuments upserts the registry rows ids into an external index.
func (s *Service) indexDocuments(ctx context.Context, ids []int64) error {
	ix := s.index()
	if registryBacked(ix) {
		return nil
	}
	docs, err := s.DB.DocumentsByID(ctx, ids, true)
	if err != nil {
		return err
	}
	batch := make([]search.Doc, len(docs))
	for i := range docs {
		batch[i] = toDoc(&docs[i])
	}
	if err := ix.Upsert(ctx, batch); err != nil {
		return fmt.Errorf("index %s: %w", ix.Name(), err)
	}
	return nil
}

// registryBacked reports whether ix reads the registry tables themselves,
// so upserting into it would only rewrite rows with their own values.
func registryBacked(ix search.Index) bool {
	_, ok := ix.(*pgsearch.Index)
	return ok
}

func toDoc(d *danvan.Document) search.Doc {
	return search.Doc{ID: d.Key, DocumentID: d.ID, Number: d.Number, Type: d.Type, TypeCode: d.TypeCode,
		Issuer: d.Issuer, IssuerCode: d.IssuerCode, Date: d.Date, Year: d.Year, Subject: d.Subject, Name: d.Name,
		Status: d.Status, Text: d.Text, CitedBy: d.CitedBy}
}
