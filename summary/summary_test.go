package summary_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/scoring"
	"github.com/danvan/danvan/summary"
)

type fakeSource struct {
	reports map[string]map[string]summary.Report
	models  map[string]summary.Models
	tasks   []danvan.Task
	set     *criteria.Set
	sheets  map[string]summary.Sheets
	insp    []inspections.Summary
	actions []inspections.Action
}

func (f *fakeSource) Cycle(_ context.Context, id string) (*danvan.Cycle, error) {
	if id != "2026-SNV" {
		return nil, danvan.Errorf(danvan.ENotFound, "no cycle", "không có")
	}
	return &danvan.Cycle{ID: id, Definition: danvan.CycleDefinition{Year: 2026, Title: "Kế hoạch số 53/KH-UBND ngày 23/3/2026 của UBND tỉnh", Owner: "UBND"}}, nil
}

func (f *fakeSource) Units(context.Context, string) ([]summary.Unit, summary.Unit, error) {
	return []summary.Unit{{"SNN", "Sở Nông nghiệp", danvan.UnitDepartment}, {"STP", "Sở Tư pháp", danvan.UnitDepartment},
			{"DP", "UBND thị xã Đức Phổ", danvan.UnitDistrict}, {"NN", "UBND phường Nguyễn Nghiêm", danvan.UnitCommune}},
		summary.Unit{"SNV", "Sở Nội vụ", danvan.UnitDepartment}, nil
}

func (f *fakeSource) Reports(_ context.Context, id string) (map[string]summary.Report, error) {
	return f.reports[id], nil
}
func (f *fakeSource) Models(context.Context, string) (map[string]summary.Models, error) {
	return f.models, nil
}
func (f *fakeSource) Tasks(context.Context, string) ([]danvan.Task, error) { return f.tasks, nil }
func (f *fakeSource) Inspections(context.Context, string) ([]inspections.Summary, []inspections.Action, error) {
	return f.insp, f.actions, nil
}
func (f *fakeSource) Criteria(context.Context, string) (*criteria.Set, map[string]summary.Sheets, error) {
	return f.set, f.sheets, nil
}
func (f *fakeSource) Previous(_ context.Context, id string) (string, error) {
	if id == "2026-SNV" {
		return "2025-SNV", nil
	}
	return "", nil
}

var now = time.Date(2026, 12, 20, 3, 0, 0, 0, time.UTC)

func fixture(t *testing.T) *fakeSource {
	set, err := criteria.Parse(criteria.ExampleTayNinh2022)
	require.NoError(t, err)
	due := time.Date(2026, 12, 14, 16, 59, 0, 0, time.UTC)
	early, late := due.Add(-time.Hour), due.Add(48*time.Hour)
	return &fakeSource{
		reports: map[string]map[string]summary.Report{
			"2026-SNV": {
				"SNN": {Figures: map[string]float64{"tcd.luot": 120, "tthc.dung_han": 900, "tthc.da_giai_quyet": 1000, "hai_long.ty_le": 90, "dvk.dang_ky": 2, "dvk.cong_nhan": 1}},
				"STP": {Figures: map[string]float64{"tcd.luot": 30, "tthc.dung_han": 10, "tthc.da_giai_quyet": 100, "hai_long.ty_le": 50, "dvk.dang_ky": 1}},
				"DP":  {Figures: map[string]float64{"tcd.luot": 1234, "tthc.dung_han": 45, "tthc.da_giai_quyet": 50}},
			},
			"2025-SNV": {"SNN": {Figures: map[string]float64{"tcd.luot": 1000}}},
		},
		models: map[string]summary.Models{"SNN": {Registered: 2, Recognised: 1}, "STP": {Registered: 1}},
		tasks: []danvan.Task{
			{CycleID: "2026-SNV", UnitCode: "SNN", Kind: "annual_report", Status: danvan.StatusAccepted, Due: due, SubmittedAt: &early},
			{CycleID: "2026-SNV", UnitCode: "STP", Kind: "annual_report", Status: danvan.StatusAccepted, Due: due, SubmittedAt: &late},
			{CycleID: "2026-SNV", UnitCode: "NN", Kind: "annual_report", Status: danvan.StatusOverdue, Due: due},
		},
		set:    set,
		sheets: map[string]summary.Sheets{"SNN": {Self: &scoring.Sheet{Entries: []scoring.Entry{{Criterion: "TC3.1", Points: 9}}}}},
		insp:   []inspections.Summary{{ID: 1, Kind: "inspection", Title: "Kiểm tra công tác dân vận chính quyền năm 2026", Units: []string{"STP"}, Recorded: []string{"STP"}, Actions: 1, Status: "open", OpenActions: []inspections.Action{{Unit: "STP", Seq: 1, Text: "Ban hành quy chế", Due: "2026-12-01", State: "open"}}}},
	}
}

