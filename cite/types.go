package cite

import "encoding/json"

// Kinds of citation.
const (
	// KindNumbered is a citation by document number (53/KH-UBND).
	KindNumbered = "numbered"
	// KindNamed is a law or resolution cited by its name only.
	KindNamed = "named"
)

// Relations of a mention to the citing document.
const (
	// RelationCanCu marks a legal basis line ("Căn cứ …").
	RelationCanCu = "can_cu"
	// RelationThucHien marks a document the citing one implements.
	RelationThucHien = "thuc_hien"
	// RelationThayThe marks a replaced or replacing document.
	RelationThayThe = "thay_the"
	// RelationDanChieu is any other reference.
	RelationDanChieu = "dan_chieu"
)

// Options tune Extract. The zero value is ready to use.
type Options struct {
	// Dictionary maps type and issuer codes to names; nil means
	// DefaultDictionary, overlaid with the province named in the
	// document's header place line when the dictionary knows it.
	Dictionary *Dictionary
	// Province, when set, selects the dictionary's province overlay
	// explicitly (e.g. "Sơn La") instead of detecting it.
	Province string
}

// Result is what Extract found in one text.
type Result struct {
	// Document is the citing document's own identity; nil when the text
	// has no header number (or a blank one such as "Số: /BC-UBND").
	Document *Document `json:"document"`
	// Citations lists cited documents in order of first mention.
	Citations []Citation `json:"citations"`
}

// FileResult is one file's Result as the CLI prints it:
// {"file": ..., "document": ..., "citations": [...]}.
type FileResult struct {
	File string `json:"file"`
	*Result
}

// Document is the identity of the citing document, from its header.
type Document struct {
	Number     string `json:"number"`
	Type       string `json:"type"`
	TypeCode   string `json:"type_code"`
	Date       string `json:"date"` // YYYY-MM-DD, "" (JSON null) when absent or impossible
	Issuer     string `json:"issuer"`
	IssuerCode string `json:"issuer_code"`
}

// Anomaly is a problem noticed in the text, reported and never fixed.
type Anomaly struct {
	// Code is a short machine code such as "impossible_date".
	Code string `json:"code"`
	// Message explains the problem to a person, quoting the text.
	Message string `json:"message"`
}

// Anomaly codes.
const (
	AnomalyImpossibleDate     = "impossible_date"
	AnomalyConflictingDates   = "conflicting_dates"
	AnomalyYearMismatch       = "year_mismatch"
	AnomalyYearSegment        = "year_segment_inconsistent"
	AnomalyMalformedNumber    = "malformed_number"
	AnomalyDateAfterDocument  = "date_after_document"
	AnomalyDuplicateNumber    = "duplicate_number"
	AnomalyInconsistentIssuer = "inconsistent_issuer"
	AnomalyOutOfSequence      = "date_out_of_sequence"
	AnomalyTypeMismatch       = "type_mismatch"
)

// Citation is one cited document with all its mentions merged.
type Citation struct {
	Kind       string
	Number     string // "" (JSON null) for named citations
	Type       string
	TypeCode   string
	Issuer     string // "" (JSON null) when unknown
	IssuerCode string
	// Date is YYYY-MM-DD from the first mention giving a valid date.
	Date *string
	// DatesSeen lists each distinct date as written, in order.
	DatesSeen []string
	Year      *int
	// Subject is the cited document's subject as written, without
	// enclosing quotes: it starts with "về", or is the clause that follows
	// the date and issuer when the text writes it without "về".
	Subject *string
	// Name is a law's or resolution's name when the text gives one.
	Name         *string
	Mentions     int
	FirstMention string
	Anomalies    []Anomaly
	// MentionList keeps every mention with spans into the original text;
	// it is not part of the JSON contract.
	MentionList []Mention `json:"-"`
	// IssuerSource says where Issuer came from: "text", "list" (shared
	// with a neighbouring citation), "context" ("X đã ban hành …") or
	// "dictionary". Not part of the JSON contract.
	IssuerSource string `json:"-"`
}

