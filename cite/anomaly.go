package cite

import (
	"fmt"
	"sort"
	"strings"
)

// groupAnomalies checks one document's mentions against each other and
// against the citing document. Each problem is reported once.
func groupAnomalies(g *group, c *Citation, d *Dictionary, h header) []Anomaly {
	out := []Anomaly{}
	add := func(code, format string, args ...any) {
		out = append(out, Anomaly{Code: code, Message: fmt.Sprintf(format, args...)})
	}
	label := c.Number
	if label == "" && c.Name != nil {
		label = *c.Name
	}
	if label == "" {
		label = c.FirstMention
	}
	var valid []string
	validRaw := map[string]string{}
	badSeen := map[string]bool{}
	withYear, withoutYear := "", ""
	malformed := map[string]bool{}
	var textIssuers []string
	issuerSeen := map[string]bool{}
	for _, m := range g.ms {
		if m.hasDate {
			if !m.DateValid {
				if !badSeen[m.DateRaw] {
					badSeen[m.DateRaw] = true
					add(AnomalyImpossibleDate, "%s: date %q does not exist in the calendar", label, m.DateRaw)
				}
			} else if _, ok := validRaw[m.Date]; !ok {
				validRaw[m.Date] = m.DateRaw
				valid = append(valid, m.Date)
			}
			if m.sym.year > 0 && m.date.y != m.sym.year {
				add(AnomalyYearMismatch, "%s: the number says %d but it is dated %s", m.Number, m.sym.year, m.DateRaw)
			}
		}
		if m.kind == KindNumbered {
			if m.sym.year > 0 {
				if withYear == "" {
					withYear = m.Number
				}
			} else if withoutYear == "" {
				withoutYear = m.Number
			}
			if m.Malformed && !malformed[m.Number] {
				malformed[m.Number] = true
				add(AnomalyMalformedNumber, "%q does not follow the numbering rules (N/TYPE-ISSUER, N/YYYY/TYPE-ISSUER or N-TYPE/ISSUER)", m.Number)
			}
			if m.typeWord != "" && m.typeWord != "Văn bản" && m.sym.typeCode != "" {
				if cn := d.TypeName(m.sym.typeCode); cn != "" && !typeAgrees(m.typeWord, m.sym, cn) {
					add(AnomalyTypeMismatch, "%s is called %q but its code %s means %s", m.Number, m.typeWord, m.sym.typeCode, cn)
				}
			}
		}
		if m.issuerFrom == "text" && !issuerSeen[m.Issuer] {
			issuerSeen[m.Issuer] = true
			textIssuers = append(textIssuers, m.Issuer)
		}
	}
	if len(valid) > 1 {
		raws := make([]string, len(valid))
		for i, v := range valid {
			raws[i] = validRaw[v]
		}
		add(AnomalyConflictingDates, "%s is cited with different dates: %s", label, strings.Join(raws, " vs "))
	}
	if withYear != "" && withoutYear != "" {
		add(AnomalyYearSegment, "the same document is cited as %s and as %s (with and without its year)", withoutYear, withYear)
	}
	if a, b, ok := issuersDisagree(textIssuers); ok {
		add(AnomalyInconsistentIssuer, "%s: issuer given as %q and as %q", label, a, b)
	}
	if h.hasDate && h.date.valid() && c.Date != nil && *c.Date > h.date.iso() {
		add(AnomalyDateAfterDocument, "%s is dated %s, after the citing document's date %s", label, *c.Date, h.date.iso())
	}
	return out
}

// issuersDisagree reports two issuers that are not the same body written
// shorter or longer ("Ban Thường vụ Tỉnh ủy" vs "Ban Thường vụ Tỉnh ủy
// Sơn La" agree; vs "Tỉnh ủy" they do not).
func issuersDisagree(is []string) (string, string, bool) {
	for i := 0; i < len(is); i++ {
		for j := i + 1; j < len(is); j++ {
			a, b := strings.ToLower(is[i]), strings.ToLower(is[j])
			if !strings.HasPrefix(a, b) && !strings.HasPrefix(b, a) {
				return is[i], is[j], true
			}
		}
	}
	return "", "", false
}

// crossChecks compares documents with each other: two documents sharing
// a number, and a date that breaks the order of its numbering series.
func crossChecks(groups []*group, cs []Citation) {
	byBase := map[string][]int{}
	for i, g := range groups {
		if g.ms[0].kind == KindNumbered {
			byBase[g.base] = append(byBase[g.base], i)
		}
	}
	for _, idx := range byBase {
		if len(idx) < 2 {
			continue
		}
		for _, i := range idx {
			if hasYearSegment(groups[i]) {
				continue
			}
			for _, j := range idx {
				if i == j || hasYearSegment(groups[j]) {
					continue
				}
				cs[i].Anomalies = append(cs[i].Anomalies, Anomaly{Code: AnomalyDuplicateNumber,
					Message: fmt.Sprintf("%s is also cited with date %s: two different documents with one number, or a wrong date",
						cs[i].Number, strings.Join(cs[j].DatesSeen, ", "))})
				break
			}
		}
	}
	sequenceCheck(groups, cs)
}

func hasYearSegment(g *group) bool {
	for _, m := range g.ms {
		if m.sym.year > 0 {
			return true
		}
	}
	return false
}

// sequenceCheck flags a dated document whose number lies between two of
// the same series (type and issuer) dated in one year while its own date
// is in another year: numbers restart each year, so the year is suspect.
func sequenceCheck(groups []*group, cs []Citation) {
	type item struct {
		i, num int
		date   string
		year   int
	}
	series := map[string][]item{}
	for i, g := range groups {
		m := g.ms[0]
		if m.kind != KindNumbered || m.sym.year > 0 || m.sym.party || cs[i].Date == nil {
			continue
		}
		num, _ := readInt(m.sym.base, 0, 6)
		if num == 0 {
			continue
		}
		key := m.sym.typeCode + "-" + m.sym.issuer
		series[key] = append(series[key], item{i, num, *cs[i].Date, atoiYear(*cs[i].Date)})
	}
	for _, items := range series {
		if len(items) < 3 {
			continue
		}
		sort.Slice(items, func(a, b int) bool { return items[a].num < items[b].num })
		for k := 1; k+1 < len(items); k++ {
			lo, x, hi := items[k-1], items[k], items[k+1]
			// Only when the neighbours' year makes the date fit between
			// them: then a typo in the year explains everything.
			moved := itoa(lo.year) + x.date[4:]
			if lo.year == hi.year && x.year != lo.year && lo.num < x.num && x.num < hi.num &&
				lo.date <= moved && moved <= hi.date {
				cs[x.i].Anomalies = append(cs[x.i].Anomalies, Anomaly{Code: AnomalyOutOfSequence,
					Message: fmt.Sprintf("%s is dated %s but numbers %d and %d of the same series are dated in %d: the year is probably wrong",
						cs[x.i].Number, x.date, lo.num, hi.num, lo.year)})
			}
		}
	}
}

func atoiYear(iso string) int {
	y, _ := readInt(iso, 0, 4)
	return y
}
