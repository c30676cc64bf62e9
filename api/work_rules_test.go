package api_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/api"
	"github.com/danvan/danvan/reports"
	"github.com/danvan/danvan/store"
)

// TestWork_EveryRuleThroughAPI breaks each rule of the catalogue on the
// valid annual example and submits it over HTTP: each is refused with a
// 400 naming the figure, and nothing is stored.
func TestWork_EveryRuleThroughAPI(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	c := reports.Default()
	good := readExample(t, "annual-report.json")["figures"].(map[string]any)
	num := func(k string) float64 { return good[k].(float64) }
	type bad struct {
		field, rule string
		key         string
		value       float64
	}
	var cases []bad
	for _, f := range c.Figures {
		if f.Min == nil && f.Max == nil {
			cases = append(cases, bad{f.Key, "whole", f.Key, -3})
		} else {
			cases = append(cases, bad{f.Key, "range", f.Key, *f.Max + 0.5})
		}
		for _, ref := range f.AtMost {
			cases = append(cases, bad{f.Key, "at_most", f.Key, num(ref) + 1})
		}
		for _, ref := range f.AtLeast {
			cases = append(cases, bad{f.Key, "at_least", f.Key, num(ref) - 1})
		}
		if len(f.AtMostSum) > 0 {
			var s float64
			for _, k := range f.AtMostSum {
				s += num(k)
			}
			cases = append(cases, bad{f.Key, "at_most_sum", f.Key, s + 1})
		}
		if len(f.SumOf) > 0 {
			cases = append(cases, bad{f.Key, "sum_of", f.Key, num(f.Key) + 1})
		}
	}
	for _, id := range c.Identities {
		p := id.Parts[0]
		cases = append(cases, bad{id.Total, "identity", p, num(p) + 1})
	}
	for _, tc := range cases {
		t.Run(tc.field+"/"+tc.rule+"/"+tc.key, func(t *testing.T) {
			rep := readExample(t, "annual-report.json")
			rep["figures"].(map[string]any)[tc.key] = tc.value
			code, body := e.do("a", "POST", "/api/cycles/2022-OWN/units/A/reports/annual_report", js(t, map[string]any{"report": rep}))
			require.Equal(t, http.StatusBadRequest, code, body)
			found := false
			for _, f := range fieldsOf(t, body) {
				found = found || (f.Field == "figures."+tc.field && f.Rule == tc.rule)
			}
			require.True(t, found, body)
		})
	}
	code, _ := e.do("admin", "GET", "/api/cycles/2022-OWN/units/A/reports/annual_report", "")
	require.Equal(t, http.StatusNotFound, code, "no refused report was stored")
	require.Empty(t, e.engine.submitted)
}

