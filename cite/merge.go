package cite

import (
	"slices"
	"strings"
)

// group is one cited document: the mentions merged under its key.
type group struct {
	base string // number without year segment, or a named key
	year int
	ms   []*mention
}

// trimNamedYear drops a final " năm YYYY" from a name.
func trimNamedYear(name string) string {
	if k := len(name) - len(" năm 2019"); k >= 0 && strings.HasPrefix(name[k:], " năm ") {
		if y := name[k+len(" năm "):]; isDigit(y[0]) && isDigit(y[1]) && isDigit(y[2]) && isDigit(y[3]) {
			return name[:k]
		}
	}
	return name
}

func baseOf(m *mention) string {
	if m.kind == KindNamed {
		return "named:" + namedKey(trimNamedYear(m.name))
	}
	return m.sym.base
}

// yearOf is the year a mention puts in the merge key: its year segment,
// else the year of its date (even an impossible date names a year).
func yearOf(m *mention) int {
	if m.year > 0 {
		return m.year
	}
	if m.hasDate {
		return m.date.y
	}
	return 0
}

// merge groups mentions by issuer+number+year; a mention without a year (a
// short "Kế hoạch số 53/KH-UBND") joins the nearest earlier document with
// that number, or the first one if none is earlier.
func merge(ms []mention, d *Dictionary, h header) []Citation {
	var groups []*group
	byKey := map[string]*group{}
	byBase := map[string][]*group{}
	add := func(m *mention, base string, year int) {
		key := base + "|" + itoa(year)
		g := byKey[key]
		if g == nil {
			g = &group{base: base, year: year}
			byKey[key] = g
			byBase[base] = append(byBase[base], g)
			groups = append(groups, g)
		}
		g.ms = append(g.ms, m)
	}
	for i := range ms {
		if y := yearOf(&ms[i]); y > 0 {
			add(&ms[i], baseOf(&ms[i]), y)
		}
	}
	for i := range ms {
		m := &ms[i]
		if yearOf(m) > 0 {
			continue
		}
		base := baseOf(m)
		cands := byBase[base]
		if len(cands) == 0 {
			add(m, base, 0)
			continue
		}
		pick := cands[0]
		for _, g := range cands {
			if g.ms[0].normStart < m.normStart && g.ms[0].normStart >= pick.ms[0].normStart {
				pick = g
			}
		}
		pick.ms = append(pick.ms, m)
	}
	for _, g := range groups {
		slices.SortStableFunc(g.ms, func(a, b *mention) int { return a.normStart - b.normStart })
	}
	slices.SortStableFunc(groups, func(a, b *group) int { return a.ms[0].normStart - b.ms[0].normStart })
	out := make([]Citation, 0, len(groups))
	for _, g := range groups {
		out = append(out, buildCitation(g, d, h))
	}
	crossChecks(groups, out)
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

func buildCitation(g *group, d *Dictionary, h header) Citation {
	first := g.ms[0]
	c := Citation{Kind: first.kind, Mentions: len(g.ms), FirstMention: first.Text}
	for _, m := range g.ms {
		c.Mentions += m.repeats
	}
	c.Type = first.typ
	for _, m := range g.ms {
		if m.typeWord != "" || m.kind == KindNamed {
			c.Type = m.typ
			break
		}
	}
	if first.kind == KindNumbered {
		c.Number = first.Number
		c.TypeCode = first.sym.typeCode
		c.IssuerCode = first.sym.issuer
		for _, m := range g.ms {
			if m.sym.year > 0 {
				c.Number = m.Number
				y := m.sym.year
				c.Year = &y
				break
			}
		}
	}
	seen := map[string]bool{}
	c.DatesSeen = []string{}
	for _, m := range g.ms {
		if m.hasDate {
			if !seen[m.DateRaw] {
				seen[m.DateRaw] = true
				c.DatesSeen = append(c.DatesSeen, m.DateRaw)
			}
			if c.Date == nil && m.DateValid {
				iso := m.Date
				c.Date = &iso
			}
			if c.Year == nil {
				y := m.date.y
				c.Year = &y
			}
		}
		if c.Subject == nil && m.Subject != "" {
			sub := m.Subject
			c.Subject = &sub
		}
		if c.Name == nil && m.name != "" {
			name := m.name
			c.Name = &name
		}
		if c.Issuer == "" && m.Issuer != "" {
			c.Issuer, c.IssuerSource = m.Issuer, m.issuerFrom
		}
		if c.Year == nil && m.kind == KindNamed && m.year > 0 {
			y := m.year
			c.Year = &y
		}
	}
	if c.Issuer == "" && c.IssuerCode != "" {
		if name := d.IssuerName(c.IssuerCode); name != "" {
			c.Issuer, c.IssuerSource = name, "dictionary"
		}
	}
	if c.Type == "" {
		c.Type = "Văn bản"
	}
	c.Anomalies = groupAnomalies(g, &c, d, h)
	c.MentionList = make([]Mention, len(g.ms))
	for i, m := range g.ms {
		c.MentionList[i] = m.Mention
	}
	return c
}
