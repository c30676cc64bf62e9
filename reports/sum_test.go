package reports_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/reports"
)

func TestSum(t *testing.T) {
	c := reports.Default()
	a := map[string]float64{"tcd.luot": 10, "tthc.da_giai_quyet": 100, "tthc.dung_han": 90, "hai_long.ty_le": 90}
	b := map[string]float64{"tcd.luot": 5, "tthc.da_giai_quyet": 300, "tthc.dung_han": 300, "hai_long.ty_le": 100}
	none := map[string]float64{"hai_long.ty_le": 50} // no weight: not averaged in
	sum, der := c.Sum([]map[string]float64{a, b, none}, "tthc.da_giai_quyet")
	require.Equal(t, 15.0, sum["tcd.luot"])
	require.Equal(t, 400.0, sum["tthc.da_giai_quyet"])
	require.Equal(t, 97.5, sum["hai_long.ty_le"], "weighted by files handled: (90*100+100*300)/400")
	require.Equal(t, 97.5, der["tthc.ty_le_dung_han"], "recomputed from the sums (390/400), not the mean of 90% and 100%")
	_, ok := sum["don.tong"]
	require.False(t, ok)
}
