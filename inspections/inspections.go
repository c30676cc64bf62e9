// Package inspections holds the standing agency's inspections: the plan
// (or a unit's self-inspection plan), the record made at each inspected
// unit with its findings and corrective actions, and the conclusion notice.
// It does no I/O: storage and task assignment are interfaces.
package inspections

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/danvan/danvan"
)

// Plan kinds.
const (
	KindInspection     = "inspection"
	KindSelfInspection = "self_inspection"
)

// Team roles, as the research notes name them.
const (
	RoleHead      = "truong_doan"
	RoleDeputy    = "pho_truong_doan"
	RoleMember    = "thanh_vien"
	RoleSecretary = "thu_ky"
)

// Statuses of an inspection.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// Task kinds the inspection hands to units through ordinary cycles.
const (
	TaskSelfReport = "self_inspection_report"
	TaskResponse   = danvan.TaskInspectionResponse
)

// Member is one person of the inspection team. UserID links the member to
// a danvan user of role inspector, who may then record findings and decide
// on answers for this inspection.
type Member struct {
	Name     string `json:"name" validate:"required,max=200"`
	Position string `json:"position" validate:"required,max=300"`
	Agency   string `json:"agency" validate:"required,max=300"`
	Role     string `json:"role" validate:"required,oneof=truong_doan pho_truong_doan thanh_vien thu_ky"`
	UserID   int64  `json:"user_id,omitempty"`
}

// ContentItem is one thing the inspection looks at.
type ContentItem struct {
	Code  string `json:"code" validate:"required,max=20"`
	Title string `json:"title" validate:"required,max=1000"`
}

// Visit is one inspected unit and the date the team works there.
type Visit struct {
	Unit string `json:"unit" validate:"required,code"`
	Date string `json:"date" validate:"required,isodate"`
}

