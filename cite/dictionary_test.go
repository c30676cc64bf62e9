package cite

import (
	"strings"
	"testing"
)

func TestDictionary_Default(t *testing.T) {
	t.Parallel()
	d := DefaultDictionary()
	requireEqual(t, "Kế hoạch", d.TypeName("KH"))
	requireEqual(t, "Quyết định", d.TypeName("QD"))
	requireEqual(t, "", d.TypeName("ZZ"))
	requireEqual(t, "Quốc hội", d.IssuerName("QH15"))
	requireEqual(t, "Ban Dân vận Tỉnh ủy - Ban Cán sự Đảng UBND tỉnh", d.IssuerName("BDVTU-BCSĐUBND"))
	requireEqual(t, "", d.IssuerName("ZZZ"))
}

func TestDictionary_LoadAndProvince(t *testing.T) {
	t.Parallel()
	d, err := LoadDictionary(strings.NewReader(`{"name":"huyện","types":{"KH":"Kế hoạch"},
		"issuers":{"UBND":"UBND huyện"},"provinces":{"Đức Phổ":{"issuers":{"UBND":"UBND thị xã"}}}}`))
	requireEqual(t, nil, err)
	r := Extract("Kế hoạch số 5/KH-UBND ngày 1/2/2022", Options{Dictionary: d})
	requireEqual(t, "UBND huyện", r.Citations[0].Issuer)
	r = Extract("Kế hoạch số 5/KH-UBND ngày 1/2/2022", Options{Dictionary: d, Province: "Đức Phổ"})
	requireEqual(t, "UBND thị xã", r.Citations[0].Issuer)
	requireTrue(t, d.ForProvince("nowhere") == d)

	_, err = LoadDictionary(strings.NewReader(`{`))
	requireTrue(t, err != nil)
	_, err = LoadDictionary(strings.NewReader(`{"name":"empty"}`))
	requireTrue(t, err != nil)
}
