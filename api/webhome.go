package api

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/danvan/danvan"
)

// errorText is the message of e in lang, with the fields a person can act
// on.
func errorText(lang string, e *danvan.Error) string {
	text := e.MessageVI
	if lang == langEN || text == "" {
		text = e.Message
	}
	for i, f := range e.Fields {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		if lang == langEN || f.MessageVI == "" {
			text += sep + f.Field + " " + f.Message
		} else {
			text += sep + f.MessageVI
		}
	}
	return text
}

// soonDays is how close a deadline must be for "sắp hết hạn".
const soonDays = 3

// badge is what an officer needs to know about a task at a glance: one of
// ontime, soon, overdue, submitted, accepted, returned, done_late.
func badge(t danvan.Task, now time.Time) string {
	switch t.Status {
	case danvan.StatusSubmitted, danvan.StatusAccepted, danvan.StatusReturned, danvan.StatusDoneLate, danvan.StatusOverdue:
		return t.Status
	}
	switch d := daysLeft(t.Due, now); {
	case d < 0:
		return danvan.StatusOverdue
	case d <= soonDays:
		return "soon"
	}
	return "ontime"
}

// daysLeft counts calendar days in Vietnam from now to due (0 = due today,
// negative = late).
func daysLeft(due, now time.Time) int {
	y1, m1, d1 := now.In(vnZone).Date()
	y2, m2, d2 := due.In(vnZone).Date()
	a := time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)
	b := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)
	if due.Before(now) && b.Equal(a) {
		return -1
	}
	return int(b.Sub(a).Hours() / 24)
}

type myTask struct {
	danvan.Task
	CycleTitle string
	Badge      string
	DaysLeft   int
}

func (s *Server) webHomeRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /viec-cua-toi", s.webPage(s.webMyTasks))
}

// webMyTasks is the unit officer's home: the unit's tasks across cycles,
// returned ones first (with the reason), then by deadline. Administrators
// may look at a unit with ?unit=.
func (s *Server) webMyTasks(ctx context.Context, u *danvan.User, r *http.Request) (string, page, error) {
	lang := pageLang(r)
	p := page{Title: msg(lang, "my.title")}
	unit := u.UnitCode
	if u.Role != danvan.RoleOfficer {
		unit = r.URL.Query().Get("unit")
	}
	data := map[string]any{"Unit": unit}
	p.Data = data
	if unit == "" {
		return "mytasks", p, nil
	}
	if err := canRead(u, unit); err != nil {
		return "mytasks", p, err
	}
	tasks, err := s.Tasks.FindTasks(ctx, danvan.TaskFilter{UnitCode: unit})
	if err != nil {
		return "mytasks", p, err
	}
	cycles, err := s.Cycles.ListCycles(ctx)
	if err != nil {
		return "mytasks", p, err
	}
	titles := map[string]string{}
	for _, c := range cycles {
		titles[c.ID] = c.Definition.Title
	}
	now := s.Now()
	out := make([]myTask, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, myTask{Task: t, CycleTitle: titles[t.CycleID], Badge: badge(t, now), DaysLeft: daysLeft(t.Due, now)})
	}
	rank := func(b string) int {
		switch b {
		case danvan.StatusReturned:
			return 0
		case danvan.StatusOverdue, "soon", "ontime":
			return 1
		case danvan.StatusSubmitted:
			return 2
		}
		return 3
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := rank(out[i].Badge), rank(out[j].Badge); ri != rj {
			return ri < rj
		}
		return out[i].Due.Before(out[j].Due)
	})
	data["Tasks"] = out
	return "mytasks", p, nil
}

// kindProgress is one task kind of a running cycle.
type kindProgress struct {
	Kind                      string
	Total, Done, Submitted    int
	Overdue, Returned, Undone int
}

type cycleProgress struct {
	Cycle danvan.Cycle
	Kinds []kindProgress
}

type unitCount struct {
	Unit  string
	Count int
}

// adminBoard is the administrator's home.
type adminBoard struct {
	Cycles         []cycleProgress
	OverdueByUnit  []unitCount
	SubmittedToday []danvan.Task
	Awaiting       []danvan.Task
	// Failed are notifications with a recipient that were not e-mailed
	// after failedAfter: the mailer gave up or is down.
	Failed []danvan.Notification
}

// failedAfter is how long a notification may wait for its e-mail before
// the home page lists it as failed.
const failedAfter = time.Hour

// homeListMax bounds each list on the home page; each links to the full view.
const homeListMax = 20

// adminHome gathers the administrator's home page from the running cycles.
// It returns the first store error.
func (s *Server) adminHome(ctx context.Context) (*adminBoard, error) {
	cycles, err := s.Cycles.ListCycles(ctx)
	if err != nil {
		return nil, err
	}
	b := &adminBoard{}
	now := s.Now()
	ty, tm, td := now.In(vnZone).Date()
	overdue := map[string]int{}
	for _, c := range cycles {
		if c.Status != danvan.CycleRunning {
			continue
		}
		tasks, err := s.Tasks.FindTasks(ctx, danvan.TaskFilter{CycleID: c.ID})
		if err != nil {
			return nil, err
		}
		cp := cycleProgress{Cycle: c}
		idx := map[string]int{}
		for _, def := range c.Definition.Tasks {
			idx[def.Kind] = len(cp.Kinds)
			cp.Kinds = append(cp.Kinds, kindProgress{Kind: def.Kind})
		}
		for _, t := range tasks {
			i, ok := idx[t.Kind]
			if !ok {
				idx[t.Kind] = len(cp.Kinds)
				i = len(cp.Kinds)
				cp.Kinds = append(cp.Kinds, kindProgress{Kind: t.Kind})
			}
			k := &cp.Kinds[i]
			k.Total++
			switch t.Status {
			case danvan.StatusAccepted, danvan.StatusDoneLate:
				k.Done++
			case danvan.StatusSubmitted:
				k.Submitted++
				if len(b.Awaiting) < homeListMax {
					b.Awaiting = append(b.Awaiting, t)
				}
			case danvan.StatusOverdue:
				k.Overdue++
				overdue[t.UnitCode]++
			case danvan.StatusReturned:
				k.Returned++
			default:
				k.Undone++
			}
			if t.SubmittedAt != nil && len(b.SubmittedToday) < homeListMax {
				if y, m, d := t.SubmittedAt.In(vnZone).Date(); y == ty && m == tm && d == td {
					b.SubmittedToday = append(b.SubmittedToday, t)
				}
			}
		}
		b.Cycles = append(b.Cycles, cp)
	}
	for unit, n := range overdue {
		b.OverdueByUnit = append(b.OverdueByUnit, unitCount{unit, n})
	}
	sort.Slice(b.OverdueByUnit, func(i, j int) bool {
		if b.OverdueByUnit[i].Count != b.OverdueByUnit[j].Count {
			return b.OverdueByUnit[i].Count > b.OverdueByUnit[j].Count
		}
		return b.OverdueByUnit[i].Unit < b.OverdueByUnit[j].Unit
	})
	b.OverdueByUnit = b.OverdueByUnit[:min(len(b.OverdueByUnit), homeListMax)]
	if s.Notifications != nil {
		ns, err := s.Notifications.FindNotifications(ctx, danvan.NotificationFilter{Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if n.Recipient != "" && n.EmailedAt == nil && now.Sub(n.CreatedAt) > failedAfter && len(b.Failed) < homeListMax {
				b.Failed = append(b.Failed, n)
			}
		}
	}
	return b, nil
}
