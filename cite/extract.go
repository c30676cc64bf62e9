package cite

import (
	"slices"
	"strings"
)

// mention is a Mention plus what merging and the anomaly checks need.
type mention struct {
	Mention
	kind     string
	sym      symbol
	date     dateLit
	hasDate  bool
	typeWord string
	name     string
	year     int // year segment or named year; 0 when absent
	typ      string
	// The mention's own end before any subject, used to find lists.
	coreEnd int
	// repeats counts later mentions the streaming Extractor folded into
	// this one because they read exactly the same (see Extractor).
	repeats int
}

// Extract finds the citing document's identity and every citation in text.
// It never fails: text it cannot read yields fewer citations, and problems
// in the text are reported as anomalies on the citations.
func Extract(text string, opts Options) *Result {
	return extract(text, opts, headLimit)
}

// extract is Extract normalising the first keep bytes whole (see
// normalize); keep < 0 normalises everything, which the tests use to check
// that the first pass loses nothing.
func extract(text string, opts Options, keep int) *Result {
	d := opts.Dictionary
	if d == nil {
		d = DefaultDictionary()
	}
	n := normalize(text, keep)
	defer n.release()
	h := readHeader(n.s, d)
	d = provinceDictionary(d, opts, h)
	ms := mentionsIn(text, n, d, h)
	res := &Result{Document: h.doc, Citations: merge(ms, d, h)}
	if res.Citations == nil {
		res.Citations = []Citation{}
	}
	return res
}

// provinceDictionary overlays the province the options name, else the one
// the header's place line names.
func provinceDictionary(d *Dictionary, opts Options, h header) *Dictionary {
	switch {
	case opts.Province != "":
		return d.ForProvince(opts.Province)
	case h.province != "":
		return d.ForProvince(h.province)
	}
	return d
}

// mentionsIn finds every mention in text (normalised as n), in order, with
// spans into text; h is the citing document's header, whose own number is
// not a citation.
func mentionsIn(text string, n *normText, d *Dictionary, h header) []mention {
	s := n.s
	ms := scanNumbered(s, d)
	ms = append(ms, namedMentions(s, d, ms)...)
	slices.SortStableFunc(ms, func(a, b mention) int { return a.normStart - b.normStart })
	ms = dropSelf(ms, h.base)
	shareListIssuers(s, ms)
	basis := basisRanges(s)
	for i := range ms {
		m := &ms[i]
		// A document cited by name carries its issuer in its name (a
		// Central Committee resolution); the sentence's subject is not it.
		if m.Issuer == "" && m.kind != KindNamed {
			if b := contextIssuer(s, m.normStart); b != "" && bodyFitsCode(b, m.sym.issuer, d) {
				m.Issuer, m.issuerFrom = b, "context"
			}
		}
		m.Relation = relationOf(s, m.normStart, m.coreEnd, basis)
		m.Start, m.End = n.srcSpan(m.normStart, m.coreEnd)
		m.Raw = text[m.Start:m.End]
		m.Text = s[m.normStart:m.coreEnd]
		m.footnote = strings.HasPrefix(s[lineStart(s, m.normStart):], "¹")
	}
	return ms
}

// scanNumbered anchors on every digit run that starts a document number,
// which keeps the scan linear: nothing else in the text is examined twice.
func scanNumbered(s string, d *Dictionary) []mention {
	out := make([]mention, 0, len(s)/256+4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) {
			continue
		}
		if i > 0 {
			p := s[i-1]
			if isDigit(p) || (p >= 'a' && p <= 'z') || (p >= 'A' && p <= 'Z') {
				continue
			}
		}
		if boundaryBefore(s, i) {
			if sym, ok := parseSymbol(s, i, d); ok {
				m := readAround(s, sym, d)
				// An unknown code with no type word and no "số" before it
				// ("tổ 5/KV2") is more likely an address than a letter.
				if sym.typeCode != "" || sym.law || m.normStart < sym.start || d.IssuerName(sym.issuer) != "" {
					out = append(out, m)
				}
				i = sym.end - 1
				continue
			}
		}
		for i+1 < len(s) && isDigit(s[i+1]) {
			i++
		}
	}
	return out
}

// readAround reads the words around a number: type word and "số" before
// it, then date, issuer and subject after it.
func readAround(s string, sym symbol, d *Dictionary) mention {
	m := mention{kind: KindNumbered, sym: sym, year: sym.year}
	m.Number = sym.number
	m.Malformed = sym.malformed
	m.typeWord, m.normStart = typeWordBefore(s, sym.start)
	m.TypeWord = m.typeWord
	pos := sym.end
	if dl, e, ok := dateAfter(s, pos); ok {
		m.date, m.hasDate, pos = dl, true, e
	}
	if b, e := issuerAfter(s, pos, strings.Contains(sym.issuer, "-")); b != "" {
		m.Issuer, m.issuerFrom, pos = b, "text", e
		if !m.hasDate {
			if dl, e2, ok := dateAfter(s, pos); ok {
				m.date, m.hasDate, pos = dl, true, e2
			}
		}
	}
	m.coreEnd = pos
	if sub, _ := subjectAfter(s, pos); sub != "" {
		m.Subject = sub
	} else if m.hasDate || m.Issuer != "" {
		m.Subject = bareSubjectAfter(s, pos)
	}
	if m.hasDate {
		m.DateRaw, m.Date, m.DateValid = m.date.raw, m.date.iso(), m.date.valid()
	}
	m.typ = typeName(m.typeWord, sym, d)
	return m
}

