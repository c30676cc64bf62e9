package summary

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// DefaultCatalogue is the shipped catalogue of report figures (sections,
// figures, identities, derived rates), the fixture format.
//
//go:embed catalogue.json
var DefaultCatalogue []byte

// Figure is one entered figure of a report.
type Figure struct {
	Key      string `json:"key"`
	Section  string `json:"section"`
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Decimals int    `json:"decimals,omitempty"`
}

// Derived is a rate computed from other figures, never entered: numerator
// over denominator (or over the sum of DenominatorSum), in percent.
type Derived struct {
	Key            string   `json:"key"`
	Name           string   `json:"name"`
	Unit           string   `json:"unit"`
	Numerator      string   `json:"numerator"`
	Denominator    string   `json:"denominator,omitempty"`
	DenominatorSum []string `json:"denominator_sum,omitempty"`
}

// Catalogue is the part of the report catalogue a summary needs.
type Catalogue struct {
	Version string    `json:"version"`
	Figures []Figure  `json:"figures"`
	Derived []Derived `json:"derived"`
}

// ParseCatalogue reads a catalogue in the fixture format; an error says
// what is wrong with it.
func ParseCatalogue(b []byte) (*Catalogue, error) {
	var c Catalogue
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("report catalogue: %w", err)
	}
	if len(c.Figures) == 0 {
		return nil, fmt.Errorf("report catalogue has no figures")
	}
	return &c, nil
}

// MustDefault returns the shipped catalogue; it panics only if the embedded
// file is broken, which the tests rule out.
func MustDefault() *Catalogue {
	c, err := ParseCatalogue(DefaultCatalogue)
	if err != nil {
		panic(err)
	}
	return c
}

// averagedWeighted names figures that are already percentages with no
// parts: summed over units they are averaged weighted by another figure,
// as the catalogue's rules say (hai_long.ty_le by tthc.da_giai_quyet).
var averagedWeighted = map[string]string{"hai_long.ty_le": "tthc.da_giai_quyet"}

// Aggregate sums figures over a group of units: plain figures are added,
// rates recomputed from the summed parts (never averaged), and the
// part-less percentages averaged weighted. A figure no unit reported is
// absent; a division by zero gives no value.
func (c *Catalogue) Aggregate(units []map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for _, f := range c.Figures {
		w, weighted := averagedWeighted[f.Key]
		var sum, weight float64
		seen := false
		for _, u := range units {
			v, ok := u[f.Key]
			if !ok {
				continue
			}
			seen = true
			if weighted {
				wt := u[w]
				sum += v * wt
				weight += wt
			} else {
				sum += v
			}
		}
		switch {
		case !seen:
		case weighted && weight > 0:
			out[f.Key] = round(sum/weight, 2)
		case !weighted:
			out[f.Key] = sum
		}
	}
	c.derive(out)
	return out
}

// Derive adds the derived rates of one unit's figures, in place.
func (c *Catalogue) Derive(figs map[string]float64) { c.derive(figs) }

func (c *Catalogue) derive(m map[string]float64) {
	for _, d := range c.Derived {
		num, ok := m[d.Numerator]
		if !ok {
			delete(m, d.Key)
			continue
		}
		var den float64
		have := false
		if d.Denominator != "" {
			den, have = m[d.Denominator]
		}
		for _, k := range d.DenominatorSum {
			if v, ok := m[k]; ok {
				den += v
				have = true
			}
		}
		if !have || den == 0 {
			delete(m, d.Key)
			continue
		}
		m[d.Key] = round(100*num/den, 2)
	}
}

// Name returns the display name and unit of key.
func (c *Catalogue) Name(key string) (name, unit string) {
	for _, f := range c.Figures {
		if f.Key == key {
			return f.Name, f.Unit
		}
	}
	for _, d := range c.Derived {
		if d.Key == key {
			return d.Name, d.Unit
		}
	}
	return key, ""
}

// Keys returns every figure key and then every derived key, in catalogue
// order.
func (c *Catalogue) Keys() []string {
	var out []string
	for _, f := range c.Figures {
		out = append(out, f.Key)
	}
	for _, d := range c.Derived {
		out = append(out, d.Key)
	}
	return out
}
