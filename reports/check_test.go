package reports_test

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/reports"
)

func loadExample(t *testing.T, name string) *reports.Input {
	t.Helper()
	b, err := os.ReadFile("../examples/" + name)
	require.NoError(t, err)
	in, err := reports.ParseInput(b)
	require.NoError(t, err)
	return in
}

func figures(t *testing.T, in *reports.Input) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for k, raw := range in.Figures {
		var v float64
		require.NoError(t, json.Unmarshal(raw, &v))
		out[k] = v
	}
	return out
}

func withFigures(in *reports.Input, v map[string]float64) *reports.Input {
	cp := *in
	cp.Figures = map[string]json.RawMessage{}
	for k, x := range v {
		cp.Figures[k] = json.RawMessage(fmt.Sprint(x))
	}
	return &cp
}

// requireRule asserts that err is an EInvalid *Error with a field error on
// field for rule, in both languages.
func requireRule(t *testing.T, err error, field, rule string) {
	t.Helper()
	require.Error(t, err)
	e := danvan.AsError(err)
	require.Equal(t, danvan.EInvalid, e.Code)
	for _, f := range e.Fields {
		if f.Field == field && f.Rule == rule {
			require.NotEmpty(t, f.Message)
			require.NotEmpty(t, f.MessageVI)
			require.NotEqual(t, f.Message, f.MessageVI)
			return
		}
	}
	t.Fatalf("no %s error on %s in %v", rule, field, e.Fields)
}

func TestDefaultCatalogue_MatchesSharedFixture(t *testing.T) {
	shared, err := os.ReadFile("../../shared/fixtures/report-catalogue.json")
	if err != nil {
		t.Skip("shared fixtures not present")
	}
	require.JSONEq(t, string(shared), string(reports.DefaultCatalogueJSON()))
	c := reports.Default()
	require.Len(t, c.Sections, 12)
	require.Len(t, c.Figures, 32)
	require.Len(t, c.ModelFields, 4)
}

func TestCheck_ExamplesPass(t *testing.T) {
	c := reports.Default()
	for _, name := range []string{"midyear-report.json", "annual-report.json"} {
		got, err := c.Check(loadExample(t, name))
		require.NoError(t, err, name)
		require.Len(t, got.Derived, 4, name)
	}
	got, err := c.Check(loadExample(t, "annual-report.json"))
	require.NoError(t, err)
	require.Equal(t, 99.43, got.Derived["tthc.ty_le_dung_han"])   // 12310/12380
	require.Equal(t, 93.33, got.Derived["don.ty_le_giai_quyet"])  // 84/90
	require.Equal(t, 88.57, got.Derived["hoa_giai.ty_le_thanh"])  // 31/35
	require.Equal(t, 77.96, got.Derived["tthc.ty_le_truc_tuyen"]) // 9870/12660
}

// TestCheck_EveryFigureRuleFails breaks each rule of the catalogue, one at
// a time, on the valid annual example and expects the error that names it.
func TestCheck_EveryFigureRuleFails(t *testing.T) {
	c := reports.Default()
	base := loadExample(t, "annual-report.json")
	good := figures(t, base)
	type bad struct {
		name, field, rule string
		set               map[string]float64
	}
	var cases []bad
	sum := func(keys []string) float64 {
		var s float64
		for _, k := range keys {
			s += good[k]
		}
		return s
	}
	for _, f := range c.Figures {
		if f.Min == nil && f.Max == nil && f.Decimals == nil {
			cases = append(cases, bad{f.Key + "/negative", "figures." + f.Key, "whole", map[string]float64{f.Key: -1}},
				bad{f.Key + "/fraction", "figures." + f.Key, "whole", map[string]float64{f.Key: 2.5}})
		}
		if f.Max != nil {
			cases = append(cases, bad{f.Key + "/above_max", "figures." + f.Key, "range", map[string]float64{f.Key: *f.Max + 1}})
		}
		if f.Min != nil {
			cases = append(cases, bad{f.Key + "/below_min", "figures." + f.Key, "range", map[string]float64{f.Key: *f.Min - 1}})
		}
		if f.Decimals != nil {
			cases = append(cases, bad{f.Key + "/decimals", "figures." + f.Key, "decimals", map[string]float64{f.Key: 50.12345}})
		}
		for _, ref := range f.AtMost {
			cases = append(cases, bad{f.Key + "/at_most/" + ref, "figures." + f.Key, "at_most", map[string]float64{f.Key: good[ref] + 1}})
		}
		for _, ref := range f.AtLeast {
			require.Positive(t, good[ref], "the example needs %s > 0 to break at_least", ref)
			cases = append(cases, bad{f.Key + "/at_least/" + ref, "figures." + f.Key, "at_least", map[string]float64{f.Key: good[ref] - 1}})
		}
		if len(f.AtMostSum) > 0 {
			cases = append(cases, bad{f.Key + "/at_most_sum", "figures." + f.Key, "at_most_sum", map[string]float64{f.Key: sum(f.AtMostSum) + 1}})
		}
		if len(f.SumOf) > 0 {
			cases = append(cases, bad{f.Key + "/sum_of", "figures." + f.Key, "sum_of", map[string]float64{f.Key: sum(f.SumOf) + 1}})
		}
	}
	for i, id := range c.Identities {
		// Move one unit between the parts' outside and a part: only the
		// identity can notice.
		p := id.Parts[len(id.Parts)-1]
		cases = append(cases, bad{fmt.Sprintf("identity/%d", i), "figures." + id.Total, "identity", map[string]float64{p: good[p] + 1}})
	}
	require.GreaterOrEqual(t, len(cases), 80)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := map[string]float64{}
			for k, x := range good {
				v[k] = x
			}
			for k, x := range tc.set {
				v[k] = x
			}
			_, err := c.Check(withFigures(base, v))
			requireRule(t, err, tc.field, tc.rule)
		})
	}
}

