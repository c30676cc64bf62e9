package api

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/calendar"
	"github.com/danvan/danvan/workflows"
)

// standardKinds are the task kinds the start form offers, in the order of
// a year's work.
var standardKinds = []string{danvan.TaskUnitPlan, danvan.TaskModelRegistration, danvan.TaskMidyearReport,
	danvan.TaskModelReport, danvan.TaskAnnualReport, danvan.TaskSelfAssessment, danvan.TaskInspectionResponse}

// Reminder presets: 7, 3 and 1 days before the deadline, again every 3
// days once overdue, and the head of the unit told after 5.
const (
	presetBefore   = "7d, 3d, 1d"
	presetOverdue  = "3d"
	presetEscalate = "5d"
)

type startKind struct {
	Kind, Title, Due string
	On               bool
}

// startForm is the start-a-cycle form as the person filled it; it is shown
// again with every value on a preview or an error, so nothing is lost.
type startForm struct {
	Year, Title, PlanNumber, PlanDate, PlanIssuer, Owner string
	Scope, Subtree, Tier                                 string
	Picked                                               map[string]bool
	Kinds                                                []startKind
	Before, OverdueEvery, EscalateAfter                  string
	Units                                                []danvan.Unit
	Tiers                                                []string
	Preview                                              *startPreview
}

type previewTask struct {
	Kind, Title, Asked string
	Due                time.Time
	Moved              bool
	Reminders          []time.Time
}

type startPreview struct {
	Units []danvan.Unit
	Tasks []previewTask
}

func (s *Server) webStartRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /chu-ky/moi", s.webPage(s.webStartForm))
	mux.HandleFunc("POST /chu-ky/moi", s.webPage(s.webStartForm))
}

// webStartForm shows the start-a-cycle form; POST with action=preview shows
// the units and the deadlines as the workflows will use them, action=start
// starts the cycle.
func (s *Server) webStartForm(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	lang := pageLang(r)
	p := page{Title: msg(lang, "nav.start")}
	if err := Allow(u, ActionStartCycle, ""); err != nil {
		return "start", p, err
	}
	units, err := s.Units.ListUnits(ctx)
	if err != nil {
		return "start", p, err
	}
	f := &startForm{Units: units, Picked: map[string]bool{}}
	tiers := map[string]bool{}
	for _, un := range units {
		tiers[un.Kind] = true
	}
	for t := range tiers {
		f.Tiers = append(f.Tiers, t)
	}
	sort.Strings(f.Tiers)
	p.Data = f
	if r.Method == http.MethodGet {
		f.Year = strconv.Itoa(s.Now().In(vnZone).Year())
		f.Scope, f.Before, f.OverdueEvery, f.EscalateAfter = "all", presetBefore, presetOverdue, presetEscalate
		for _, k := range standardKinds {
			f.Kinds = append(f.Kinds, startKind{Kind: k, Title: kindLabel(lang, k), On: k == danvan.TaskUnitPlan})
		}
		// The owner is usually the root of the tree (the province's
		// department of home affairs).
		for _, un := range units {
			if un.ParentCode == "" {
				f.Owner = un.Code
				break
			}
		}
		return "start", p, nil
	}
	if err := r.ParseForm(); err != nil {
		return "start", p, danvan.Errorf(danvan.EInvalid, "the form could not be read", "không đọc được biểu mẫu")
	}
	fv := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	f.Year, f.Title, f.PlanNumber, f.PlanDate, f.PlanIssuer, f.Owner = fv("year"), fv("title"), fv("plan_number"), fv("plan_date"), fv("plan_issuer"), fv("owner")
	f.Scope, f.Subtree, f.Tier = fv("scope"), fv("subtree"), fv("tier")
	f.Before, f.OverdueEvery, f.EscalateAfter = fv("rem_before"), fv("rem_overdue"), fv("rem_escalate")
	for _, c := range r.PostForm["units"] {
		f.Picked[c] = true
	}
	for _, k := range standardKinds {
		f.Kinds = append(f.Kinds, startKind{Kind: k, Title: fv("title_" + k), Due: fv("due_" + k), On: fv("task_"+k) != ""})
	}
	def, err := f.definition(units)
	if err != nil {
		return "start", p, err
	}
	if err := def.Check(); err != nil {
		return "start", p, err
	}
	if r.PostForm.Get("action") != "start" {
		f.Preview, err = s.preview(ctx, def, units)
		return "start", p, err
	}
	c, err := s.StartCycle(ctx, def, u.Name)
	if err != nil {
		return "start", p, err
	}
	s.auditAs(ctx, u, "cycle.start", c.ID, "", map[string]any{"units": len(c.Units), "via": "web-form"})
	name, cp, err := s.webCycles(ctx, u, r)
	cp.Flash = fmt.Sprintf(msg(lang, "start.started"), c.ID, viNum(len(c.Units)))
	return name, cp, err
}

