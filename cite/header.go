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
// ("Số: /BC-UBND") gives no Document. The number may stand on the line
// after "Số:", and a header laid out as a table comes as rows of cells
// ("| Số: 17/NQ-HĐND | Mường Ảng, ngày 20 tháng 12 năm 2023 |"): each
// cell is read as a line of its own.
func readHeader(s string, d *Dictionary) header {
	var h header
	head := s
	if len(head) > headLimit {
		head = head[:headLimit]
	}
	numberSeen := false
	wantNumber := false // "Số:" ended its line or cell; the number follows
	for ls := 0; ls < len(head); {
		le := strings.IndexByte(head[ls:], '\n')
		if le < 0 {
			le = len(head)
		} else {
			le += ls
		}
		for cs := ls; cs < le; {
			ce := strings.IndexByte(head[cs:le], '|')
			if ce < 0 {
				ce = le
			} else {
				ce += cs
			}
			a, b := cs, ce
			for a < b && (head[a] == ' ' || head[a] == '|') {
				a++
			}
			for b > a && head[b-1] == ' ' {
				b--
			}
			if a < b {
				h.readCell(s, a, b, d, &numberSeen, &wantNumber)
			}
			cs = ce + 1
		}
		ls = le + 1
	}
	if h.doc != nil && h.hasDate && h.date.valid() {
		h.doc.Date = h.date.iso()
	}
	return h
}

// readCell reads one header line or table cell s[ls:le].
func (h *header) readCell(s string, ls, le int, d *Dictionary, numberSeen, wantNumber *bool) {
	line := s[ls:le]
	if *wantNumber {
		*wantNumber = false
		if isDigit(line[0]) {
			h.readNumber(s, ls, d)
		}
	}
	if !*numberSeen {
		for _, p := range []string{"Số:", "Số :", "SỐ:", "Số hiệu:"} {
			if strings.HasPrefix(line, p) {
				*numberSeen = true
				j := skipSpaces(s, ls+len(p))
				switch {
				case j >= le:
					*wantNumber = true
				case isDigit(s[j]):
					h.readNumber(s, j, d)
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
}

// readNumber reads the document's own number at j.
func (h *header) readNumber(s string, j int, d *Dictionary) {
	sym, ok := parseSymbol(s, j, d)
	if !ok {
		return
	}
	h.doc = &Document{Number: sym.number, TypeCode: sym.typeCode,
		Type: d.TypeName(sym.typeCode), IssuerCode: sym.issuer,
		Issuer: d.IssuerName(sym.issuer)}
	if sym.typeCode == "" && !sym.law {
		h.doc.Type = "Công văn"
	}
	h.base = sym.base
}
