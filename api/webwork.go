package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danvan/danvan"
)

// Read-only pages of the unit's work in the UI's style: the models list
// and a report with its figures, derived rates and last year's figures.
// Forms stay with the API and CLI for now.
func (s *Server) webWorkRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /mo-hinh", s.webPage(s.webModels))
	mux.HandleFunc("GET /bao-cao/{id}/{unit}/{kind}", s.webPage(s.webReport))
}

var modelStatusVI = map[string]string{
	danvan.ModelRegistered: "đã đăng ký", danvan.ModelImplementing: "đang thực hiện", danvan.ModelInterimReview: "đã sơ kết",
	danvan.ModelFinalReview: "đã tổng kết", danvan.ModelRecognised: "được công nhận", danvan.ModelTypical: "tiêu biểu",
	danvan.ModelReplicated: "nhân rộng", danvan.ModelCommended: "được khen thưởng", danvan.ModelNotRecognised: "không công nhận",
}

type modelsView struct {
	Models []modelRow
	Filter danvan.ModelFilter
}

type modelRow struct {
	danvan.Model
	StatusVI, FieldVI string
}

func (s *Server) webModels(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	p := page{Title: "Mô hình \"Dân vận khéo\"", Data: &modelsView{}}
	if s.Models == nil || s.Reports == nil {
		return "work_models", p, danvan.Errorf(danvan.EUnavailable, "models are not configured", "chưa cấu hình mô hình")
	}
	q := r.URL.Query()
	f := danvan.ModelFilter{CycleID: q.Get("cycle"), Field: q.Get("field"), Status: q.Get("status"), Tier: q.Get("tier"), UnitCode: q.Get("unit")}
	f.Year, _ = strconv.Atoi(q.Get("year"))
	if u.Role == danvan.RoleOfficer {
		f.UnitCode = u.UnitCode
	}
	cat, err := s.catalogue(ctx)
	if err != nil {
		return "work_models", p, err
	}
	list, err := s.Models.FindModels(ctx, f)
	if err != nil {
		return "work_models", p, err
	}
	v := &modelsView{Filter: f}
	for _, m := range list {
		row := modelRow{Model: m, StatusVI: modelStatusVI[m.Status], FieldVI: m.Field}
		if mf := cat.ModelField(m.Field); mf != nil {
			row.FieldVI = mf.Name
		}
		v.Models = append(v.Models, row)
	}
	p.Data = v
	return "work_models", p, nil
}

func (s *Server) webReport(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	p := page{Title: "Báo cáo", Data: &ReportView{Report: &danvan.Report{}}}
	if s.Models == nil || s.Reports == nil {
		return "work_report", p, danvan.Errorf(danvan.EUnavailable, "reports are not configured", "chưa cấu hình báo cáo")
	}
	unit, kind := r.PathValue("unit"), r.PathValue("kind")
	if err := canRead(u, unit); err != nil {
		return "work_report", p, err
	}
	if err := reportKind(kind); err != nil {
		return "work_report", p, err
	}
	v, err := s.reportView(ctx, r.PathValue("id"), unit, kind)
	if err != nil {
		return "work_report", p, err
	}
	p.Title, p.Data = v.Title, v
	return "work_report", p, nil
}
