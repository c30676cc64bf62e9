package danvan

import "time"

// Kinds of validity statement: what a text says about another document's
// force.
const (
	ValReplaced = "thay_the"     // "thay thế", "được thay thế bằng"
	ValRepealed = "bai_bo"       // "bãi bỏ"
	ValExpired  = "het_hieu_luc" // "hết hiệu lực"
	ValAmended  = "sua_doi"      // "sửa đổi, bổ sung"
	ValNowIs    = "nay_la"       // "(nay là …)": renamed or replaced
)

// ValidityStatement is one sentence of a citing text about a cited
// document's force. CitedKey and ByKey are document keys within the same
// CitationSet; ByKey "" means the citing document itself acts (a decision
// that "bãi bỏ" another).
type ValidityStatement struct {
	CitedKey  string `json:"cited_key"`
	ByKey     string `json:"by_key,omitempty"`
	BySayer   bool   `json:"by_sayer,omitempty"`
	Kind      string `json:"kind"`
	Sentence  string `json:"sentence"`
	SpanStart int    `json:"span_start"`
}

// Validity is a stored statement with the documents at its ends (without
// their text): Cited is the document whose force it is about, By the one
// that replaces, repeals or amends it (nil when the text does not say),
// SaidBy the document whose text says so.
type Validity struct {
	ID       int64     `json:"id"`
	Kind     string    `json:"kind"`
	KindVI   string    `json:"kind_vi"`
	Sentence string    `json:"sentence"`
	Cited    *Document `json:"cited"`
	By       *Document `json:"by,omitempty"`
	SaidBy   *Document `json:"said_by"`
}

// ValidityKindVI names a validity kind the way staff say it; it returns
// the kind itself for an unknown one.
func ValidityKindVI(kind string) string {
	switch kind {
	case ValReplaced:
		return "thay thế"
	case ValRepealed:
		return "bãi bỏ"
	case ValExpired:
		return "hết hiệu lực"
	case ValAmended:
		return "sửa đổi, bổ sung"
	case ValNowIs:
		return "nay là"
	}
	return kind
}

// StatusOfKind is the document status a statement of kind gives the cited
// document; "" for an unknown kind.
func StatusOfKind(kind string) string {
	switch kind {
	case ValReplaced, ValNowIs:
		return DocReplaced
	case ValRepealed:
		return DocRepealed
	case ValExpired:
		return DocExpired
	case ValAmended:
		return DocAmended
	}
	return ""
}

// StatusVI names a document status in Vietnamese without the "by …" part:
// "còn hiệu lực" for a document nothing in the registry says otherwise
// about (unknown included: no English word reaches a Vietnamese page).
func StatusVI(status string) string {
	switch status {
	case DocReplaced:
		return "đã bị thay thế"
	case DocRepealed:
		return "đã bị bãi bỏ"
	case DocExpired:
		return "đã hết hiệu lực"
	case DocAmended:
		return "còn hiệu lực, đã được sửa đổi, bổ sung"
	}
	return "còn hiệu lực"
}

// DateVI formats an ISO date (YYYY-MM-DD) as dd/mm/yyyy; it returns s
// unchanged when it is not such a date.
func DateVI(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return t.Format("02/01/2006")
}
