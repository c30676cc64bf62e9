package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/cli"
	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/store"
	"github.com/danvan/danvan/store/storetest"
	"github.com/danvan/danvan/summary"
)

// cliAs runs a client command with another user's token.
func (s *stack) cliAs(token string, args ...string) (string, error) {
	var out, errOut bytes.Buffer
	env := map[string]string{"DANVAN_URL": s.main.HTTPURL(), "DANVAN_DATA_DIR": s.dataDir, "DANVAN_TOKEN": token,
		"DANVAN_DATABASE_URL": storetest.URL(), "DANVAN_DATABASE_SCHEMA": s.schema}
	code := cli.Run(context.Background(), args, cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }})
	if code != 0 {
		return out.String(), fmt.Errorf("danvan %v: exit %d: %s", args, code, errOut.String())
	}
	return out.String(), nil
}

const agencyUnitsCSV = `code,name,parent_code,kind,email,head_email
QNG,UBND tỉnh Quảng Ngãi,,province,ubnd@example.org,ct@example.org
OWN,Sở Nội vụ,QNG,department,snv@example.org,gd@example.org
A,Sở Tư pháp,OWN,department,a@example.org,head.a@example.org
B,UBND thị xã Đức Phổ,OWN,district,b@example.org,head.b@example.org
C,UBND phường Nguyễn Nghiêm,B,commune,c@example.org,head.c@example.org
`

// Each unit's annual report carries its figures as "key: value" lines.
var agencyFigures = map[string]map[string]float64{
	"A": {"tcd.luot": 120, "tcd.nguoi": 130, "tthc.ton_ky_truoc": 0, "tthc.tiep_nhan_moi": 1000, "tthc.da_giai_quyet": 1000, "tthc.dung_han": 990,
		"tthc.truc_tuyen": 600, "hai_long.ty_le": 96, "doi_thoai.so_cuoc": 2, "don.thuoc_tham_quyen": 10, "don.da_giai_quyet": 10, "dvk.dang_ky": 2, "dvk.cong_nhan": 1},
	"B": {"tcd.luot": 340, "tcd.nguoi": 360, "tthc.ton_ky_truoc": 20, "tthc.tiep_nhan_moi": 480, "tthc.da_giai_quyet": 500, "tthc.dung_han": 450,
		"tthc.truc_tuyen": 100, "hai_long.ty_le": 88, "doi_thoai.so_cuoc": 1, "don.thuoc_tham_quyen": 40, "don.da_giai_quyet": 30, "dvk.dang_ky": 1},
	"C": {"tcd.luot": 55, "tcd.nguoi": 60, "tthc.ton_ky_truoc": 5, "tthc.tiep_nhan_moi": 295, "tthc.da_giai_quyet": 300, "tthc.dung_han": 270,
		"tthc.truc_tuyen": 30, "hai_long.ty_le": 80, "doi_thoai.so_cuoc": 2},
}

func reportText(unit string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "BÁO CÁO\nKết quả công tác dân vận chính quyền năm 2033 của %s\nII. KẾT QUẢ\n", unit)
	for k, v := range agencyFigures[unit] {
		fmt.Fprintf(&b, "%s: %g\n", k, v)
	}
	return b.String()
}