func TestCheck_SectionsAndKeys(t *testing.T) {
	c := reports.Default()
	base := loadExample(t, "annual-report.json")
	for _, s := range c.Sections {
		if !s.Required {
			continue
		}
		t.Run("missing/"+s.Key, func(t *testing.T) {
			cp := *base
			cp.Sections = map[string]string{}
			for k, v := range base.Sections {
				if k != s.Key {
					cp.Sections[k] = v
				}
			}
			_, err := c.Check(&cp)
			requireRule(t, err, "sections."+s.Key, "required")
			require.Contains(t, danvan.AsError(err).Fields[0].MessageVI+danvan.AsError(err).Error(), s.Title)
		})
	}
	t.Run("unknown section", func(t *testing.T) {
		cp := *base
		cp.Sections = map[string]string{"khac": "x"}
		for k, v := range base.Sections {
			cp.Sections[k] = v
		}
		_, err := c.Check(&cp)
		requireRule(t, err, "sections.khac", "unknown")
	})
	t.Run("derived typed", func(t *testing.T) {
		v := figures(t, base)
		v["tthc.ty_le_dung_han"] = 99
		_, err := c.Check(withFigures(base, v))
		requireRule(t, err, "figures.tthc.ty_le_dung_han", "derived")
	})
	t.Run("unknown figure", func(t *testing.T) {
		v := figures(t, base)
		v["tcd.khac"] = 1
		_, err := c.Check(withFigures(base, v))
		requireRule(t, err, "figures.tcd.khac", "unknown")
	})
	t.Run("figure as text", func(t *testing.T) {
		cp := *base
		cp.Figures = map[string]json.RawMessage{"tcd.luot": json.RawMessage(`"nhiều"`)}
		_, err := c.Check(&cp)
		requireRule(t, err, "figures.tcd.luot", "number")
	})
	t.Run("title and date", func(t *testing.T) {
		cp := *base
		cp.Title, cp.Date = " ", "29/3/2022"
		_, err := c.Check(&cp)
		requireRule(t, err, "title", "required")
		requireRule(t, err, "date", "isodate")
	})
	t.Run("missing figures skip their rules", func(t *testing.T) {
		cp := *base
		cp.Figures = map[string]json.RawMessage{"don.da_giai_quyet": json.RawMessage("5")}
		got, err := c.Check(&cp)
		require.NoError(t, err)
		require.Empty(t, got.Derived)
	})
	t.Run("zero denominator gives no rate", func(t *testing.T) {
		require.Empty(t, c.Derive(map[string]float64{"hoa_giai.thanh": 0, "hoa_giai.tong": 0}))
	})
}

func TestParse_RefusesBrokenCatalogue(t *testing.T) {
	for name, body := range map[string]string{
		"no version":       `{"sections":[],"figures":[],"identities":[],"derived":[]}`,
		"unknown rule ref": `{"version":"x","sections":[{"key":"a","code":"I","title":"A"}],"figures":[{"key":"f","section":"a","name":"F","at_most":["g"]}],"identities":[],"derived":[]}`,
		"unknown section":  `{"version":"x","sections":[],"figures":[{"key":"f","section":"a","name":"F"}],"identities":[],"derived":[]}`,
		"unknown key":      `{"version":"x","extra":1}`,
	} {
		_, err := reports.Parse([]byte(body))
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err), name)
	}
}

func TestCompare(t *testing.T) {
	c := reports.Default()
	lines := c.Compare(map[string]float64{"tcd.luot": 124}, map[string]float64{"hoa_giai.ty_le_thanh": 88.57},
		map[string]float64{"tcd.luot": 100, "tcd.nguoi": 120}, nil)
	require.Len(t, lines, 3)
	require.Equal(t, "tcd.luot", lines[0].Key)
	require.Equal(t, 24.0, *lines[0].Change)
	require.Nil(t, lines[1].Value)
	require.True(t, lines[2].Derived)
}

func TestImportText_CorpusReport(t *testing.T) {
	b, err := os.ReadFile("../../shared/corpus/qn-vpubnd-bao-cao-dan-van-2022.txt")
	if err != nil {
		t.Skip("corpus not present")
	}
	got := reports.Default().ImportText(string(b))
	// Its headings are worded its own way ("I. Tình hình chung"); those
	// that match a catalogue title fill that section.
	require.Contains(t, got.Sections["uu_diem"], "nêu cao vai trò trách nhiệm")
	require.Contains(t, got.Sections["thuc_hien_ke_hoach"], "53/KH-UBND")

	txt := "BÁO CÁO\nI. Đặc điểm, tình hình\nĐơn vị có 30 công chức.\nII.4. Tiếp công dân, giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh\n" +
		"Số lượt tiếp công dân: 1.234 lượt.\nTỷ lệ người dân, tổ chức hài lòng đạt 98,5%.\n"
	got = reports.Default().ImportText(txt)
	require.Equal(t, "Đơn vị có 30 công chức.", got.Sections["tinh_hinh"])
	require.Contains(t, got.Sections["tiep_cong_dan"], "1.234")
	byKey := map[string]float64{}
	for _, p := range got.Proposed {
		byKey[p.Key] = p.Value
	}
	require.Equal(t, 1234.0, byKey["tcd.luot"])
	require.Equal(t, 98.5, byKey["hai_long.ty_le"])
}
