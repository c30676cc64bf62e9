package reports

import "math"

// Sum adds up the figures of several units' reports as the catalogue's
// rules say: counts are summed; a measurement with no parts (a
// satisfaction percentage) is averaged weighted by weightKey (the
// catalogue's rule names tthc.da_giai_quyet) over the reports that give
// both; rates are recomputed from the summed parts, never averaged. A
// figure no report gives is left out.
func (c *Catalogue) Sum(figs []map[string]float64, weightKey string) (sum, derived map[string]float64) {
	sum = map[string]float64{}
	for _, f := range c.Figures {
		measured := f.Min != nil || f.Max != nil || f.Decimals != nil
		var total, weight float64
		seen := false
		for _, v := range figs {
			x, ok := v[f.Key]
			if !ok {
				continue
			}
			if !measured {
				total += x
				seen = true
				continue
			}
			w, ok := v[weightKey]
			if !ok || w <= 0 {
				continue
			}
			total += x * w
			weight += w
			seen = true
		}
		switch {
		case !seen:
		case !measured:
			sum[f.Key] = total
		case weight > 0:
			sum[f.Key] = math.Round(total/weight*100) / 100
		}
	}
	return sum, c.Derive(sum)
}
