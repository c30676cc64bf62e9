package danvan

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Document validity statuses. Most cited documents are "unknown": only an
// explicit replacement ("thay thế") in some text tells us more.
const (
	DocInForce  = "in_force"
	DocReplaced = "replaced"
	DocRepealed = "repealed" // "bãi bỏ"
	DocExpired  = "expired"  // "hết hiệu lực"
	DocAmended  = "amended"  // "sửa đổi, bổ sung": still in force, changed
	DocUnknown  = "unknown"
)

// Relations between a citing and a cited document, derived from the words
// around each mention.
const (
	RelCanCu    = "can_cu"    // preamble "Căn cứ …": the legal basis
	RelThucHien = "thuc_hien" // "Thực hiện Kế hoạch số …": implements a parent plan
	RelThayThe  = "thay_the"  // "thay thế" / "hiện nay là": replaces the cited one
	RelDanChieu = "dan_chieu" // any other reference
)

// Document is one legal or administrative document in the registry: either
// imported with its full text, or known only because another document cites
// it. Key is its normalised identity (see DocumentKey).
type Document struct {
	ID         int64      `json:"id"`
	Key        string     `json:"key"`
	Number     string     `json:"number"`
	Type       string     `json:"type"`
	TypeCode   string     `json:"type_code"`
	Issuer     string     `json:"issuer"`
	IssuerCode string     `json:"issuer_code"`
	Date       string     `json:"date,omitempty"` // YYYY-MM-DD, "" when unknown
	Year       int        `json:"year,omitempty"` // 0 when unknown
	Subject    string     `json:"subject,omitempty"`
	Name       string     `json:"name,omitempty"` // laws cited by name
	Status     string     `json:"status"`
	HasText    bool       `json:"has_text"`
	Text       string     `json:"-"` // large; fetched only where needed
	SourceFile string     `json:"source_file,omitempty"`
	ImportedAt *time.Time `json:"imported_at,omitempty"`
	CitedBy    int        `json:"cited_by"`
	// OwnerUnit is the unit whose accepted submission this is; "" for an
	// administrator's import or a document known only from citations.
	OwnerUnit string `json:"owner_unit,omitempty"`
}

// Title returns "Kế hoạch 53/KH-UBND", or the name for a law cited by name.
func (d *Document) Title() string {
	if d.Number == "" {
		return d.Name
	}
	return strings.TrimSpace(d.Type + " " + d.Number)
}

// Mention is one place where a citing document cites another: byte offsets
// in the citing text, the words as written and the relation they express.
type Mention struct {
	ID            int64  `json:"id"`
	CitingID      int64  `json:"citing_id"`
	CitedID       int64  `json:"cited_id"`
	SpanStart     int    `json:"span_start"`
	SpanEnd       int    `json:"span_end"`
	Raw           string `json:"raw"`
	DateAsWritten string `json:"date_as_written,omitempty"`
	Relation      string `json:"relation"`
	// IssuerAsWritten is the issuer the text names at this mention, "" when
	// it names none.
	IssuerAsWritten string `json:"issuer_as_written,omitempty"`
}

// Relation is a distinct (citing, cited, type) triple derived from mentions,
// with the other end's summary and the first mention's words so a reader
// sees why the link exists.
type Relation struct {
	CitingID int64     `json:"citing_id"`
	CitedID  int64     `json:"cited_id"`
	Type     string    `json:"relation"`
	Mentions int       `json:"mentions"`
	Raw      string    `json:"raw"`   // first mention's words
	Other    *Document `json:"other"` // the document at the far end (no text)
}

// Anomaly is something wrong a citing document's text says about a cited
// document (an impossible date, two dates for one number…), kept as found.
type Anomaly struct {
	ID         int64  `json:"id"`
	DocumentID int64  `json:"document_id"`
	CitedKey   string `json:"cited_key,omitempty"`
	CitedID    *int64 `json:"cited_id,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Message    string `json:"message"`
	// MessageVI is the message in Vietnamese, "" when only the English one
	// exists (anomalies the extractor reported).
	MessageVI string `json:"message_vi,omitempty"`
}

// CitationSet is everything one citing document's text says: the documents
// it cites (each with its mentions) and the anomalies found. Saving it
// replaces what was saved before for that document.
type CitationSet struct {
	Cited     []CitedDocument `json:"cited"`
	Anomalies []Anomaly       `json:"anomalies"`
	// Validity lists what the text says about cited documents' force.
	Validity []ValidityStatement `json:"validity,omitempty"`
}

// CitedDocument is one cited document as the citing text describes it and
// the places it is mentioned.
type CitedDocument struct {
	Document Document  `json:"document"`
	Mentions []Mention `json:"mentions"`
}

// DocumentService is the registry of documents and who cites whom.
type DocumentService interface {
	// UpsertDocument merges d into the registry and returns the stored row;
	// EInvalid when d has neither number nor name.
	UpsertDocument(ctx context.Context, d *Document) (*Document, error)
	// SaveCitations replaces citingID's mentions and anomalies; ENotFound
	// when citingID does not exist.
	SaveCitations(ctx context.Context, citingID int64, set *CitationSet) error
	// FindDocument finds by id, key or number; ENotFound when none matches.
	FindDocument(ctx context.Context, idOrNumber string) (*Document, error)
	// CitedBy lists what cites id; Cites lists what id cites.
	CitedBy(ctx context.Context, id int64) ([]Relation, error)
	Cites(ctx context.Context, id int64) ([]Relation, error)
}

// DocumentKey returns the normalised identity of a document: issuer code,
// number and year ("ubnd|53/kh-ubnd|2022"), the number alone when the year
// is unknown ("|53/kh-ubnd|"), or "name|…" for a law cited only by name. It
// returns "" when there is neither number nor name.
func DocumentKey(issuerCode, number string, year int, name string) string {
	n := NormalizeNumber(number)
	if n == "" {
		if name = Fold(strings.Join(strings.Fields(name), " ")); name == "" {
			return ""
		}
		return "name|" + name
	}
	if year <= 0 {
		return "|" + n + "|"
	}
	return NormalizeNumber(issuerCode) + "|" + n + "|" + strconv.Itoa(year)
}

// NormalizeNumber folds a document number for comparison: lower case, no
// diacritics (NĐ → nd), no spaces, no superscript caret ("19^A" → "19a").
func NormalizeNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '^' {
			continue
		}
		if f := FoldRune(r); f != 0 {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// Fold lower-cases s and strips Vietnamese diacritics, đ included, so
// "Chỉ thị" and "chi thi" compare equal.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f := FoldRune(r); f != 0 {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// FoldRune returns r lower-cased without its diacritic, or 0 for a
// combining mark (text in decomposed form) that should be dropped.
func FoldRune(r rune) rune {
	if r < 0x80 {
		return unicode.ToLower(r)
	}
	if unicode.Is(unicode.Mn, r) {
		return 0
	}
	r = unicode.ToLower(r)
	if f, ok := foldTable[r]; ok {
		return f
	}
	return r
}

// foldTable maps every precomposed Vietnamese lower-case letter to its base.
var foldTable = func() map[rune]rune {
	m := map[rune]rune{}
	for base, letters := range map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ",
		'e': "èéẻẽẹêềếểễệ",
		'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ",
		'u': "ùúủũụưừứửữự",
		'y': "ỳýỷỹỵ",
		'd': "đ",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()
