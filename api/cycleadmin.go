package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
)

// Administrative commands on running cycles: importing official days off
// and closing a cycle. Both reach the unit workflows through the engine.

// CalendarStore keeps the official days off; store.CycleService implements
// it.
type CalendarStore interface {
	// SaveCalendar stores cfg's years and returns the whole stored
	// calendar; EInvalid for a calendar that does not validate.
	SaveCalendar(ctx context.Context, cfg calendar.Config) (calendar.Config, error)
}

// CalendarEngine tells running cycles about a new calendar; engine.Engine
// implements it.
type CalendarEngine interface {
	// SignalCalendar sends cfg to every running unit workflow and returns
	// how many it told.
	SignalCalendar(ctx context.Context, cfg calendar.Config) (int, error)
}

// handleCalendar stores official days off (POST /api/calendar, a
// calendar.Config in JSON, administrators only) and tells the running unit
// workflows, which recompute their future alarms.
func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) {
	if err := Allow(userFrom(r.Context()), ActionAdminister, ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	cs, ok := s.Cycles.(CalendarStore)
	ce, ok2 := s.Engine.(CalendarEngine)
	if !ok || !ok2 {
		s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "calendar import is not available here", "chưa hỗ trợ nhập lịch nghỉ"))
		return
	}
	var cfg calendar.Config
	if err := readJSON(r, &cfg); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(cfg.Years) == 0 {
		s.writeError(w, r, danvan.Invalid("years", "list at least one year", "cần ít nhất một năm"))
		return
	}
	all, err := cs.SaveCalendar(r.Context(), cfg)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := ce.SignalCalendar(r.Context(), all)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	years := make([]int, 0, len(cfg.Years))
	for y := range cfg.Years {
		years = append(years, y)
	}
	slices.Sort(years)
	s.audit(r, "calendar.import", "", "", map[string]any{"years": years, "workflows": n})
	writeJSON(w, http.StatusOK, map[string]any{"years": years, "workflows_told": n})
}

// CycleCloser ends a cycle's unit workflows; engine.Engine implements it.
type CycleCloser interface {
	// CloseCycle tells every running unit workflow of cycleID to end and
	// returns how many it told.
	CloseCycle(ctx context.Context, cycleID, by, reason string) (int, error)
}

// handleCloseCycle ends a cycle (POST /api/cycles/{id}/close, optional JSON
// {"reason"}, administrators only): every unit workflow records what was
// left undone and completes; the cycle is marked finished.
func (s *Server) handleCloseCycle(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if err := Allow(u, ActionAdminister, ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	cc, ok := s.Engine.(CycleCloser)
	if !ok {
		s.writeError(w, r, danvan.Errorf(danvan.EUnavailable, "closing cycles is not available here", "chưa hỗ trợ kết thúc chu kỳ"))
		return
	}
	id := r.PathValue("id")
	var req struct {
		Reason string `json:"reason"`
	}
	if r.ContentLength != 0 {
		if err := readJSON(r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if _, err := s.Cycles.FindCycle(r.Context(), id); err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := cc.CloseCycle(r.Context(), id, u.Name, req.Reason)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// store.CycleService can mark the cycle finished; other stores keep
	// the status as it is.
	if st, ok := s.Cycles.(interface {
		SetCycleStatus(ctx context.Context, id, status string) error
	}); ok {
		if err := st.SetCycleStatus(r.Context(), id, danvan.CycleFinished); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	s.audit(r, "cycle.close", id, "", map[string]any{"reason": req.Reason, "units": n})
	writeJSON(w, http.StatusOK, map[string]any{"cycle": id, "units_closed": n})
}
