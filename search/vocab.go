package search

import (
	"strings"
	"unicode"

	"github.com/danvan/danvan"
)

// TypeCodes maps each document type code (Nghị định 30/2020 Phụ lục III,
// plus NĐ, TT, KL, CV, CTr and Party forms) to its Vietnamese name. Search
// needs it for synonyms both ways: people type "qđ 1211" and "quyết định
// 1211" for the same thing.
var TypeCodes = map[string]string{
	"NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QYĐ": "Quy định",
	"TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình", "KH": "Kế hoạch",
	"PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "TTr": "Tờ trình",
	"HĐ": "Hợp đồng", "CĐ": "Công điện", "GM": "Giấy mời", "KL": "Kết luận", "TT": "Thông tư",
	"NĐ": "Nghị định", "CV": "Công văn", "CTrPH": "Chương trình phối hợp", "L": "Luật",
}

// typeByFold maps folded codes and names to the folded type codes they
// stand for. Folding merges ĐA/DA and HĐ/HD, so one word may mean two.
var typeByFold, typeNameWords = func() (map[string][]string, int) {
	m := map[string][]string{}
	longest := 1
	add := func(k, code string) {
		for _, c := range m[k] {
			if c == code {
				return
			}
		}
		m[k] = append(m[k], code)
	}
	for code, name := range TypeCodes {
		fc := danvan.Fold(code)
		if code != "L" { // "l" alone is not a word anyone types for Luật
			add(fc, fc)
		}
		fn := danvan.Fold(name)
		add(fn, fc)
		if n := len(strings.Fields(fn)); n > longest {
			longest = n
		}
	}
	return m, longest
}()

// TypeFolds returns the folded type codes a code or name stands for ("KH",
// "kế hoạch" → ["kh"]; "da" → ["da"] which also covers Đề án), or nil when
// s names no known type.
func TypeFolds(s string) []string {
	return typeByFold[strings.Join(strings.Fields(danvan.Fold(s)), " ")]
}

// Parsed is a query taken apart: what each word is for.
type Parsed struct {
	// Words are the folded words to match as text, numbers split at "/"
	// and "-" the way the index splits them ("53/KH-UBND" → 53 kh ubnd).
	Words []string
	// Numbers are whole document numbers, normalised (danvan.NormalizeNumber).
	Numbers []string
	// NumberHeads are bare leading numbers ("33", "19a") that, with a type
	// word, name a document ("chi thi 33").
	NumberHeads []string
	// TypeFolds are folded type codes named by type words or codes.
	TypeFolds []string
}

// Empty reports whether the query has nothing to match.
func (p *Parsed) Empty() bool { return len(p.Words) == 0 && len(p.Numbers) == 0 }

// ParseQuery takes q apart. It never fails: any text is a query.
func ParseQuery(q string) *Parsed {
	p := &Parsed{}
	var plain []string
	toks := strings.Fields(q)
	for i, tok := range toks {
		tok = strings.Trim(tok, `.,;:!?()[]{}"'“”‘’«»`)
		if tok == "" {
			continue
		}
		// "số" before a number is how numbers are written ("Chỉ thị số
		// 33"), not something the document says; elsewhere it is a word
		// ("số hóa").
		if danvan.Fold(tok) == "so" && i+1 < len(toks) && startsWithDigit(toks[i+1]) {
			continue
		}
		norm := danvan.NormalizeNumber(tok)
		if looksLikeNumber(norm) {
			p.Numbers = appendUnique(p.Numbers, norm)
			if head, _, _ := strings.Cut(strings.FieldsFunc(norm, isSep)[0], "^"); head != "" {
				p.NumberHeads = appendUnique(p.NumberHeads, head)
			}
		} else if startsWithDigit(norm) && !strings.ContainsFunc(norm, isSep) {
			p.NumberHeads = appendUnique(p.NumberHeads, norm)
		}
		for _, w := range Words(tok) {
			p.Words = appendUnique(p.Words, w)
			plain = append(plain, w)
		}
	}
	// Type words: longest run of words first, so "chuong trinh phoi hop"
	// wins over "chuong trinh".
	for i := 0; i < len(plain); {
		matched := 0
		for n := min(typeNameWords, len(plain)-i); n >= 1; n-- {
			if codes := typeByFold[strings.Join(plain[i:i+n], " ")]; codes != nil {
				for _, c := range codes {
					p.TypeFolds = appendUnique(p.TypeFolds, c)
				}
				matched = n
				break
			}
		}
		i += max(matched, 1)
	}
	return p
}

// Words splits s into folded words: runs of letters and digits.
func Words(s string) []string {
	return strings.FieldsFunc(danvan.Fold(s), func(r rune) bool { return !isWordRune(r) })
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isSep(r rune) bool { return r == '/' || r == '-' }

// looksLikeNumber reports whether a normalised token is a document number:
// digits first, then "/" or "-" and letters (53/kh-ubnd, 25-nq/tw).
func looksLikeNumber(s string) bool {
	if !startsWithDigit(s) || !strings.ContainsFunc(s, isSep) {
		return false
	}
	return strings.ContainsFunc(s, unicode.IsLetter)
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func appendUnique(xs []string, s string) []string {
	for _, x := range xs {
		if x == s {
			return xs
		}
	}
	return append(xs, s)
}