func TestCompile_SumsAndRates(t *testing.T) {
	src := fixture(t)
	s, err := summary.Compile(context.Background(), src, summary.MustDefault(), "2026-SNV", now)
	require.NoError(t, err)
	require.Equal(t, 120.0+30+1234, s.Totals["tcd.luot"])
	// Rates are recomputed from summed parts: (900+10+45)/(1000+100+50),
	// not the average of 90%, 10% and 90%.
	require.Equal(t, 83.04, s.Totals["tthc.ty_le_dung_han"])
	require.Equal(t, 82.73, s.ByTier[danvan.UnitDepartment]["tthc.ty_le_dung_han"]) // 910/1100
	require.Equal(t, 90.0, s.ByTier[danvan.UnitDistrict]["tthc.ty_le_dung_han"])
	// hai_long.ty_le has no parts: weighted by tthc.da_giai_quyet.
	require.Equal(t, 86.36, s.Totals["hai_long.ty_le"]) // (90*1000+50*100)/1100
	_, ok := s.Totals["tcd.nguoi"]
	require.False(t, ok, "a figure nobody reported stays absent")
	require.Equal(t, []string{"NN"}, s.NotReported)
	require.Equal(t, []string{"STP"}, s.ReportedLate)
	require.Equal(t, []string{"DP", "NN"}, s.WithoutModel)
	require.Equal(t, map[string]int{"SNN": 1}, s.ModelsRecognised)
	var luot summary.FigureRow
	for _, f := range s.Figures {
		if f.Key == "tcd.luot" {
			luot = f
		}
	}
	require.Equal(t, 1000.0, *luot.Previous)
	require.Equal(t, 384.0, *luot.Change)
	require.Equal(t, 3, s.Reported)
	require.Len(t, s.Board.Results, 4)
	require.Equal(t, "tay-ninh-1563-2022-example", s.Board.CriteriaSet)
	require.True(t, s.Board.Example)
	require.Len(t, s.Board.Timeliness, 3)
}

func TestNum(t *testing.T) {
	require.Equal(t, "1.234", summary.Num(1234))
	require.Equal(t, "83,04", summary.Num(83.04))
	require.Equal(t, "-1.000.000,5", summary.Num(-1000000.5))
	require.Equal(t, "0", summary.Num(0))
}

func TestDocx_ValidAndConverts(t *testing.T) {
	s, err := summary.Compile(context.Background(), fixture(t), summary.MustDefault(), "2026-SNV", now)
	require.NoError(t, err)
	b, err := summary.Docx(s, summary.Letterhead{})
	require.NoError(t, err)
	body := CheckDocx(t, b)
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ NỘI VỤ", "/BC-SNV",
		"Quảng Ngãi, ngày 20 tháng 12 năm 2026", "UBND TỈNH QUẢNG NGÃI", "BÁO CÁO", "Kính gửi: UBND tỉnh Quảng Ngãi.", "Phần I", "Nơi nhận:", "KT. GIÁM ĐỐC",
		"Phụ lục I", "Kèm theo Báo cáo số", "1.384", "83,04", "Times New Roman"} {
		require.Contains(t, body, want)
	}
	ToPDF(t, b, "summary")
}

func TestXlsx_Reopens(t *testing.T) {
	cat := summary.MustDefault()
	s, err := summary.Compile(context.Background(), fixture(t), cat, "2026-SNV", now)
	require.NoError(t, err)
	b, err := summary.Xlsx(s, cat)
	require.NoError(t, err)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, []string{summary.SheetFigures, summary.SheetTimeliness, summary.SheetScores}, f.GetSheetList())
	rows, err := f.GetRows(summary.SheetFigures)
	require.NoError(t, err)
	col := -1
	for i, h := range rows[0] {
		if strings.Contains(h, "[tcd.luot]") {
			col = i
		}
	}
	require.GreaterOrEqual(t, col, 0)
	last := rows[len(rows)-1]
	require.Equal(t, "TỔNG CỘNG", last[1])
	require.Equal(t, "1384", last[col])
	var labels []string
	for _, r := range rows[1:] {
		labels = append(labels, r[1])
	}
	require.Equal(t, []string{"Sở Nông nghiệp", "Sở Tư pháp", "Cộng Sở, ban, ngành", "UBND thị xã Đức Phổ", "Cộng Cấp huyện",
		"UBND phường Nguyễn Nghiêm", "Cộng Cấp xã", "TỔNG CỘNG"}, labels)
	tl, err := f.GetRows(summary.SheetTimeliness)
	require.NoError(t, err)
	require.Equal(t, []string{"STP", "1", "0", "1", "0", "0"}, tl[3])
	sc, err := f.GetRows(summary.SheetScores)
	require.NoError(t, err)
	require.Len(t, sc, 5)
}