// Plan is a kế hoạch kiểm tra (or tự kiểm tra).
type Plan struct {
	ID      int64  `json:"id"`
	CycleID string `json:"cycle_id" validate:"required,max=100"`
	Kind    string `json:"kind" validate:"required,oneof=inspection self_inspection"`
	Number  string `json:"number,omitempty" validate:"max=100"`
	Date    string `json:"date,omitempty" validate:"omitempty,isodate"`
	Body    string `json:"body" validate:"required,max=300"`
	Title   string `json:"title" validate:"required,max=500"`
	Purpose string `json:"purpose" validate:"required,max=5000"`
	// Requirements is the "yêu cầu" of the plan.
	Requirements string        `json:"requirements,omitempty" validate:"max=5000"`
	Method       string        `json:"method,omitempty" validate:"max=2000"`
	Content      []ContentItem `json:"content" validate:"required,min=1,max=50,dive"`
	Units        []Visit       `json:"units" validate:"required,min=1,max=2000,dive"`
	PeriodFrom   string        `json:"period_from" validate:"required,isodate"`
	PeriodTo     string        `json:"period_to" validate:"required,isodate"`
	WindowFrom   string        `json:"window_from" validate:"required,isodate"`
	WindowTo     string        `json:"window_to" validate:"required,isodate"`
	Team         []Member      `json:"team" validate:"required,min=1,max=50,dive"`
	// ReportOutline is the đề cương báo cáo the unit prepares.
	ReportOutline []string `json:"report_outline" validate:"required,min=1,max=50,dive,max=1000"`
	// SelfReportDays is how many days before its visit a unit must send
	// its self-inspection report (default 7).
	SelfReportDays int        `json:"self_report_days,omitempty" validate:"min=0,max=60"`
	Status         string     `json:"status"`
	CreatedBy      string     `json:"created_by,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
}

// Check validates p: tags, then the order of dates, visits inside the
// window, unique units and content codes, and exactly one team head. It
// returns an EInvalid *danvan.Error naming the field.
func (p *Plan) Check() error {
	if err := danvan.Validate(p); err != nil {
		return err
	}
	if p.PeriodTo < p.PeriodFrom {
		return danvan.Invalid("period_to", "must not be before period_from", "không được trước period_from")
	}
	if p.WindowTo < p.WindowFrom {
		return danvan.Invalid("window_to", "must not be before window_from", "không được trước window_from")
	}
	seen := map[string]bool{}
	for i, v := range p.Units {
		f := fmt.Sprintf("units[%d]", i)
		if seen[v.Unit] {
			return danvan.Invalid(f+".unit", fmt.Sprintf("unit %s is listed twice", v.Unit), fmt.Sprintf("đơn vị %s bị lặp", v.Unit))
		}
		seen[v.Unit] = true
		if v.Date < p.WindowFrom || v.Date > p.WindowTo {
			return danvan.Invalid(f+".date", "must be inside the window", "phải nằm trong thời gian kiểm tra")
		}
	}
	codes := map[string]bool{}
	for i, c := range p.Content {
		if codes[c.Code] {
			return danvan.Invalid(fmt.Sprintf("content[%d].code", i), "content code repeated", "mã nội dung bị lặp")
		}
		codes[c.Code] = true
	}
	heads := 0
	for _, m := range p.Team {
		if m.Role == RoleHead {
			heads++
		}
	}
	if heads != 1 {
		return danvan.Invalid("team", "needs exactly one head (truong_doan)", "cần đúng một trưởng đoàn")
	}
	return nil
}

// HasMember reports whether user id is on the team.
func (p *Plan) HasMember(id int64) bool {
	for _, m := range p.Team {
		if m.UserID != 0 && m.UserID == id {
			return true
		}
	}
	return false
}

// Visit returns the visit of unit, or false.
func (p *Plan) Visit(unit string) (Visit, bool) {
	for _, v := range p.Units {
		if v.Unit == unit {
			return v, true
		}
	}
	return Visit{}, false
}

// Finding is what the team found on one content item.
type Finding struct {
	Content string `json:"content" validate:"required,max=20"`
	Text    string `json:"text" validate:"required,max=20000"`
}

// ActionInput is a corrective action (kiến nghị) as the record gives it.
type ActionInput struct {
	Text string `json:"text" validate:"required,max=5000"`
	Due  string `json:"due" validate:"required,isodate"`
}

// Record is the minutes of the team's work at one unit.
type Record struct {
	InspectionID int64         `json:"inspection_id"`
	Unit         string        `json:"unit"`
	Date         string        `json:"date" validate:"required,isodate"`
	Participants []string      `json:"participants" validate:"required,min=1,max=100,dive,max=300"`
	Findings     []Finding     `json:"findings" validate:"required,min=1,max=50,dive"`
	Strengths    string        `json:"strengths,omitempty" validate:"max=20000"`
	Limitations  string        `json:"limitations,omitempty" validate:"max=20000"`
	Conclusion   string        `json:"conclusion" validate:"required,max=20000"`
	Rating       string        `json:"rating" validate:"required,oneof=tot kha dat chua_dat"`
	Actions      []ActionInput `json:"actions" validate:"max=50,dive"`
	RecordedBy   string        `json:"recorded_by,omitempty"`
	RecordedAt   time.Time     `json:"recorded_at"`
}

// RatingLabel is the Vietnamese label of a record's rating.
var RatingLabel = map[string]string{"tot": "Tốt", "kha": "Khá", "dat": "Đạt", "chua_dat": "Chưa đạt"}

// Check validates r against its plan: the unit is inspected by it, every
// finding names one of its content items. It returns EInvalid naming the
// field.
func (r *Record) Check(p *Plan) error {
	if err := danvan.Validate(r); err != nil {
		return err
	}
	if _, ok := p.Visit(r.Unit); !ok {
		return danvan.Invalid("unit", fmt.Sprintf("unit %s is not inspected by this plan", r.Unit),
			fmt.Sprintf("đơn vị %s không thuộc kế hoạch kiểm tra này", r.Unit))
	}
	codes := map[string]bool{}
	for _, c := range p.Content {
		codes[c.Code] = true
	}
	for i, f := range r.Findings {
		if !codes[f.Content] {
			return danvan.Invalid(fmt.Sprintf("findings[%d].content", i), fmt.Sprintf("no content item %q in the plan", f.Content),
				fmt.Sprintf("kế hoạch không có nội dung %q", f.Content))
		}
	}
	for i, a := range r.Actions {
		if a.Due < r.Date {
			return danvan.Invalid(fmt.Sprintf("actions[%d].due", i), "must not be before the record's date", "không được trước ngày lập biên bản")
		}
	}
	return nil
}

// Action states, read from the action's inspection_response task.
const (
	ActionOpen     = "open"
	ActionAnswered = "answered"
	ActionReturned = "returned"
	ActionAccepted = "accepted"
)

// Action is a stored corrective action and its task.
type Action struct {
	InspectionID int64  `json:"inspection_id"`
	Unit         string `json:"unit"`
	Seq          int    `json:"seq"`
	Text         string `json:"text"`
	Due          string `json:"due"`
	// TaskCycle is the cycle of one task through which the unit answers.
	TaskCycle string       `json:"task_cycle"`
	Task      *danvan.Task `json:"task,omitempty"`
	State     string       `json:"state"`
}

// StateOf maps an inspection_response task to an action state.
func StateOf(t *danvan.Task) string {
	if t == nil {
		return ActionOpen
	}
	switch t.Status {
	case danvan.StatusAccepted, danvan.StatusDoneLate:
		return ActionAccepted
	case danvan.StatusSubmitted:
		return ActionAnswered
	case danvan.StatusReturned:
		return ActionReturned
	}
	return ActionOpen
}

// ActionCycleID is the business key of the cycle that carries one
// corrective action's task.
func ActionCycleID(parent string, inspection int64, unit string, seq int) string {
	return fmt.Sprintf("%s-KT%d-%s-KN%d", parent, inspection, unit, seq)
}

// SelfReportCycleID is the business key of the cycle that carries a
// unit's self-inspection report task.
func SelfReportCycleID(parent string, inspection int64, unit string) string {
	return fmt.Sprintf("%s-KT%d-%s-TKT", parent, inspection, unit)
}

// TaskAssigner gives a unit one task with its deadline, with reminders,
// overdue notices and escalation like every other task. due is in the
// form of danvan.TaskDef.Due (a date, moved to the next working day, or an
// RFC 3339 instant). Assigning the same cycle id twice changes nothing.
type TaskAssigner interface {
	// AssignTask returns EInvalid for a bad deadline or unit and
	// EUnavailable when the engine cannot be reached.
	AssignTask(ctx context.Context, parentCycle, cycleID, unit, kind, title, due string) error
}

// SelfReportDue is the date (YYYY-MM-DD) unit's self-inspection report is
// due: SelfReportDays (default 7) before its visit, at the earliest the day
// after planning, so a unit always gets a day. It returns an error for a
// malformed visit date.
func (p *Plan) SelfReportDue(v Visit, now time.Time) (string, error) {
	day, err := time.ParseInLocation("2006-01-02", v.Date, vn)
	if err != nil {
		return "", err
	}
	days := p.SelfReportDays
	if days == 0 {
		days = 7
	}
	due := endOfDay(day.AddDate(0, 0, -days))
	if min := endOfDay(now.In(vn).AddDate(0, 0, 1)); due.Before(min) {
		due = min
	}
	return due.Format("2006-01-02"), nil
}

// ActionDue is the end of the action's due date in Vietnam.
func ActionDue(date string) (time.Time, error) {
	day, err := time.ParseInLocation("2006-01-02", date, vn)
	if err != nil {
		return time.Time{}, err
	}
	return endOfDay(day), nil
}

// vn is Vietnam time; fixed at +7 (no daylight saving) so no tz database is
// needed.
var vn = time.FixedZone("ICT", 7*3600)

func endOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 23, 59, 59, 0, vn)
}

// Summary is an inspection as the province's summary lists it.
type Summary struct {
	ID          int64    `json:"id"`
	Kind        string   `json:"kind"`
	Title       string   `json:"title"`
	Number      string   `json:"number,omitempty"`
	Status      string   `json:"status"`
	Units       []string `json:"units"`
	Recorded    []string `json:"recorded"`
	Actions     int      `json:"actions"`
	OpenActions []Action `json:"open_actions"`
}

// Trim returns s without surrounding space, for stored text.
func Trim(s string) string { return strings.TrimSpace(s) }
