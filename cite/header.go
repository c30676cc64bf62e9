package cite

import "strings"

// headLimit bounds the search for the header: the number and date sit in
// the first lines, and web copies put a metadata block before them.
const headLimit = 6000

// header is the citing document's identity as read from its first lines.
type header struct {
	doc      *Document
	base     string // merge key of the document's own number
	date     dateLit
	hasDate  bool
	province string
}

// readHeader finds "Số: 3235/QĐ-UBND" (or "Số hiệu:") and the place-date
// line "Sơn La, ngày 18 tháng 12 năm 2017" near the top. A blank number
// ("Số: /BC-UBND") gives no Document.
func readHeader(s string, d *Dictionary) header {
	var h header
	head := s
	if len(head) > headLimit {
		head = head[:headLimit]
	}
	numberSeen := false
	for ls := 0; ls < len(head); {
		le := strings.IndexByte(head[ls:], '\n')
		if le < 0 {
			le = len(head)
		} else {
			le += ls
		}
		line := head[ls:le]
		if !numberSeen {
			for _, p := range []string{"Số:", "Số :", "SỐ:", "Số hiệu:"} {
				if strings.HasPrefix(line, p) {
					numberSeen = true
					j := skipSpaces(s, ls+len(p))
					if j < len(s) && isDigit(s[j]) {
						if sym, ok := parseSymbol(s, j, d); ok {
							h.doc = &Document{Number: sym.number, TypeCode: sym.typeCode,
								Type: d.TypeName(sym.typeCode), IssuerCode: sym.issuer,
								Issuer: d.IssuerName(sym.issuer)}
							if sym.typeCode == "" && !sym.law {
								h.doc.Type = "Công văn"
							}
							h.base = sym.base
						}
					}
					break
				}
			}
		}
		if !h.hasDate {
			if c := strings.Index(line, ", ngày "); c > 0 && c < 60 {
				if dl, ok := parseDateAt(s, skipSpaces(s, ls+c+len(", ngày "))); ok && strings.TrimSpace(s[dl.end:le]) == "" {
					h.date, h.hasDate = dl, true
					h.province = strings.TrimSpace(line[:c])
				}
			}
		}
		ls = le + 1
	}
	if h.doc != nil && h.hasDate && h.date.valid() {
		h.doc.Date = h.date.iso()
	}
	return h
}
