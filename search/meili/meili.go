// Package meili is the production search backend: a Meilisearch index
// whose settings are set by code (Setup), so every deployment ranks the
// same way. Meilisearch reports most failures asynchronously: a request
// that enqueues a task succeeds even when the task later fails (a bad
// document id fails the whole batch). Every write here therefore waits for
// its task and checks the finished status, and every error goes through
// translate.
package meili

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/search"
)

// Config says where the index is. Defaults are written beside each field.
type Config struct {
	URL      string // required, e.g. http://127.0.0.1:7700 (DANVAN_MEILI_URL)
	Key      string // API key, "" for an open development server (DANVAN_MEILI_KEY)
	IndexUID string // default "documents"
	// PollInterval is how often a task's status is polled; default 50ms.
	PollInterval time.Duration
	// BatchSize bounds documents per add task; default 1000.
	BatchSize int
	Logger    *slog.Logger
	// HTTPClient carries the requests; nil means the client library's
	// default (tests put a transport in between).
	HTTPClient *http.Client
}

// Index is a search.Index on one Meilisearch index.
type Index struct {
	client meilisearch.ServiceManager
	uid    string
	poll   time.Duration
	batch  int
	logger *slog.Logger
}

var _ search.Index = (*Index)(nil)

// primaryKey is the field Meilisearch identifies documents by: a safe
// slug-and-hash of the registry key (see pk).
const primaryKey = "pk"

// New returns an Index for cfg. It does not contact the server (Ping and
// Setup do) and never fails.
func New(cfg Config) *Index {
	ix := &Index{uid: cfg.IndexUID, poll: cfg.PollInterval, batch: cfg.BatchSize, logger: cfg.Logger}
	if ix.uid == "" {
		ix.uid = "documents"
	}
	if ix.poll <= 0 {
		ix.poll = 50 * time.Millisecond
	}
	if ix.batch <= 0 {
		ix.batch = 1000
	}
	if ix.logger == nil {
		ix.logger = slog.New(slog.DiscardHandler)
	}
	var opts []meilisearch.Option
	if cfg.Key != "" {
		opts = append(opts, meilisearch.WithAPIKey(cfg.Key))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, meilisearch.WithCustomClient(cfg.HTTPClient))
	}
	ix.client = meilisearch.New(cfg.URL, opts...)
	return ix
}

// Name returns "meilisearch".
func (ix *Index) Name() string { return "meilisearch" }

// UID returns the Meilisearch index uid.
func (ix *Index) UID() string { return ix.uid }

// Ping returns nil when the server reports itself available, else an
// EUnavailable *Error.
func (ix *Index) Ping(ctx context.Context) error {
	h, err := ix.client.HealthWithContext(ctx)
	if err != nil {
		return translate(err)
	}
	if h.Status != "available" {
		return danvan.Errorf(danvan.EUnavailable, "meilisearch is %s", "meilisearch đang ở trạng thái %s", h.Status)
	}
	return nil
}

// Setup creates the index (if missing) and applies Settings, waiting for
// both tasks. It returns the translated error of a refused request or a
// failed task.
func (ix *Index) Setup(ctx context.Context) error {
	info, err := ix.client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: ix.uid, PrimaryKey: primaryKey})
	if err := ix.wait(ctx, info, err); err != nil && !isCode(err, "index_already_exists") {
		return err
	}
	info, err = ix.client.Index(ix.uid).UpdateSettingsWithContext(ctx, Settings())
	return ix.wait(ctx, info, err)
}

// Settings returns the index settings: searchable attributes in rank
// order (number, title and subject, issuer, text); filters on type,
// issuer, year and status, and on pk and indexed_at for deletions; sort on
// date; synonyms between type codes and
// names both ways; no typos on numbers, where "53" and "58" are different
// documents, not a typo.
func Settings() *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: []string{"number", "title", "subject", "name", "issuer", "issuer_code", "text"},
		FilterableAttributes: []string{"type", "type_code", "type_fold", "type_name_fold", "issuer", "issuer_code",
			"issuer_fold", "issuer_code_fold", "year", "status", primaryKey, "indexed_at"},
		SortableAttributes: []string{"date", "year", "cited_by"},
		DisplayedAttributes: []string{"pk", "id", "document_id", "number", "title", "type", "type_code", "issuer",
			"issuer_code", "date", "year", "subject", "name", "status", "cited_by", "text"},
		RankingRules: []string{"words", "typo", "proximity", "attribute", "sort", "exactness", "cited_by:desc"},
		Synonyms:     Synonyms(),
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
			DisableOnAttributes: []string{"number", "issuer_code"},
			DisableOnNumbers:    true,
		},
	}
}