// TestScenario_AgencyYear is issue 10's acceptance scenario through the
// real `danvan dev` Main: three units report figures; an inspection of B
// records a corrective action B answers late; the units self-assess and
// are appraised; automatic criteria fill from timeliness and figures; the
// cap moves A down; the summary's json totals equal the sums of the
// accepted figures and its .docx and .xlsx open (and convert to PDF where
// soffice exists).
func TestScenario_AgencyYear(t *testing.T) {
	t.Parallel()
	_, schema := storetest.NewWithSchema(t)
	dir := t.TempDir()
	s := startStack(t, dir, schema)
	s.mustCLI("units", "import", writeFile(t, dir, "units.csv", agencyUnitsCSV))

	due := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	def, _ := json.Marshal(map[string]any{
		"year": 2033, "title": "Kế hoạch số 53/KH-UBND ngày 23/3/2033 về công tác dân vận chính quyền", "owner": "OWN", "scope": []string{"A", "B", "C"},
		"parent_plan": map[string]string{"number": "53/KH-UBND", "date": "2033-03-23", "issuer": "UBND tỉnh"},
		"tasks": []map[string]string{
			{"kind": "unit_plan", "title": "Ban hành kế hoạch", "due": due.Format(time.RFC3339)},
			{"kind": "midyear_report", "title": "Báo cáo 6 tháng", "due": due.Format(time.RFC3339)},
			{"kind": "annual_report", "title": "Báo cáo năm", "due": due.Format(time.RFC3339)}},
		"reminders": map[string]any{"before": []string{"1h"}, "overdue_every": "24h", "escalate_after": "48h"},
	})
	cycle := strings.TrimSpace(s.mustCLI("cycle", "start", writeFile(t, dir, "cycle.json", string(def))))
	require.Equal(t, "2033-OWN", cycle)

	// Every unit hands in its plan and reports on time, and they are accepted.
	plan := writeFile(t, dir, "plan.txt", "KẾ HOẠCH\nCông tác dân vận chính quyền năm 2033.")
	for _, u := range []string{"A", "B", "C"} {
		report := writeFile(t, dir, "report-"+u+".txt", reportText(u))
		for _, kind := range []string{"unit_plan", "midyear_report", "annual_report"} {
			file := plan
			if kind != "unit_plan" {
				file = report
			}
			require.Eventually(t, func() bool {
				_, err := s.cli("task", "submit", "--cycle", cycle, "--unit", u, "--kind", kind, "--file", file)
				return err == nil
			}, 60*time.Second, 300*time.Millisecond, "%s submits %s", u, kind)
			s.mustCLI("task", "accept", "--cycle", cycle, "--unit", u, "--kind", kind)
		}
	}

	// An inspector, and officers of B and C.
	inspectorToken := s.userToken("user3", "--name", "Nguyễn Văn An", "--role", "inspector")
	otherInspector := s.userToken("user4", "--name", "Người ngoài đoàn", "--role", "inspector")
	officerB := s.userToken("user5", "--name", "Cán bộ B", "--role", "officer", "--unit", "B")
	officerC := s.userToken("user6", "--name", "Cán bộ C", "--role", "officer", "--unit", "C")
	var inspectorID int64
	var accounts struct {
		Users []struct {
			ID    int64  `json:"id"`
			Login string `json:"login"`
		} `json:"users"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.mustCLI("users", "list", "--json")), &accounts))
	for _, a := range accounts.Users {
		if a.Login == "user3" {
			inspectorID = a.ID
		}
	}
	require.NotZero(t, inspectorID, "the inspector's account id")
	require.NotZero(t, inspectorID)

	// The plan: the shipped example, for unit B of this cycle, in the past
	// (so the corrective action's deadline has passed when B answers).
	var p inspections.Plan
	raw, err := os.ReadFile("../examples/inspection-plan.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &p))
	p.CycleID, p.Units = cycle, []inspections.Visit{{Unit: "B", Date: "2022-06-15"}}
	p.Team[0].UserID = inspectorID
	planJSON, _ := json.Marshal(p)
	id := strings.TrimSpace(s.mustCLI("inspections", "plan", "--file", writeFile(t, dir, "inspection-plan.json", string(planJSON))))
	require.Regexp(t, regexp.MustCompile(`^\d+$`), id)
	var insID int64
	fmt.Sscan(id, &insID)

	// Planning gave B its self-inspection report task, in a cycle of its own
	// cascaded from the year's cycle.
	selfCycle := inspections.SelfReportCycleID(cycle, insID, "B")
	require.Eventually(t, func() bool {
		st, _ := s.status(selfCycle).task("B", inspections.TaskSelfReport)
		return st == danvan.StatusPending
	},
		60*time.Second, 300*time.Millisecond, "the self-inspection report task exists")

	// Only the team's inspector records; C's officer does not even see it.
	record := writeFile(t, dir, "record.json", mustRead(t, "../examples/inspection-record.json"))
	_, err = s.cliAs(otherInspector, "inspections", "record", "--id", id, "--unit", "B", "--file", record)
	require.ErrorContains(t, err, "not a member")
	out, err := s.cliAs(inspectorToken, "inspections", "record", "--id", id, "--unit", "B", "--file", record)
	require.NoError(t, err)
	require.Contains(t, out, "1 corrective actions")
	listC, err := s.cliAs(officerC, "inspections", "list", "--json")
	require.NoError(t, err)
	require.NotContains(t, listC, `"unit": "B"`)
	listB, err := s.cliAs(officerB, "inspections", "list", "--json")
	require.NoError(t, err)
	require.Contains(t, listB, "Rà soát, giải quyết dứt điểm")

	for _, path := range []string{"/api/inspections/" + id, "/api/inspections/" + id + "/units/B/notice.docx"} {
		req, _ := http.NewRequest("GET", s.main.HTTPURL()+path, nil)
		req.Header.Set("Authorization", "Bearer "+officerC)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusNotFound, resp.StatusCode, "C's officer cannot see B's inspection: %s", path)
	}

	// The action is an inspection_response task of B, overdue already; B
	// answers it late with its evidence, and the inspector accepts.
	actCycle := inspections.ActionCycleID(cycle, insID, "B", 1)
	require.Eventually(t, func() bool {
		st, _ := s.status(actCycle).task("B", inspections.TaskResponse)
		return st == danvan.StatusOverdue
	},
		60*time.Second, 300*time.Millisecond, "the corrective action's task is overdue")
	answer := writeFile(t, dir, "answer.txt", "Đã giải quyết 10/10 đơn kiến nghị quá hạn. Tài liệu kiểm chứng: Báo cáo số 88/BC-UBND.")
	_, err = s.cliAs(officerB, "task", "submit", "--cycle", actCycle, "--unit", "B", "--kind", inspections.TaskResponse, "--file", answer)
	require.NoError(t, err)
	_, err = s.cli("inspections", "close", "--id", id)
	require.ErrorContains(t, err, "cannot be closed", "an answered but not accepted action keeps the inspection open")
	out, err = s.cliAs(inspectorToken, "inspections", "accept", "--id", id, "--unit", "B", "--action", "1")
	require.NoError(t, err)
	require.Contains(t, out, "accepted")
	s.mustCLI("inspections", "close", "--id", id)
	require.Contains(t, s.mustCLI("inspections", "list"), "closed")
	notice := filepath.Join(dir, "notice.docx")
	s.mustCLI("inspections", "notice", "--id", id, "--unit", "B", "-o", notice)
	checkDocx(t, notice)

	// A unit plans its own self-inspection, and nothing else.
	self := p
	self.Kind, self.Units, self.Number = inspections.KindSelfInspection, []inspections.Visit{{Unit: "C", Date: "2022-06-15"}}, "26/KH-UBND"
	selfJSON, _ := json.Marshal(self)
	_, err = s.cliAs(officerC, "inspections", "plan", "--file", writeFile(t, dir, "self-plan.json", string(selfJSON)))
	require.NoError(t, err)
	self.Units = []inspections.Visit{{Unit: "B", Date: "2022-06-15"}}
	selfJSON, _ = json.Marshal(self)
	_, err = s.cliAs(officerC, "inspections", "plan", "--file", writeFile(t, dir, "self-plan-b.json", string(selfJSON)))
	require.ErrorContains(t, err, "may not do this")
	listC, err = s.cliAs(officerC, "inspections", "list")
	require.NoError(t, err)
	require.Contains(t, listC, "self_inspection")
	var selfRec inspections.Record
	require.NoError(t, json.Unmarshal([]byte(mustRead(t, "../examples/inspection-record.json")), &selfRec))
	selfRec.Actions = nil
	selfRecJSON, _ := json.Marshal(selfRec)
	_, err = s.cliAs(officerC, "inspections", "record", "--id", fmt.Sprint(insID+1), "--unit", "C", "--file", writeFile(t, dir, "self-record.json", string(selfRecJSON)))
	require.NoError(t, err, "the unit records its own self-inspection")
	_, err = s.cliAs(officerB, "inspections", "record", "--id", fmt.Sprint(insID+1), "--unit", "C", "--file", writeFile(t, dir, "self-record.json", string(selfRecJSON)))
	require.Error(t, err, "another unit cannot")

	// Criteria, self-assessment and appraisal.
	require.Contains(t, s.mustCLI("criteria", "import", "../criteria/example-tay-ninh-2022.json"), "EXAMPLE")
	require.Contains(t, s.mustCLI("criteria", "list"), "tay-ninh-1563-2022-example")
	s.mustCLI("criteria", "use", "--cycle", cycle, "--set", "tay-ninh-1563-2022-example")
	for _, u := range []string{"A", "B", "C"} {
		s.mustCLI("scores", "self", "--cycle", cycle, "--unit", u, "--file", "../examples/self-assessment.json")
	}
	_, err = s.cliAs(officerC, "scores", "self", "--cycle", cycle, "--unit", "B", "--file", "../examples/self-assessment.json")
	require.Error(t, err, "a unit cannot assess another")
	noReason := writeFile(t, dir, "bad-appraisal.json", `{"entries": [{"criterion": "TC1.1", "points": 1}]}`)
	_, err = s.cli("scores", "appraise", "--cycle", cycle, "--unit", "A", "--file", noReason)
	require.ErrorContains(t, err, "entries[0].reason", "overriding an automatic proposal needs a reason")
	for _, u := range []string{"A", "B"} {
		s.mustCLI("scores", "appraise", "--cycle", cycle, "--unit", u, "--file", "../examples/appraisal.json")
	}

	var board summary.Board
	require.NoError(t, json.Unmarshal([]byte(s.mustCLI("scores", "show", "--cycle", cycle, "--json")), &board))
	res := map[string]int{}
	for i, r := range board.Results {
		res[r.Unit] = i
	}
	a, b, c := board.Results[res["A"]], board.Results[res["B"]], board.Results[res["C"]]
	autoOf := func(u, code string) float64 {
		for _, l := range board.Results[res[u]].Lines {
			if l.Criterion == code && l.Auto != nil {
				return l.Auto.Points
			}
		}
		return -1
	}
	for _, u := range []string{"A", "B", "C"} {
		require.Equal(t, 5.0, autoOf(u, "TC1.1"), "%s: plan accepted on time", u)
		require.Equal(t, 2.0, autoOf(u, "TC1.3"), "%s: reports accepted on time", u)
	}
	require.Equal(t, 0.0, autoOf("B", "TC6.3"), "B answered its corrective action late")
	require.Equal(t, 4.0, autoOf("A", "TC6.3"), "A had nothing to correct")
	require.Equal(t, 4.0, autoOf("A", "TC2.2"), "A settled 10/10 petitions")
	require.Equal(t, 0.0, autoOf("C", "TC6.1"), "C registered no model")
	// A: 99 points by total (the appraisal took one point of TC1.1 with a
	// reason) is excellent, but 20% of 3 units is 0: the cap moves A down.
	require.Equal(t, 99.0, a.AppraisedTotal)
	require.Equal(t, "hoan_thanh_xuat_sac", a.GradeByTotal)
	require.Equal(t, "hoan_thanh_tot", a.Grade)
	require.True(t, a.CappedDown)
	require.Contains(t, strings.Join(a.Reasons, " "), "hạ xuống Hoàn thành tốt")
	require.Contains(t, strings.Join(a.Reasons, " "), "TC1.1: điểm tự động 5 được thay bằng 4")
	require.False(t, c.Appraised)
	require.NotZero(t, b.SelfTotal)
	text := s.mustCLI("scores", "show", "--cycle", cycle)
	require.Contains(t, text, "Nghị định 335/2025")
	var evB struct{ Assigned, Late int }
	for _, e := range board.Timeliness {
		if e.Unit == "B" {
			evB.Assigned, evB.Late = e.Assigned, e.Late
		}
	}
	require.Equal(t, 5, evB.Assigned, "three cycle tasks, the self-inspection report and the corrective action")
	require.Equal(t, 1, evB.Late)

	// The overrides are in the audit log.
	db, err := store.Open(context.Background(), storetest.URL(), store.Options{Schema: schema})
	require.NoError(t, err)
	defer db.Close()
	var overrides int
	require.NoError(t, db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'score.override' AND detail->>'criterion' = 'TC1.1'`).Scan(&overrides))
	require.Equal(t, 2, overrides)

	// The web page shows the same.
	page := s.get("/chu-ky/" + cycle + "/danh-gia")
	for _, want := range []string{"hạ do giới hạn tỷ lệ", "BỘ VÍ DỤ", "thông báo kết luận", "đã hoàn thành", "summary?format=docx"} {
		require.Contains(t, page, want)
	}

	// The summary: totals are the sums of the accepted figures.
	jsonPath := filepath.Join(dir, "summary.json")
	s.mustCLI("summary", "--cycle", cycle, "--format", "json", "-o", jsonPath)
	var sm summary.Summary
	require.NoError(t, json.Unmarshal([]byte(mustRead(t, jsonPath)), &sm))
	for key := range agencyFigures["A"] {
		var sum float64
		for _, u := range []string{"A", "B", "C"} {
			if v, ok := agencyFigures[u][key]; ok {
				sum += v
			}
		}
		if key == "hai_long.ty_le" {
			continue // a part-less percentage: weighted, not summed
		}
		require.Equal(t, sum, sm.Totals[key], key)
	}
	require.Equal(t, round2(100*(990+450+270)/1800.0), sm.Totals["tthc.ty_le_dung_han"], "recomputed from summed parts")
	require.Equal(t, 3, sm.Reported)
	require.Empty(t, sm.NotReported)
	require.Equal(t, []string{"C"}, sm.WithoutModel)
	require.Len(t, sm.Inspections, 2)
	for _, in := range sm.Inspections {
		require.Empty(t, in.OpenActions)
	}
	require.Equal(t, 340.0, sm.ByTier[danvan.UnitDistrict]["tcd.luot"])
	_, err = s.cliAs(officerC, "summary", "--cycle", cycle, "--format", "json", "-o", filepath.Join(dir, "x.json"))
	require.Error(t, err, "a unit's officer does not get every unit's figures")

	docx := filepath.Join(dir, "summary.docx")
	s.mustCLI("summary", "--cycle", cycle, "--format", "docx", "-o", docx)
	body := checkDocx(t, docx)
	for _, want := range []string{"UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ", "Kính gửi: UBND tỉnh Quảng Ngãi.", "/BC-SNV", "Quảng Ngãi, ngày ", "515", "Phụ lục II"} {
		require.Contains(t, body, want)
	}
	xlsx := filepath.Join(dir, "summary.xlsx")
	s.mustCLI("summary", "--cycle", cycle, "--format", "xlsx", "-o", xlsx)
	f, err := excelize.OpenFile(xlsx)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows(summary.SheetFigures)
	require.NoError(t, err)
	last := rows[len(rows)-1]
	require.Equal(t, "TỔNG CỘNG", last[1])
	for i, h := range rows[0] {
		if strings.Contains(h, "[tcd.luot]") {
			require.Equal(t, "515", last[i])
		}
	}
	scores, err := f.GetRows(summary.SheetScores)
	require.NoError(t, err)
	require.Len(t, scores, 4)
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// checkDocx opens a .docx: every part is well-formed XML, and where
// soffice is installed it converts to PDF (kept in DANVAN_ARTIFACTS when
// set).
func checkDocx(t *testing.T, path string) (document string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		if f.Name == "word/document.xml" {
			document = string(data)
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else {
				require.NoError(t, err, f.Name)
			}
		}
		rc.Close()
	}
	for _, want := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"} {
		require.True(t, names[want], want)
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Log("soffice not installed: PDF conversion skipped")
		return document
	}
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	msg, err := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(out, "profile"), "--headless",
		"--convert-to", "pdf", "--outdir", out, path).CombinedOutput()
	require.NoError(t, err, string(msg))
	pdf := filepath.Join(out, strings.TrimSuffix(filepath.Base(path), ".docx")+".pdf")
	b, err := os.ReadFile(pdf)
	require.NoError(t, err, string(msg))
	require.True(t, bytes.HasPrefix(b, []byte("%PDF")))
	if keep := os.Getenv("DANVAN_ARTIFACTS"); keep != "" {
		_ = os.MkdirAll(keep, 0o755)
		_ = os.WriteFile(filepath.Join(keep, "scenario-"+filepath.Base(pdf)), b, 0o644)
	}
	return document
}

// userToken creates an account with login and the given flags (--name,
// --role, --unit) and returns a personal API token for it, as a person
// would with `danvan users add` and `danvan users token`.
func (s *stack) userToken(login string, flags ...string) string {
	s.t.Helper()
	s.mustCLI(append([]string{"users", "add", "--login", login}, flags...)...)
	out := strings.TrimSpace(s.mustCLI("users", "token", login))
	return out[strings.LastIndex(out, "\n")+1:]
}