// definition turns the form into a cycle definition; dates typed as
// dd/mm/yyyy become ISO. It returns EInvalid naming the first bad field.
func (f *startForm) definition(units []danvan.Unit) (*danvan.CycleDefinition, error) {
	year, err := strconv.Atoi(f.Year)
	if err != nil {
		return nil, danvan.Invalid("year", "write the year, e.g. 2027", "hãy ghi năm, ví dụ 2027")
	}
	planDate, err := parseViDate("plan_date", f.PlanDate)
	if err != nil {
		return nil, err
	}
	def := &danvan.CycleDefinition{Year: year, Title: f.Title, Owner: f.Owner,
		ParentPlan: danvan.PlanRef{Number: f.PlanNumber, Date: planDate, Issuer: f.PlanIssuer}}
	switch f.Scope {
	case "all":
		def.Scope.All = true
	case "subtree":
		def.Scope.Subtree = f.Subtree
	case "tier":
		for _, u := range units {
			if u.Kind == f.Tier {
				def.Scope.Units = append(def.Scope.Units, u.Code)
			}
		}
	case "units":
		for _, u := range units {
			if f.Picked[u.Code] {
				def.Scope.Units = append(def.Scope.Units, u.Code)
			}
		}
	default:
		return nil, danvan.Invalid("scope", "choose the units", "hãy chọn phạm vi đơn vị")
	}
	for _, k := range f.Kinds {
		if !k.On {
			continue
		}
		due, err := parseViDate("due_"+k.Kind, k.Due)
		if err != nil {
			return nil, err
		}
		if due == "" {
			return nil, danvan.Invalid("due_"+k.Kind, "give the deadline", "hãy ghi hạn nộp (dd/mm/yyyy)")
		}
		def.Tasks = append(def.Tasks, danvan.TaskDef{Kind: k.Kind, Title: k.Title, Due: due})
	}
	if len(def.Tasks) == 0 {
		return nil, danvan.Invalid("tasks", "choose at least one task", "hãy chọn ít nhất một nhiệm vụ")
	}
	for _, b := range strings.Split(f.Before, ",") {
		if b = strings.TrimSpace(b); b != "" {
			def.Reminders.Before = append(def.Reminders.Before, b)
		}
	}
	def.Reminders.OverdueEvery, def.Reminders.EscalateAfter = f.OverdueEvery, f.EscalateAfter
	return def, nil
}

// preview resolves def as the workflows will: the units in scope and each
// deadline moved off weekends and holidays, with its reminder times.
func (s *Server) preview(ctx context.Context, def *danvan.CycleDefinition, units []danvan.Unit) (*startPreview, error) {
	codes, err := s.resolveScope(ctx, def)
	if err != nil {
		return nil, err
	}
	cal := s.Calendar
	if cal == nil {
		cal = calendar.Default()
	}
	plan, err := workflows.PlanUnits(*def, cal)
	if err != nil {
		return nil, err
	}
	byCode := map[string]danvan.Unit{}
	for _, u := range units {
		byCode[u.Code] = u
	}
	pv := &startPreview{}
	for _, c := range codes {
		pv.Units = append(pv.Units, byCode[c])
	}
	for i, t := range plan.Tasks {
		pt := previewTask{Kind: t.Kind, Title: t.Title, Asked: def.Tasks[i].Due, Due: t.Due}
		if d, err := calendar.ParseDate(def.Tasks[i].Due); err == nil {
			pt.Moved = calendar.DateOf(t.Due.In(vnZone)) != d
		}
		for _, a := range workflows.Schedule(t.Due, plan.Reminders, 0, s.Now(), cal) {
			if a.Kind == workflows.AlarmReminder {
				pt.Reminders = append(pt.Reminders, a.At)
			}
		}
		pv.Tasks = append(pv.Tasks, pt)
	}
	return pv, nil
}