func TestNotice_Valid(t *testing.T) {
	plan := &inspections.Plan{Number: "12/KH-SNV", Date: "2026-05-01", Body: "Sở Nội vụ", Title: "Kiểm tra công tác dân vận chính quyền năm 2026",
		Content: []inspections.ContentItem{{Code: "ND1", Title: "Công tác lãnh đạo, chỉ đạo"}}, PeriodFrom: "2025-12-15", PeriodTo: "2026-06-14"}
	rec := &inspections.Record{Unit: "STP", Date: "2026-06-20", Participants: []string{"Nguyễn Văn A, Trưởng đoàn"},
		Findings: []inspections.Finding{{Content: "ND1", Text: "Đã ban hành kế hoạch.\nChưa có quy chế phối hợp & <biên bản>."}}, Conclusion: "Đạt yêu cầu.", Rating: "dat"}
	b, err := inspections.Notice(plan, rec, []inspections.Action{{Seq: 1, Text: "Ban hành quy chế phối hợp", Due: "2026-07-31"}},
		inspections.NoticeOptions{ParentBody: "UBND tỉnh Quảng Ngãi", Symbol: "TB-SNV", Place: "Quảng Ngãi", Date: now, UnitName: "Sở Tư pháp"})
	require.NoError(t, err)
	body := CheckDocx(t, b)
	require.Contains(t, body, "THÔNG BÁO")
	require.Contains(t, body, "&lt;biên bản&gt;")
	require.Contains(t, body, "31/7/2026")
	ToPDF(t, b, "notice")
}

// CheckDocx unzips b, parses every XML part, checks that every part has a
// content type and every relationship target exists, and returns
// document.xml.
func CheckDocx(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		rc.Close()
		parts[f.Name] = string(data)
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err, "part %s is not well-formed XML", f.Name)
		}
	}
	var types struct {
		Defaults []struct {
			Extension string `xml:"Extension,attr"`
		} `xml:"Default"`
		Overrides []struct {
			PartName string `xml:"PartName,attr"`
		} `xml:"Override"`
	}
	require.NoError(t, xml.Unmarshal([]byte(parts["[Content_Types].xml"]), &types))
	exts, overrides := map[string]bool{}, map[string]bool{}
	for _, d := range types.Defaults {
		exts[d.Extension] = true
	}
	for _, o := range types.Overrides {
		overrides[o.PartName] = true
		_, ok := parts[strings.TrimPrefix(o.PartName, "/")]
		require.True(t, ok, "content type for missing part %s", o.PartName)
	}
	for name := range parts {
		if name == "[Content_Types].xml" {
			continue
		}
		require.True(t, overrides["/"+name] || exts[path.Ext(name)[1:]], "part %s has no content type", name)
	}
	require.True(t, overrides["/word/document.xml"])
	for name, body := range parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		var rels struct {
			Rel []struct {
				Target string `xml:"Target,attr"`
				Mode   string `xml:"TargetMode,attr"`
			} `xml:"Relationship"`
		}
		require.NoError(t, xml.Unmarshal([]byte(body), &rels))
		base := path.Dir(path.Dir(name)) // _rels/.rels → "."; word/_rels/x.rels → word
		for _, r := range rels.Rel {
			if r.Mode == "External" {
				continue
			}
			target := path.Clean(path.Join(base, r.Target))
			_, ok := parts[target]
			require.True(t, ok, "%s points at missing part %s", name, target)
		}
	}
	return parts["word/document.xml"] + parts["word/styles.xml"]
}

// ToPDF converts b with soffice when it is installed (skipping only this
// step otherwise) and checks a PDF came out; with DANVAN_ARTIFACTS set it
// keeps the PDF and the .docx there.
func ToPDF(t *testing.T, b []byte, name string) {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Log("soffice not installed: PDF conversion skipped")
		return
	}
	dir := t.TempDir()
	in := filepath.Join(dir, name+".docx")
	require.NoError(t, os.WriteFile(in, b, 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	pdf, err := os.ReadFile(filepath.Join(dir, name+".pdf"))
	require.NoError(t, err, string(out))
	require.True(t, bytes.HasPrefix(pdf, []byte("%PDF")))
	if keep := os.Getenv("DANVAN_ARTIFACTS"); keep != "" {
		_ = os.MkdirAll(keep, 0o755)
		_ = os.WriteFile(filepath.Join(keep, name+".pdf"), pdf, 0o644)
		_ = os.WriteFile(filepath.Join(keep, name+".docx"), b, 0o644)
	}
}

func (f *fakeSource) Province(context.Context, string) (summary.Unit, error) {
	return summary.Unit{Code: "UBND", Name: "UBND tỉnh Quảng Ngãi", Kind: danvan.UnitProvince}, nil
}
