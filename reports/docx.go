package reports

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Imported is what a Word report yields: sections filled from the headings
// that match the catalogue's section titles, and figures proposed for the
// person to confirm. Proposed figures are never taken silently: they go
// into the report only when the person puts them there.
type Imported struct {
	Sections  map[string]string `json:"sections"`
	Proposed  []ProposedFigure  `json:"proposed_figures"`
	Unmatched []string          `json:"unmatched_headings,omitempty"`
}

// ProposedFigure is a figure recognised in the text, with the line it was
// read from so the person can check it.
type ProposedFigure struct {
	Key   string  `json:"key"`
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Line  string  `json:"line"`
}

// heading recognises a numbered heading: "I.", "II.1", "1.", "a)", "Phần thứ nhất" are
// stripped before comparing with the catalogue's titles.
var headingNumber = regexp.MustCompile(`^\s*(?:(?:[IVX]+|\d+)(?:\.\d+)*[.)]?|[a-zđ]\))\s*[-–.:]?\s*`)

var numberAfter = regexp.MustCompile(`(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?`)

// ImportText splits text (a .docx read by cite.ReadBytes) into the
// catalogue's sections by their headings and proposes figures it finds
// written after a figure's name. Text before the first matched heading
// goes nowhere: it is the header of the document.
func (c *Catalogue) ImportText(text string) *Imported {
	out := &Imported{Sections: map[string]string{}, Proposed: []ProposedFigure{}}
	titles := make([]string, len(c.Sections))
	for i, s := range c.Sections {
		titles[i] = fold(s.Title)
	}
	current := ""
	var buf []string
	flush := func() {
		if current != "" {
			if t := strings.TrimSpace(strings.Join(buf, "\n")); t != "" {
				if prev := out.Sections[current]; prev != "" {
					t = prev + "\n" + t
				}
				out.Sections[current] = t
			}
		}
		buf = buf[:0]
	}
	for _, line := range strings.Split(text, "\n") {
		if key, ok := c.matchHeading(line, titles); ok {
			flush()
			current = key
			continue
		}
		buf = append(buf, line)
	}
	flush()
	out.Proposed = c.proposeFigures(text)
	return out
}

func (c *Catalogue) matchHeading(line string, titles []string) (string, bool) {
	if len(line) > 300 || !headingNumber.MatchString(line) {
		return "", false
	}
	h := fold(headingNumber.ReplaceAllString(line, ""))
	if len(h) < 4 {
		return "", false
	}
	for i, t := range titles {
		if h == t || strings.HasPrefix(h, t) || (len(h) >= 12 && strings.HasPrefix(t, h)) {
			return c.Sections[i].Key, true
		}
	}
	return "", false
}

// proposeFigures looks for each figure's name followed, on the same line,
// by a number ("Số lượt tiếp công dân: 1.234 lượt").
func (c *Catalogue) proposeFigures(text string) []ProposedFigure {
	out := []ProposedFigure{}
	lines := strings.Split(text, "\n")
	folded := make([]string, len(lines))
	for i, l := range lines {
		folded[i] = fold(l)
	}
	for _, f := range c.Figures {
		name := fold(f.Name)
		for i, l := range folded {
			at := strings.Index(l, name)
			if at < 0 {
				continue
			}
			m := numberAfter.FindStringSubmatch(l[at+len(name):])
			if m == nil {
				continue
			}
			s := strings.ReplaceAll(m[1], ".", "")
			if m[2] != "" {
				s += "." + m[2]
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				continue
			}
			out = append(out, ProposedFigure{Key: f.Key, Name: f.Name, Value: v, Line: strings.TrimSpace(lines[i])})
			break
		}
	}
	return out
}

// fold lower-cases, composes and squeezes spaces and punctuation so that a
// heading typed with other quotes or spacing still matches its title.
func fold(s string) string {
	s = norm.NFC.String(strings.ToLower(s))
	var b strings.Builder
	space, prevDigit := false, false
	for _, r := range s {
		switch {
		case (r == '.' || r == ',') && !space && prevDigit:
			// Keep "1.234" and "98,5" whole for the figures read after a name.
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '%' || r == ':':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
		prevDigit = unicode.IsDigit(r)
	}
	return b.String()
}