// TestWork_CorpusReports submits each real report of the corpus as report
// text (the sections its headings fill, the rest from the example) and
// finds its citations.
func TestWork_CorpusReports(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../../shared/corpus/*.txt")
	if len(files) == 0 {
		t.Skip("corpus not present")
	}
	e := newWorkEnv(t)
	want := map[string]string{"qn-vpubnd-bao-cao-dan-van-2022.txt": "53/KH-UBND", "sl-qd-3235-de-an-dan-van-2018-2022.txt": "25-NQ/TW",
		"sl-vpubnd-so-ket-doi-thoai-2022.txt": "Luật"}
	for i, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		rep := readExample(t, "annual-report.json")
		sections := rep["sections"].(map[string]any)
		for k, v := range reports.Default().ImportText(string(b)).Sections {
			sections[k] = v
		}
		sections["tinh_hinh"] = string(b)
		cycle := fmt.Sprintf("%d-OWN", 2021+i%2)
		unit := []string{"A", "B", "C"}[i%3]
		code, body := e.do("admin", "POST", "/api/cycles/"+cycle+"/units/"+unit+"/reports/annual_report", js(t, map[string]any{"report": rep}))
		require.Equal(t, http.StatusOK, code, body)
		var out struct {
			Report danvan.Report `json:"report"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &out))
		require.Greater(t, len(out.Report.Citations), 3, f)
		if w := want[filepath.Base(f)]; w != "" && w != "Luật" {
			require.Contains(t, out.Report.Citations, w, f)
		}
	}
}

// TestWork_AcceptedIsFinal: once the standing agency has accepted a report
// or plan, the unit cannot replace it.
func TestWork_AcceptedIsFinal(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	require.NoError(t, store.NewTaskService(e.db).UpsertTask(context.Background(), &danvan.Task{CycleID: "2022-OWN", UnitCode: "A",
		Kind: "annual_report", Title: "Báo cáo năm", Status: danvan.StatusAccepted, Due: time.Now(), Version: 5}))
	code, body := e.do("a", "POST", "/api/cycles/2022-OWN/units/A/reports/annual_report", js(t, map[string]any{"report": readExample(t, "annual-report.json")}))
	require.Equal(t, http.StatusConflict, code, body)
	require.Contains(t, body, "đã được chấp nhận")
}

// docx builds a minimal Word file, one paragraph per line.
func docx(t *testing.T, lines ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.Create("word/document.xml")
	require.NoError(t, err)
	var body strings.Builder
	for _, l := range lines {
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">`)
		require.NoError(t, xml.EscapeText(&body, []byte(l)))
		body.WriteString(`</w:t></w:r></w:p>`)
	}
	_, _ = w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="x"><w:body>` + body.String() + `</w:body></w:document>`))
	require.NoError(t, z.Close())
	return buf.Bytes()
}

// TestWork_ImportDocx: a Word report's headings fill the sections; its
// figures are proposed, not taken, and the report is stored only when the
// person submits the confirmed file.
func TestWork_ImportDocx(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	file := docx(t, "UBND TỈNH QUẢNG NGÃI", "BÁO CÁO", "I. ĐẶC ĐIỂM, TÌNH HÌNH", "Văn phòng có 07 đơn vị hành chính.",
		"II.4. Tiếp công dân, giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh",
		"Số lượt tiếp công dân: 239 lượt; Số người được tiếp: 297 lượt người.", "Tổng số đơn: 874 đơn.",
		"III.1. Ưu điểm", "Lãnh đạo, chỉ đạo kịp thời.")
	code, body := e.do("a", "POST", "/api/reports/import?name=bao-cao-nam.docx", string(file))
	require.Equal(t, http.StatusOK, code, body)
	var got reports.Imported
	require.NoError(t, json.Unmarshal([]byte(body), &got))
	require.Equal(t, "Văn phòng có 07 đơn vị hành chính.", got.Sections["tinh_hinh"])
	require.Equal(t, "Lãnh đạo, chỉ đạo kịp thời.", got.Sections["uu_diem"])
	proposed := map[string]float64{}
	for _, p := range got.Proposed {
		proposed[p.Key] = p.Value
	}
	require.Equal(t, map[string]float64{"tcd.luot": 239, "tcd.nguoi": 297, "don.tong": 874}, proposed)
	code, _ = e.do("a", "GET", "/api/cycles/2022-OWN/units/A/reports/annual_report", "")
	require.Equal(t, http.StatusNotFound, code, "importing stores nothing")
	code, body = e.do("a", "POST", "/api/reports/import?name=hong.docx", "not a zip")
	require.Equal(t, http.StatusBadRequest, code, body)
}

func TestWork_Summary(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	for _, who := range []string{"a", "b"} {
		code, body := e.do(who, "POST", "/api/cycles/2022-OWN/units/"+strings.ToUpper(who)+"/reports/annual_report",
			js(t, map[string]any{"report": readExample(t, "annual-report.json")}))
		require.Equal(t, http.StatusOK, code, body)
	}
	code, body := e.do("reader", "GET", "/api/cycles/2022-OWN/reports/annual_report/summary", "")
	require.Equal(t, http.StatusOK, code, body)
	var s api.Summary
	require.NoError(t, json.Unmarshal([]byte(body), &s))
	require.Equal(t, []string{"A", "B"}, s.Reported)
	require.Equal(t, []string{"C"}, s.Missing)
	require.Equal(t, 248.0, s.Figures["tcd.luot"])
	require.Equal(t, 98.65, s.Figures["hai_long.ty_le"])
	require.Equal(t, 99.43, s.Derived["tthc.ty_le_dung_han"])
	code, _ = e.do("a", "GET", "/api/cycles/2022-OWN/reports/annual_report/summary", "")
	require.Equal(t, http.StatusForbidden, code)
}

func TestWork_CarryModel(t *testing.T) {
	t.Parallel()
	e := newWorkEnv(t)
	code, body := e.do("a", "POST", "/api/cycles/2021-OWN/units/A/models", js(t, map[string]any{"model": readExample(t, "model.json")}))
	require.Equal(t, http.StatusCreated, code, body)
	code, body = e.do("b", "POST", "/api/models/1/carry", `{"cycle":"2022-OWN"}`)
	require.Equal(t, http.StatusNotFound, code, body)
	code, body = e.do("a", "POST", "/api/models/1/carry", `{"cycle":"2022-OWN"}`)
	require.Equal(t, http.StatusCreated, code, body)
	var out struct {
		Model danvan.Model `json:"model"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	require.Equal(t, int64(1), out.Model.ContinuesID)
	require.Equal(t, 2022, out.Model.Year)
	require.Equal(t, danvan.ModelRegistered, out.Model.Status)
	code, body = e.do("admin", "GET", "/api/cycles/2022-OWN/models/missing", "")
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, body, `"A"`, "the carried model counts for the new year")
}
