package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan"
)

// Input is a report file as a unit writes it:
// {"number","date","title","sections":{key:text},"figures":{key:number}}.
// Figures stay raw until checked so a figure typed as text is an error
// that names the figure rather than a failure to read the whole file.
type Input struct {
	Number   string                     `json:"number"`
	Date     string                     `json:"date"`
	Title    string                     `json:"title"`
	Sections map[string]string          `json:"sections"`
	Figures  map[string]json.RawMessage `json:"figures"`
}

// ParseInput decodes a report file, refusing unknown top-level keys. It
// returns an EInvalid *Error when data is not such a file.
func ParseInput(data []byte) (*Input, error) {
	var in Input
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, danvan.Errorf(danvan.EInvalid,
			`the report is not valid JSON of the form {"number","date","title","sections":{},"figures":{}}: %v`,
			`báo cáo không đúng dạng JSON {"number","date","title","sections":{},"figures":{}}: %v`, err)
	}
	return &in, nil
}

// Checked is a report that passed every rule: its sections, its figures as
// numbers and the rates derived from them.
type Checked struct {
	Sections map[string]string
	Figures  map[string]float64
	Derived  map[string]float64
}

// problems collects field errors so a unit sees every problem at once.
type problems struct{ fields []danvan.FieldError }

func (p *problems) add(field, rule, en, vi string) {
	p.fields = append(p.fields, danvan.FieldError{Field: field, Rule: rule, Message: field + ": " + en, MessageVI: field + ": " + vi})
}

// Check applies the catalogue's rules to in. It returns the checked report,
// or an EInvalid *Error listing every problem, each naming its section or
// figure by key and by its Vietnamese name: a whole report is accepted or
// refused, never half.
func (c *Catalogue) Check(in *Input) (*Checked, error) {
	p := &problems{}
	if strings.TrimSpace(in.Title) == "" {
		p.add("title", "required", "the report needs a title", "báo cáo cần có trích yếu (title)")
	} else if len(in.Title) > 1000 {
		p.add("title", "max", "must be at most 1000 characters", "tối đa 1000 ký tự")
	}
	if len(in.Number) > 100 {
		p.add("number", "max", "must be at most 100 characters", "tối đa 100 ký tự")
	}
	if in.Date != "" {
		if _, err := time.Parse("2006-01-02", in.Date); err != nil {
			p.add("date", "isodate", "must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD")
		}
	}
	out := &Checked{Sections: map[string]string{}, Figures: map[string]float64{}}
	c.checkSections(in, out, p)
	c.checkFigures(in, out, p)
	if len(p.fields) > 0 {
		sort.SliceStable(p.fields, func(i, j int) bool { return p.fields[i].Field < p.fields[j].Field })
		return nil, &danvan.Error{Code: danvan.EInvalid, Message: fmt.Sprintf("The report breaks %d rule(s) of catalogue %s", len(p.fields), c.Version),
			MessageVI: fmt.Sprintf("Báo cáo vi phạm %d quy tắc của danh mục %s", len(p.fields), c.Version), Fields: p.fields}
	}
	out.Derived = c.Derive(out.Figures)
	return out, nil
}

func (c *Catalogue) checkSections(in *Input, out *Checked, p *problems) {
	for key, text := range in.Sections {
		if c.sections[key] == nil {
			p.add("sections."+key, "unknown", "is not a section of the catalogue", "không phải mục của danh mục báo cáo")
			continue
		}
		if !danvan.ValidBody(text) {
			p.add("sections."+key, "body", "must be UTF-8 text without NUL characters, at most about 1.5 MB",
				fmt.Sprintf("mục %q phải là văn bản UTF-8 không chứa ký tự NUL, tối đa khoảng 1,5 MB", c.sections[key].Title))
			continue
		}
		if strings.TrimSpace(text) != "" {
			out.Sections[key] = text
		}
	}
	for _, s := range c.Sections {
		if s.Required && out.Sections[s.Key] == "" && c.sections[s.Key] != nil {
			if _, bad := in.Sections[s.Key]; bad && !danvan.ValidBody(in.Sections[s.Key]) {
				continue // already reported
			}
			p.add("sections."+s.Key, "required", fmt.Sprintf("section %s %q is required", s.Code, s.Title),
				fmt.Sprintf("thiếu mục bắt buộc %s \"%s\"", s.Code, s.Title))
		}
	}
}

func (c *Catalogue) checkFigures(in *Input, out *Checked, p *problems) {
	derived := map[string]bool{}
	for _, d := range c.Derived {
		derived[d.Key] = true
	}
	for key, raw := range in.Figures {
		f := c.figures[key]
		switch {
		case derived[key]:
			p.add("figures."+key, "derived", "is computed from other figures; do not enter it",
				"là chỉ tiêu tính tự động từ các chỉ tiêu khác, không được nhập")
			continue
		case f == nil:
			p.add("figures."+key, "unknown", "is not a figure of the catalogue", "không phải chỉ tiêu của danh mục báo cáo")
			continue
		}
		if string(raw) == "null" {
			continue // not reported
		}
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			p.add("figures."+key, "number", fmt.Sprintf("%q must be a number, not %s", f.Name, raw),
				fmt.Sprintf("\"%s\" phải là một số, không phải %s", f.Name, raw))
			continue
		}
		if c.checkValue(f, v, p) {
			out.Figures[key] = v
		}
	}
	c.checkRelations(out.Figures, p)
}

