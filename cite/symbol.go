package cite

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// symbol is a parsed document number such as 48/2021/QĐ-UBND or 25-NQ/TW.
type symbol struct {
	start, end int    // normalised byte span of the number itself
	number     string // as written, spaces and carets removed
	base       string // number without its year segment, canonical codes
	year       int    // year segment, 0 when absent
	typeCode   string // canonical type code, "" for letters and laws
	issuer     string // canonical issuer code(s), joint issuers joined by "-"
	party      bool
	law        bool // N/YYYY/QHnn or UBTVQHnn
	malformed  bool
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// boundaryBefore reports whether a number may start at i: the previous
// rune must not be part of a word, a number or another symbol.
func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return false
	}
	switch r {
	case '/', '-', '.', ',', '%':
		return false
	}
	return true
}

// readSeg reads one code segment at i: an upper-case letter then letters
// and digits, mostly upper case ("UBND", "TTg", "CTrPH", "QH15").
func readSeg(s string, i int) (string, int) {
	j := i
	upper, lower, n := 0, 0, 0
	for j < len(s) {
		r, sz := utf8.DecodeRuneInString(s[j:])
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			if n == 0 {
				return "", i
			}
			lower++
		case unicode.IsDigit(r):
			if n == 0 {
				return "", i
			}
		case r == '&':
			// QLĐĐ&BĐ: divisions joined by '&' inside one segment.
			if n == 0 || j+1 >= len(s) {
				goto done
			}
			if r2, _ := utf8.DecodeRuneInString(s[j+1:]); !unicode.IsUpper(r2) {
				goto done
			}
		default:
			goto done
		}
		n++
		j += sz
	}
done:
	if n == 0 || n > 16 || lower > upper {
		return "", i
	}
	return s[i:j], j
}

// readSegs reads segments joined by '-', allowing one space after the
// hyphen ("834/QĐ- UBND" is common in typed text).
func readSegs(s string, i int) ([]string, int) {
	seg, j := readSeg(s, i)
	if seg == "" {
		return nil, i
	}
	segs := []string{seg}
	for j < len(s) && s[j] == '-' && len(segs) < 8 {
		k := j + 1
		if k < len(s) && s[k] == ' ' {
			k++
		}
		seg, k2 := readSeg(s, k)
		if seg == "" {
			break
		}
		segs = append(segs, seg)
		j = k2
	}
	return segs, j
}

// parseSymbol tries to read a document number starting at digit i.
func parseSymbol(s string, i int, d *Dictionary) (symbol, bool) {
	sym := symbol{start: i}
	j := i
	for j < len(s) && isDigit(s[j]) && j-i < 6 {
		j++
	}
	if j == i || j >= len(s) || (j < len(s) && isDigit(s[j])) {
		return sym, false
	}
	digits := s[i:j]
	// A letter suffix: 30a/2008/NQ-CP, 19A/QĐ-UBND (19^A once carets go).
	if j+1 < len(s) && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')) && (s[j+1] == '/' || s[j+1] == '-') {
		digits = s[i : j+1]
		j++
	}
	if j >= len(s) {
		return sym, false
	}
	var segs []string
	sep := s[j]
	j++
	switch sep {
	case '/':
		if j+5 <= len(s) && isDigit(s[j]) && isDigit(s[j+1]) && isDigit(s[j+2]) && isDigit(s[j+3]) && j+4 < len(s) && s[j+4] == '/' {
			y := int(s[j]-'0')*1000 + int(s[j+1]-'0')*100 + int(s[j+2]-'0')*10 + int(s[j+3]-'0')
			if y >= 1945 && y <= 2100 {
				sym.year = y
				j += 5
			}
		}
		segs, j = readSegs(s, j)
		if len(segs) == 0 {
			return sym, false
		}
		if sym.year == 0 && j+1 < len(s) && s[j] == '/' {
			// 53/KH/UBND: slash where a hyphen belongs.
			if more, k := readSegs(s, j+1); len(more) > 0 {
				segs = append(segs, more...)
				j = k
				sym.malformed = true
			}
		}
		if !sym.classifySlash(segs, d) {
			return sym, false
		}
	case '-':
		seg, k := readSeg(s, j)
		tc := d.typeCode(seg)
		if seg == "" || tc == "" || k >= len(s) {
			return sym, false
		}
		j = k
		sym.typeCode = tc
		sym.party = true
		switch s[j] {
		case '/':
			segs, j = readSegs(s, j+1)
		case '-':
			// 1229-KH-VP: the Party hyphen with the state hyphen.
			segs, j = readSegs(s, j+1)
			sym.malformed = true
			sym.party = false
		}
		if len(segs) == 0 {
			return sym, false
		}
		sym.issuer = canonIssuers(segs, d, true)
	default:
		return sym, false
	}
	if j < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[j:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return sym, false
		}
	}
	sym.end = j
	sym.number = strings.ReplaceAll(s[i:j], " ", "")
	sym.base = sym.makeBase(digits, segs)
	return sym, true
}

// classifySlash sorts out the '/' forms: normative (year), law (QHnn),
// typed state document (KH-UBND) or letter (SNV-XDCQ).
func (sym *symbol) classifySlash(segs []string, d *Dictionary) bool {
	first := strings.ToUpper(segs[0])
	if sym.year > 0 && (isLawSeg(first, "QH") || isLawSeg(first, "UBTVQH")) {
		sym.law = true
		sym.issuer = strings.TrimRight(first, "0123456789")
		return true
	}
	if tc := d.typeCode(segs[0]); tc != "" && len(segs) >= 2 {
		sym.typeCode = tc
		sym.issuer = canonIssuers(segs[1:], d, false)
		return true
	}
	if sym.year > 0 {
		// Unknown type code in a normative number: keep it, it is still
		// clearly a document number.
		if len(segs) < 2 {
			return false
		}
		sym.typeCode = segs[0]
		sym.issuer = canonIssuers(segs[1:], d, false)
		return true
	}
	// A letter: N/ISSUER-DIVISION. Only accept issuer-looking codes.
	if d.issuerCode(segs[0]) == "" && !allUpper(segs[0]) {
		return false
	}
	if len([]rune(segs[0])) < 2 {
		return false
	}
	sym.issuer = canonIssuers(segs[:1], d, false)
	return true
}

func isLawSeg(s, prefix string) bool {
	if !strings.HasPrefix(s, prefix) || len(s) == len(prefix) {
		return false
	}
	for i := len(prefix); i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func allUpper(s string) bool {
	for _, r := range s {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// canonIssuers joins issuer codes. For Party documents every segment is an
// issuer (joint issuers); for state documents later unknown segments are
// divisions of the first issuer and are dropped.
func canonIssuers(segs []string, d *Dictionary, joint bool) string {
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		c := d.issuerCode(s)
		if c == "" {
			if i > 0 && !joint {
				continue
			}
			c = s
		}
		out = append(out, c)
	}
	return strings.Join(out, "-")
}

// makeBase is the merge key's number: canonical codes, no year segment,
// upper case, so 48/QĐ-UBND and 48/2021/QĐ-UBND meet.
func (sym *symbol) makeBase(digits string, segs []string) string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(digits))
	if sym.party {
		b.WriteString("-" + sym.typeCode + "/")
	} else {
		b.WriteString("/")
		if sym.typeCode != "" {
			b.WriteString(sym.typeCode + "-")
		}
	}
	if sym.law {
		b.WriteString(strings.ToUpper(segs[0]))
	} else {
		b.WriteString(strings.ToUpper(sym.issuer))
	}
	return b.String()
}
