package reports

// Line is one figure of a report beside the same unit's figure of the
// previous cycle's report of the same kind (so sánh cùng kỳ).
type Line struct {
	Key      string   `json:"key"`
	Name     string   `json:"name"`
	Unit     string   `json:"unit"`
	Derived  bool     `json:"derived,omitempty"`
	Value    *float64 `json:"value"`
	Previous *float64 `json:"previous"`
	// Change is Value - Previous when both exist.
	Change *float64 `json:"change"`
}

// Compare lists every entered and derived figure of the catalogue with its
// value in cur and in prev (nil maps stand for "no report"). Figures that
// neither report gives are left out.
func (c *Catalogue) Compare(cur, curDerived, prev, prevDerived map[string]float64) []Line {
	var out []Line
	add := func(key, name, unit string, derived bool, a, b map[string]float64) {
		l := Line{Key: key, Name: name, Unit: unit, Derived: derived}
		if v, ok := a[key]; ok {
			l.Value = &v
		}
		if v, ok := b[key]; ok {
			l.Previous = &v
		}
		if l.Value == nil && l.Previous == nil {
			return
		}
		if l.Value != nil && l.Previous != nil {
			d := *l.Value - *l.Previous
			l.Change = &d
		}
		out = append(out, l)
	}
	for _, f := range c.Figures {
		add(f.Key, f.Name, f.Unit, false, cur, prev)
	}
	for _, d := range c.Derived {
		add(d.Key, d.Name, d.Unit, true, curDerived, prevDerived)
	}
	return out
}