// checkValue reports whether v may stand for f: a whole number ≥ 0, or a
// measurement within its range with at most its decimals.
func (c *Catalogue) checkValue(f *Figure, v float64, p *problems) bool {
	field := "figures." + f.Key
	if f.Min == nil && f.Max == nil && f.Decimals == nil {
		if v < 0 || v != math.Trunc(v) || v > 1e12 {
			p.add(field, "whole", fmt.Sprintf("%q must be a whole number ≥ 0 (got %s)", f.Name, num(v)),
				fmt.Sprintf("\"%s\" phải là số nguyên không âm (đã nhập %s)", f.Name, num(v)))
			return false
		}
		return true
	}
	ok := true
	if f.Min != nil && v < *f.Min || f.Max != nil && v > *f.Max {
		lo, hi := "-∞", "∞"
		if f.Min != nil {
			lo = num(*f.Min)
		}
		if f.Max != nil {
			hi = num(*f.Max)
		}
		p.add(field, "range", fmt.Sprintf("%q must be between %s and %s %s (got %s)", f.Name, lo, hi, f.Unit, num(v)),
			fmt.Sprintf("\"%s\" phải trong khoảng %s đến %s %s (đã nhập %s)", f.Name, lo, hi, f.Unit, num(v)))
		ok = false
	}
	if f.Decimals != nil {
		scale := math.Pow10(*f.Decimals)
		if math.Abs(v*scale-math.Round(v*scale)) > 1e-6 {
			p.add(field, "decimals", fmt.Sprintf("%q may have at most %d decimals (got %s)", f.Name, *f.Decimals, num(v)),
				fmt.Sprintf("\"%s\" chỉ được tối đa %d chữ số thập phân (đã nhập %s)", f.Name, *f.Decimals, num(v)))
			ok = false
		}
	}
	return ok
}

// checkRelations applies at_most, at_least, at_most_sum, sum_of and the
// identities; a rule involving a figure not reported is skipped.
func (c *Catalogue) checkRelations(v map[string]float64, p *problems) {
	for _, f := range c.Figures {
		x, ok := v[f.Key]
		if !ok {
			continue
		}
		field := "figures." + f.Key
		for _, ref := range f.AtMost {
			if y, ok := v[ref]; ok && x > y {
				p.add(field, "at_most", fmt.Sprintf("%q (%s) must not be above %q (%s: %s)", f.Name, num(x), c.figures[ref].Name, ref, num(y)),
					fmt.Sprintf("\"%s\" (%s) không được lớn hơn \"%s\" (%s: %s)", f.Name, num(x), c.figures[ref].Name, ref, num(y)))
			}
		}
		for _, ref := range f.AtLeast {
			if y, ok := v[ref]; ok && x < y {
				p.add(field, "at_least", fmt.Sprintf("%q (%s) must not be below %q (%s: %s)", f.Name, num(x), c.figures[ref].Name, ref, num(y)),
					fmt.Sprintf("\"%s\" (%s) không được nhỏ hơn \"%s\" (%s: %s)", f.Name, num(x), c.figures[ref].Name, ref, num(y)))
			}
		}
		if sum, ok := sumOf(v, f.AtMostSum); ok && x > sum {
			p.add(field, "at_most_sum", fmt.Sprintf("%q (%s) must not be above %s = %s", f.Name, num(x), strings.Join(f.AtMostSum, " + "), num(sum)),
				fmt.Sprintf("\"%s\" (%s) không được lớn hơn %s = %s", f.Name, num(x), c.names(f.AtMostSum), num(sum)))
		}
		if sum, ok := sumOf(v, f.SumOf); ok && x != sum {
			p.add(field, "sum_of", fmt.Sprintf("%q (%s) must equal %s = %s", f.Name, num(x), strings.Join(f.SumOf, " + "), num(sum)),
				fmt.Sprintf("\"%s\" (%s) phải bằng %s = %s", f.Name, num(x), c.names(f.SumOf), num(sum)))
		}
	}
	for _, id := range c.Identities {
		total, ok := v[id.Total]
		sum, all := sumOf(v, id.Parts)
		if !ok || !all || total == sum {
			continue
		}
		p.add("figures."+id.Total, "identity", fmt.Sprintf("%s (%s) must equal %s = %s [%s]", id.Total, num(total), strings.Join(id.Parts, " + "), num(sum), id.Name),
			fmt.Sprintf("\"%s\" (%s) phải bằng %s = %s [%s]", c.figures[id.Total].Name, num(total), c.names(id.Parts), num(sum), id.Name))
	}
}

// Derive computes the catalogue's rates (percent, two decimals) from
// figures; a rate whose parts are missing or whose denominator is zero has
// no value.
func (c *Catalogue) Derive(v map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for _, d := range c.Derived {
		n, ok := v[d.Numerator]
		if !ok {
			continue
		}
		var den float64
		if d.Denominator != "" {
			if den, ok = v[d.Denominator]; !ok {
				continue
			}
		} else if den, ok = sumOf(v, d.DenominatorSum); !ok {
			continue
		}
		if den == 0 {
			continue
		}
		out[d.Key] = math.Round(n/den*10000) / 100
	}
	return out
}

// sumOf sums keys; ok is false when keys is empty or one is missing.
func sumOf(v map[string]float64, keys []string) (float64, bool) {
	if len(keys) == 0 {
		return 0, false
	}
	var s float64
	for _, k := range keys {
		x, ok := v[k]
		if !ok {
			return 0, false
		}
		s += x
	}
	return s, true
}

func (c *Catalogue) names(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("\"%s\"", c.figures[k].Name)
	}
	return strings.Join(out, " + ")
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