// Synonyms maps each type code to its name and back, lower-cased, with and
// without diacritics (qđ ↔ quyết định, qd ↔ quyet dinh).
func Synonyms() map[string][]string {
	syn := map[string][]string{}
	add := func(a, b string) {
		for _, x := range syn[a] {
			if x == b {
				return
			}
		}
		syn[a] = append(syn[a], b)
	}
	for code, name := range search.TypeCodes {
		if code == "L" {
			continue
		}
		c, n := strings.ToLower(code), strings.ToLower(name)
		for _, pair := range [][2]string{{c, n}, {danvan.Fold(c), danvan.Fold(n)}} {
			add(pair[0], pair[1])
			add(pair[1], pair[0])
		}
	}
	return syn
}

// doc is a search.Doc as stored in Meilisearch, with the folded fields
// filters compare against.
type doc struct {
	PK             string `json:"pk"`
	ID             string `json:"id"`
	DocumentID     int64  `json:"document_id,omitempty"`
	Number         string `json:"number"`
	Title          string `json:"title"`
	Type           string `json:"type"`
	TypeCode       string `json:"type_code"`
	TypeFold       string `json:"type_fold"`
	TypeNameFold   string `json:"type_name_fold"`
	Issuer         string `json:"issuer"`
	IssuerCode     string `json:"issuer_code"`
	IssuerFold     string `json:"issuer_fold"`
	IssuerCodeFold string `json:"issuer_code_fold"`
	Date           string `json:"date,omitempty"`
	Year           int    `json:"year,omitempty"`
	Subject        string `json:"subject"`
	Name           string `json:"name,omitempty"`
	Status         string `json:"status"`
	Text           string `json:"text,omitempty"`
	CitedBy        int    `json:"cited_by"`
	// IndexedAt is when the adapter sent it, in Unix milliseconds: a full
	// reindex deletes what it did not send again (DeleteStale).
	IndexedAt int64 `json:"indexed_at"`
}

// pk turns a registry key into a Meilisearch id: only a-z 0-9 - _ are
// allowed (a "/" fails the whole batch), so fold, replace the rest and add
// a hash so distinct keys never collide.
func pk(id string) string {
	var b strings.Builder
	for _, r := range danvan.Fold(id) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	slug := b.String()
	if len(slug) > 80 {
		slug = slug[:80]
	}
	sum := sha256.Sum256([]byte(id))
	return slug + "_" + hex.EncodeToString(sum[:8])
}

func fold(s string) string { return strings.Join(strings.Fields(danvan.Fold(s)), " ") }

func toDoc(d search.Doc, now time.Time) doc {
	title := strings.TrimSpace(d.Type + " " + d.Number)
	if d.Number == "" {
		title = d.Name
	}
	status := d.Status
	if status == "" {
		status = danvan.DocUnknown
	}
	return doc{PK: pk(d.ID), ID: d.ID, DocumentID: d.DocumentID, Number: d.Number, Title: title, Type: d.Type,
		TypeCode: d.TypeCode, TypeFold: fold(d.TypeCode), TypeNameFold: fold(d.Type), Issuer: d.Issuer,
		IssuerCode: d.IssuerCode, IssuerFold: fold(d.Issuer), IssuerCodeFold: fold(d.IssuerCode), Date: d.Date,
		Year: d.Year, Subject: d.Subject, Name: d.Name, Status: status, Text: d.Text, CitedBy: d.CitedBy,
		IndexedAt: now.UnixMilli()}
}