// namedMentions turns named references into mentions. A name followed by
// "số <number>" names that numbered mention instead.
func namedMentions(s string, d *Dictionary, numbered []mention) []mention {
	var out []mention
	for _, r := range scanNamed(s, d) {
		j := skipSpaces(s, r.end)
		if hasWordAt(s, j, "số") {
			k := skipSpaces(s, j+len("số"))
			linked := false
			for i := range numbered {
				if numbered[i].sym.start == k {
					numbered[i].name = r.name
					numbered[i].normStart = r.start
					if numbered[i].typeWord == "" {
						numbered[i].typ = r.typ
					}
					linked = true
				}
			}
			if linked {
				continue
			}
		}
		m := mention{kind: KindNamed, name: r.name, year: r.year, typ: r.typ}
		m.normStart, m.coreEnd = r.start, r.end
		if sub, _ := subjectAfter(s, r.end); sub != "" {
			m.Subject = sub
		}
		out = append(out, m)
	}
	return out
}

// typeName picks the type: the word written before the number when it
// agrees with the code, else the code's name; letters are "Công văn".
func typeName(word string, sym symbol, d *Dictionary) string {
	if sym.law {
		if word != "" && word != "Văn bản" {
			return word
		}
		if sym.issuer == "UBTVQH" {
			return "Nghị quyết"
		}
		return "Luật"
	}
	codeName := d.TypeName(sym.typeCode)
	if sym.typeCode == "" {
		if word == "" || word == "Văn bản" {
			return "Công văn"
		}
		return word
	}
	if word == "" || word == "Văn bản" || codeName == "" {
		if codeName == "" {
			if word != "" {
				return word
			}
			return "Văn bản"
		}
		return codeName
	}
	if typeAgrees(word, sym, codeName) {
		return word
	}
	return codeName
}

// typeAgrees reports whether a written type word fits the type code.
// QĐ stands for both Quyết định and (in Party numbering) Quy định.
func typeAgrees(word string, sym symbol, codeName string) bool {
	// Folding compares without allocating: this runs for every mention.
	if hasPrefixFold(word, codeName) || hasPrefixFold(codeName, word) {
		return true
	}
	switch sym.typeCode {
	case "QĐ", "QĐi", "QYĐ":
		return strings.EqualFold(word, "quy định") || strings.EqualFold(word, "quyết định")
	case "CTr", "CTrPH":
		return hasPrefixFold(word, "chương trình")
	case "TBKL":
		return hasPrefixFold(word, "thông báo")
	}
	return false
}

// dropSelf removes mentions of the citing document's own number: web
// copies repeat it in their title and footer.
func dropSelf(ms []mention, base string) []mention {
	if base == "" {
		return ms
	}
	out := ms[:0]
	for _, m := range ms {
		if m.kind == KindNumbered && m.sym.base == base {
			continue
		}
		out = append(out, m)
	}
	return out
}

// shareListIssuers gives "Kế hoạch số 25/KH-VPUB … và Kế hoạch số
// 22/KH-VPUB … của Văn phòng UBND tỉnh về …" the issuer (and, across "và",
// the subject) of the last item, when the items share an issuer code.
func shareListIssuers(s string, ms []mention) {
	for i := len(ms) - 2; i >= 0; i-- {
		a, b := &ms[i], &ms[i+1]
		if a.kind != KindNumbered || b.kind != KindNumbered || a.Issuer != "" || b.Issuer == "" {
			continue
		}
		if a.sym.issuer != b.sym.issuer || a.Subject != "" || a.coreEnd > b.normStart {
			continue
		}
		gap := strings.TrimSpace(s[a.coreEnd:b.normStart])
		switch gap {
		case "và", ",", ", và":
		default:
			continue
		}
		a.Issuer, a.issuerFrom = b.Issuer, "list"
		if gap != "," {
			a.Subject = b.Subject
		}
	}
}

// bodyFitsCode reports whether a body read from context can be the issuer
// behind a code: "Chủ tịch UBND tỉnh" fits UBND, "UBND tỉnh" does not fit
// ĐUVP. Unknown codes accept any body.
func bodyFitsCode(body, code string, d *Dictionary) bool {
	first, _, _ := strings.Cut(code, "-")
	name := d.IssuerName(first)
	if name == "" {
		return code == "" || d.issuerCode(first) == ""
	}
	b, n := foldVietnamese(strings.ToLower(body)), foldVietnamese(strings.ToLower(name))
	if strings.Contains(b, n) || strings.Contains(n, b) {
		return true
	}
	// The dictionary names the province's body ("UBND tỉnh"); a text can
	// name the commune's or the district's ("UBND xã Thanh Nưa", "Ủy ban
	// nhân dân huyện"), which the same code stands for.
	for _, level := range []string{" tinh", " huyen", " xa", " phuong", " thi xa", " thanh pho", " quan"} {
		if core, ok := strings.CutSuffix(n, level); ok {
			for _, full := range [][2]string{{"ubnd", "uy ban nhan dan"}, {"hdnd", "hoi dong nhan dan"}} {
				if core == full[0] && strings.Contains(b, full[1]) {
					return true
				}
			}
			return strings.Contains(b, core+" ")
		}
	}
	return false
}

// hasPrefixFold is strings.HasPrefix under Unicode case folding, for
// prefixes whose case forms have the same UTF-8 length (all Vietnamese
// letters do).
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