// Mention is one occurrence of a citation in the text.
type Mention struct {
	Start, End int    // byte span in the original text
	Raw        string // the original text of the span
	Text       string // the span with whitespace normalised
	Number     string // as written, normalised ("19A/QĐ-UBND"); "" for named
	TypeWord   string // the type word as written before the number, if any
	DateRaw    string // the date as written ("23/3/2022"), if any
	Date       string // YYYY-MM-DD literal conversion, may be impossible
	DateValid  bool
	Issuer     string // issuer as read near this mention, if any
	Subject    string
	Relation   string // one of the Relation constants
	Malformed  bool
	footnote   bool
	normStart  int
	normEnd    int
	issuerFrom string
}

// citationJSON fixes key order and turns empty strings into null.
type citationJSON struct {
	Kind         string    `json:"kind"`
	Number       *string   `json:"number"`
	Type         string    `json:"type"`
	TypeCode     *string   `json:"type_code"`
	Issuer       *string   `json:"issuer"`
	IssuerCode   *string   `json:"issuer_code"`
	Date         *string   `json:"date"`
	DatesSeen    []string  `json:"dates_seen"`
	Year         *int      `json:"year"`
	Subject      *string   `json:"subject"`
	Name         *string   `json:"name"`
	Mentions     int       `json:"mentions"`
	FirstMention string    `json:"first_mention"`
	Anomalies    []Anomaly `json:"anomalies"`
}

func strOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nilToEmpty(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// MarshalJSON writes the contract keys; empty strings become null and
// nil lists become [] so consumers never special-case them. "issuer" is
// the issuing body as the text names it (after "của", in a shared list or
// in the sentence around it), null when only the dictionary could expand
// the code: the JSON reports what the document says, and issuer_code
// carries the rest. The Go field keeps the dictionary's name for the
// registry.
func (c Citation) MarshalJSON() ([]byte, error) {
	issuer := c.Issuer
	if c.IssuerSource == "dictionary" {
		issuer = ""
	}
	j := citationJSON{
		Kind: c.Kind, Number: strOrNil(c.Number), Type: c.Type,
		TypeCode: strOrNil(c.TypeCode), Issuer: strOrNil(issuer),
		IssuerCode: strOrNil(c.IssuerCode), Date: c.Date, DatesSeen: c.DatesSeen,
		Year: c.Year, Subject: c.Subject, Name: c.Name, Mentions: c.Mentions,
		FirstMention: c.FirstMention, Anomalies: c.Anomalies,
	}
	if j.DatesSeen == nil {
		j.DatesSeen = []string{}
	}
	if j.Anomalies == nil {
		j.Anomalies = []Anomaly{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes; it fails on malformed JSON.
func (c *Citation) UnmarshalJSON(b []byte) error {
	var j citationJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = Citation{
		Kind: j.Kind, Number: nilToEmpty(j.Number), Type: j.Type,
		TypeCode: nilToEmpty(j.TypeCode), Issuer: nilToEmpty(j.Issuer),
		IssuerCode: nilToEmpty(j.IssuerCode), Date: j.Date, DatesSeen: j.DatesSeen,
		Year: j.Year, Subject: j.Subject, Name: j.Name, Mentions: j.Mentions,
		FirstMention: j.FirstMention, Anomalies: j.Anomalies,
	}
	return nil
}

type documentJSON struct {
	Number     string  `json:"number"`
	Type       *string `json:"type"`
	TypeCode   *string `json:"type_code"`
	Date       *string `json:"date"`
	Issuer     *string `json:"issuer"`
	IssuerCode *string `json:"issuer_code"`
}

// MarshalJSON writes empty fields as null.
func (d Document) MarshalJSON() ([]byte, error) {
	return json.Marshal(documentJSON{
		Number: d.Number, Type: strOrNil(d.Type), TypeCode: strOrNil(d.TypeCode),
		Date: strOrNil(d.Date), Issuer: strOrNil(d.Issuer), IssuerCode: strOrNil(d.IssuerCode),
	})
}

// UnmarshalJSON reads what MarshalJSON writes; it fails on malformed JSON.
func (d *Document) UnmarshalJSON(b []byte) error {
	var j documentJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = Document{Number: j.Number, Type: nilToEmpty(j.Type), TypeCode: nilToEmpty(j.TypeCode),
		Date: nilToEmpty(j.Date), Issuer: nilToEmpty(j.Issuer), IssuerCode: nilToEmpty(j.IssuerCode)}
	return nil
}