// Upsert adds or replaces docs in batches, waiting for each batch's task.
// It returns the first failure; earlier batches stay indexed.
func (ix *Index) Upsert(ctx context.Context, docs []search.Doc) error {
	pkName := primaryKey
	for start := 0; start < len(docs); start += ix.batch {
		end := min(start+ix.batch, len(docs))
		batch := make([]doc, 0, end-start)
		now := time.Now()
		for _, d := range docs[start:end] {
			batch = append(batch, toDoc(d, now))
		}
		info, err := ix.client.Index(ix.uid).AddDocumentsWithContext(ctx, batch, &meilisearch.DocumentOptions{PrimaryKey: &pkName})
		if err := ix.wait(ctx, info, err); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes the documents with these registry keys, by a filter on
// their primary keys (POST /indexes/{uid}/documents/delete, which the
// OpenAPI description documents; the client's delete-batch route is not
// in it), and waits for each task; unknown keys are ignored. It returns
// the translated failure.
func (ix *Index) Delete(ctx context.Context, ids []string) error {
	for start := 0; start < len(ids); start += ix.batch {
		end := min(start+ix.batch, len(ids))
		pks := make([]string, 0, end-start)
		for _, id := range ids[start:end] {
			pks = append(pks, strconv.Quote(pk(id))) // pk is [a-z0-9_-]: quoting is exact
		}
		info, err := ix.client.Index(ix.uid).DeleteDocumentsByFilterWithContext(ctx,
			primaryKey+" IN ["+strings.Join(pks, ", ")+"]", nil)
		if err := ix.wait(ctx, info, err); err != nil {
			return err
		}
	}
	return nil
}

// DeleteStale removes the documents upserted before t and waits for the
// task. It returns the translated failure.
func (ix *Index) DeleteStale(ctx context.Context, t time.Time) error {
	info, err := ix.client.Index(ix.uid).DeleteDocumentsByFilterWithContext(ctx,
		"indexed_at < "+strconv.FormatInt(t.UnixMilli(), 10), nil)
	return ix.wait(ctx, info, err)
}

// DeleteIndex drops the whole index (tests, or a rebuild from scratch) and
// waits for it. It returns the translated failure.
func (ix *Index) DeleteIndex(ctx context.Context) error {
	info, err := ix.client.DeleteIndexWithContext(ctx, ix.uid)
	return ix.wait(ctx, info, err)
}

// Search runs q. Words are folded and "số" before a number is dropped
// (search.ParseQuery), the "frequency" matching strategy drops the most
// common words first when not all match, and an empty query lists the
// filtered documents newest first. It returns the translated failure.
func (ix *Index) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	start := time.Now()
	p := search.ParseQuery(q.Q)
	limit, offset := q.Page()
	req := &meilisearch.SearchRequest{
		Limit: int64(limit), Offset: int64(offset),
		AttributesToHighlight: []string{"title", "subject", "text"},
		AttributesToCrop:      []string{"text"}, CropLength: 30, CropMarker: "…",
		HighlightPreTag: "<mark>", HighlightPostTag: "</mark>",
		MatchingStrategy: meilisearch.Frequency,
	}
	if f := filter(q); f != "" {
		req.Filter = f // an empty filter string is not "no filter" to every version
	}
	query := strings.Join(p.Words, " ")
	if query == "" {
		req.Sort = []string{"date:desc"}
	}
	resp, err := ix.client.Index(ix.uid).SearchWithContext(ctx, query, req)
	if err != nil {
		return nil, translate(err)
	}
	res := &search.Result{Hits: make([]search.Hit, 0, len(resp.Hits)), Total: int(resp.EstimatedTotalHits)}
	if resp.TotalHits > 0 {
		res.Total = int(resp.TotalHits)
	} else {
		res.TotalCapped = resp.EstimatedTotalHits >= 1000 // maxTotalHits' default: counting stops there
	}
	for _, h := range resp.Hits {
		var d struct {
			doc
			Formatted struct {
				Title   string `json:"title"`
				Subject string `json:"subject"`
				Text    string `json:"text"`
			} `json:"_formatted"`
		}
		if err := h.DecodeInto(&d); err != nil {
			return nil, danvan.Errorf(danvan.EInternal, "meilisearch hit: %v", "kết quả meilisearch không đọc được: %v", err)
		}
		snippet := markup(d.Formatted.Title)
		if d.Formatted.Subject != "" {
			snippet += " " + markup(d.Formatted.Subject)
		}
		if strings.Contains(d.Formatted.Text, "<mark>") {
			snippet += " … " + markup(d.Formatted.Text)
		}
		res.Hits = append(res.Hits, search.Hit{ID: d.ID, DocumentID: d.DocumentID, Number: d.Number, Type: d.Type,
			TypeCode: d.TypeCode, Issuer: d.Issuer, Date: d.Date, Year: d.Year, Subject: d.Subject, Name: d.Name,
			Status: d.Status, CitedBy: d.CitedBy, Snippet: snippet})
	}
	res.SetTook(time.Since(start))
	return res, nil
}

// markup escapes Meilisearch's formatted text as HTML but keeps its marks:
// Meilisearch itself escapes nothing.
func markup(s string) string {
	s = html.EscapeString(s)
	return strings.NewReplacer("&lt;mark&gt;", "<mark>", "&lt;/mark&gt;", "</mark>").Replace(s)
}

// filter builds the Meilisearch filter expression for q's filters; values
// are folded like the *_fold fields they compare with.
func filter(q search.Query) string {
	var parts []string
	if len(q.Types) > 0 {
		var or []string
		for _, t := range q.Types {
			for _, c := range search.TypeFolds(t) {
				or = append(or, "type_fold = "+strconv.Quote(c))
			}
			or = append(or, "type_name_fold = "+strconv.Quote(fold(t)))
		}
		parts = append(parts, "("+strings.Join(or, " OR ")+")")
	}
	if q.Issuer != "" {
		f := strconv.Quote(fold(q.Issuer))
		parts = append(parts, "(issuer_fold = "+f+" OR issuer_code_fold = "+f+")")
	}
	if q.YearFrom > 0 {
		parts = append(parts, "year >= "+strconv.Itoa(q.YearFrom))
	}
	if q.YearTo > 0 {
		parts = append(parts, "year <= "+strconv.Itoa(q.YearTo))
	}
	if q.Status != "" {
		parts = append(parts, "status = "+strconv.Quote(q.Status))
	}
	return strings.Join(parts, " AND ")
}
