package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/summary"
)

var actionVI = map[string]string{inspections.ActionOpen: "chưa khắc phục", inspections.ActionAnswered: "đã báo cáo khắc phục",
	inspections.ActionReturned: "yêu cầu bổ sung", inspections.ActionAccepted: "đã hoàn thành"}

// agencyView is the web page of a cycle's inspections, scores and
// summary downloads.
type agencyView struct {
	CycleID     string
	Summary     bool
	Board       *summary.Board
	Inspections []inspections.Plan
	Actions     []inspections.Action
	Recorded    map[string]bool
}

func (s *Server) webAgencyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /chu-ky/{id}/danh-gia", s.webPage(s.webAgency))
}

// webAgency shows what the user may see: an officer its own unit's line,
// inspections and actions; others everything, with the summary links.
func (s *Server) webAgency(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	id := r.PathValue("id")
	v := &agencyView{CycleID: id, Board: &summary.Board{}, Recorded: map[string]bool{}}
	p := page{Title: "Kiểm tra, đánh giá, tổng hợp", Data: v}
	ag, err := s.agency()
	if err != nil {
		return "agency", p, err
	}
	src, err := s.summarySource()
	if err != nil {
		return "agency", p, err
	}
	if _, err := s.Cycles.FindCycle(ctx, id); err != nil {
		return "agency", p, err
	}
	board, err := summary.Evaluate(ctx, src, s.summaryCatalogue(), id, s.Now())
	if err != nil {
		return "agency", p, err
	}
	unit := ""
	if u.Role == danvan.RoleOfficer {
		unit = u.UnitCode
		mine := &summary.Board{CriteriaSet: board.CriteriaSet, Example: board.Example}
		for _, res := range board.Results {
			if res.Unit == unit {
				mine.Results = append(mine.Results, res)
			}
		}
		for _, t := range board.Timeliness {
			if t.Unit == unit {
				mine.Timeliness = append(mine.Timeliness, t)
			}
		}
		board = mine
	}
	v.Board, v.Summary = board, u.Role != danvan.RoleOfficer
	if v.Inspections, err = ag.ListInspections(ctx, id, unit); err != nil {
		return "agency", p, err
	}
	if v.Actions, err = ag.FindActions(ctx, id, 0, unit); err != nil {
		return "agency", p, err
	}
	for _, in := range v.Inspections {
		recs, err := ag.FindRecords(ctx, in.ID)
		if err != nil {
			return "agency", p, err
		}
		for code := range recs {
			if unit == "" || code == unit {
				v.Recorded[fmt.Sprintf("%d/%s", in.ID, code)] = true
			}
		}
	}
	if unit != "" {
		// An officer sees the plan but only its own visit.
		for i := range v.Inspections {
			if visit, ok := v.Inspections[i].Visit(unit); ok {
				v.Inspections[i].Units = []inspections.Visit{visit}
			}
		}
	}
	return "agency", p, nil
}
