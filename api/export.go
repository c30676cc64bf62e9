package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"time"

	"github.com/danvan/danvan"
)

// exportColumns is the header of a cycle's CSV export, in Vietnamese for the
// standing agency's spreadsheet, with the machine names in a second line.
var exportColumns = [][]string{
	{"Mã đơn vị", "Tên đơn vị", "Nhiệm vụ", "Tên nhiệm vụ", "Hạn (giờ Việt Nam)", "Trạng thái", "Ngày nộp", "Ngày xử lý",
		"Số lần nhắc", "Đã báo người đứng đầu", "Số lần gia hạn", "Đúng hạn"},
	{"unit", "unit_name", "kind", "title", "due", "status", "submitted_at", "decided_at",
		"reminders_sent", "escalated", "extensions", "on_time"},
}

// handleExport writes a cycle's tasks as CSV (UTF-8 with BOM so Excel reads
// the Vietnamese): the table the standing agency compiles its summary and
// the timeliness part of unit scoring from. Officers get their own rows.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	c, f, err := s.scopedCycle(r.Context(), userFrom(r.Context()), r.PathValue("id"), "")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	tasks, err := s.Tasks.FindTasks(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	names := map[string]string{}
	if units, err := s.Units.ListUnits(r.Context()); err == nil {
		for _, x := range units {
			names[x.Code] = x.Name
		}
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="danvan-%s.csv"`, c.ID))
	_, _ = w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	for _, h := range exportColumns {
		_ = cw.Write(h)
	}
	vn := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(vnZone).Format("2006-01-02 15:04")
	}
	for _, t := range tasks {
		onTime := ""
		switch t.Status {
		case danvan.StatusAccepted:
			onTime = "có"
		case danvan.StatusDoneLate, danvan.StatusOverdue:
			onTime = "không"
		}
		due := t.Due
		_ = cw.Write([]string{t.UnitCode, names[t.UnitCode], t.Kind, t.Title, vn(&due), statusVI(t.Status), vn(t.SubmittedAt),
			vn(t.DecidedAt), fmt.Sprint(t.RemindersSent), map[bool]string{true: "có", false: "không"}[t.Escalated],
			fmt.Sprint(t.Extensions), onTime})
	}
	cw.Flush()
}
