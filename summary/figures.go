package summary

import (
	"encoding/json"
	"strconv"
	"strings"
)

// ParseFigures reads the figures a report's text carries, by catalogue
// key: either the whole text is JSON with a "figures" object, or lines of
// the form "tcd.luot: 120" (or "= 120", with an optional leading "- ").
// Only entered figures of the catalogue count (derived rates are always
// recomputed); values that are not numbers ≥ 0 are left out. It is the
// reader for report texts until report figures are stored as their own
// records, and returns an empty map for a text without figures.
func ParseFigures(text string, cat *Catalogue) map[string]float64 {
	known := map[string]bool{}
	for _, f := range cat.Figures {
		known[f.Key] = true
	}
	out := map[string]float64{}
	var doc struct {
		Figures map[string]float64 `json:"figures"`
	}
	if t := strings.TrimSpace(text); strings.HasPrefix(t, "{") && json.Unmarshal([]byte(t), &doc) == nil {
		for k, v := range doc.Figures {
			if known[k] && v >= 0 {
				out[k] = v
			}
		}
		return out
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "- ")
		i := strings.IndexAny(line, ":=")
		if i <= 0 {
			continue
		}
		key := strings.TrimSpace(line[:i])
		if !known[key] {
			continue
		}
		val := strings.TrimSpace(line[i+1:])
		if f := strings.Fields(val); len(f) > 0 {
			val = f[0]
		}
		if !strings.Contains(val, ".") {
			val = strings.Replace(val, ",", ".", 1)
		}
		if v, err := strconv.ParseFloat(val, 64); err == nil && v >= 0 {
			out[key] = v
		}
	}
	return out
}
