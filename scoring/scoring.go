// Package scoring evaluates units against a criteria set: the unit's
// self-assessment, the standing agency's appraisal, the points the system
// proposes from its own records (automatic rules), and the classification by
// thresholds and cap with the reasons shown. It does no I/O.
package scoring

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
)

// Entry is one criterion's points in a self-assessment or an appraisal.
// Evidence (self) is text or links to submissions; Comment is the
// appraiser's; Reason is required when an appraisal overrides an automatic
// proposal.
type Entry struct {
	Criterion string  `json:"criterion"`
	Points    float64 `json:"points"`
	Evidence  string  `json:"evidence,omitempty"`
	Comment   string  `json:"comment,omitempty"`
	Reason    string  `json:"reason,omitempty"`
}

// Sheet is a self-assessment or an appraisal of one unit in one cycle.
type Sheet struct {
	Entries []Entry `json:"entries"`
	Comment string  `json:"comment,omitempty"`
	By      string  `json:"by,omitempty"`
}

// Check returns an EInvalid error naming every entry that names no
// criterion of set, repeats one, or has points outside 0..max; when
// appraisal is true, an entry for an automatic criterion that differs from
// the proposal in auto must carry a reason.
func (sh *Sheet) Check(set *criteria.Set, auto map[string]Proposal, appraisal bool) error {
	var fe []danvan.FieldError
	seen := map[string]bool{}
	for i, e := range sh.Entries {
		p := fmt.Sprintf("entries[%d]", i)
		c := set.Find(e.Criterion)
		switch {
		case c == nil:
			fe = append(fe, fieldErr(p+".criterion", fmt.Sprintf("no criterion %q in set %s", e.Criterion, set.ID),
				fmt.Sprintf("không có tiêu chí %q trong bộ %s", e.Criterion, set.ID)))
			continue
		case seen[e.Criterion]:
			fe = append(fe, fieldErr(p+".criterion", "criterion given twice", "tiêu chí bị lặp"))
		}
		seen[e.Criterion] = true
		if e.Points < 0 || e.Points > c.Max+1e-9 || math.IsNaN(e.Points) {
			fe = append(fe, fieldErr(p+".points", fmt.Sprintf("must be between 0 and %g", c.Max), fmt.Sprintf("phải từ 0 đến %g", c.Max)))
		}
		if appraisal && c.Auto != nil {
			if pr, ok := auto[c.Code]; ok && math.Abs(pr.Points-e.Points) > 1e-9 && strings.TrimSpace(e.Reason) == "" {
				fe = append(fe, fieldErr(p+".reason", fmt.Sprintf("overriding the automatic %g points needs a reason", pr.Points),
					fmt.Sprintf("thay điểm tự động %g cần ghi lý do", pr.Points)))
			}
		}
	}
	if len(fe) > 0 {
		return &danvan.Error{Code: danvan.EInvalid, Message: "the score sheet is invalid", MessageVI: "phiếu chấm điểm không hợp lệ", Fields: fe}
	}
	return nil
}

func fieldErr(field, en, vi string) danvan.FieldError {
	return danvan.FieldError{Field: field, Rule: "score", Message: field + ": " + en, MessageVI: field + ": " + vi}
}

// Timeliness of one task.
const (
	OnTime  = "on_time"
	Late    = "late"
	Missing = "not_done"
	Open    = "open" // not done and not yet due
)

// TaskTimeliness classifies t at now: on time when accepted (or submitted
// and awaiting a decision) no later than its due time, late when done after
// it, not done when past due with nothing accepted, open before the due
// time.
func TaskTimeliness(t danvan.Task, now time.Time) string {
	done := t.Status == danvan.StatusAccepted || t.Status == danvan.StatusDoneLate || t.Status == danvan.StatusSubmitted
	if done && t.SubmittedAt != nil {
		if t.Status == danvan.StatusDoneLate || t.SubmittedAt.After(t.Due) {
			return Late
		}
		return OnTime
	}
	if now.After(t.Due) {
		return Missing
	}
	return Open
}

// Evidence is what the system knows of one unit in a cycle, the input of
// the automatic rules.
type Evidence struct {
	Unit  string        `json:"unit"`
	Tasks []danvan.Task `json:"-"`
	// Figures are the accepted annual report's figures and derived rates
	// by catalogue key; a missing key was not reported.
	Figures          map[string]float64 `json:"figures,omitempty"`
	ModelsRegistered int                `json:"models_registered"`
	ModelsRecognised int                `json:"models_recognised"`
	// Actions are the unit's corrective actions from inspections.
	Actions []ActionTimeliness `json:"actions,omitempty"`
	Now     time.Time          `json:"-"`
}

// ActionTimeliness is one corrective action's deadline and answer.
type ActionTimeliness struct {
	Due        time.Time  `json:"due"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// Proposal is an automatic rule's points for one criterion and why.
type Proposal struct {
	Points float64 `json:"points"`
	Reason string  `json:"reason"`
}

// Propose applies every automatic rule of set to ev. Criteria without a
// rule are absent from the result.
func Propose(set *criteria.Set, ev Evidence) map[string]Proposal {
	out := map[string]Proposal{}
	for _, c := range set.Criteria() {
		if c.Auto != nil {
			out[c.Code] = propose(c, ev)
		}
	}
	return out
}

func propose(c criteria.Criterion, ev Evidence) Proposal {
	a := c.Auto
	switch a.Kind {
	case criteria.AutoTaskOnTime:
		return taskPoints(c.Max, []string{a.Task}, ev)
	case criteria.AutoTasksOnTime:
		return taskPoints(c.Max, a.Tasks, ev)
	case criteria.AutoFigureRatio:
		v, ok := ev.Figures[a.Figure]
		if !ok {
			return Proposal{0, fmt.Sprintf("%s không có số liệu (not reported)", a.Figure)}
		}
		full, zero := *a.FullAt, *a.ZeroAt
		var p float64
		switch {
		case v >= full:
			p = c.Max
		case v <= zero:
			p = 0
		default:
			p = c.Max * (v - zero) / (full - zero)
		}
		return Proposal{round2(p), fmt.Sprintf("%s = %s (đủ điểm từ %g, 0 điểm từ %g trở xuống)", a.Figure, fmtNum(v), full, zero)}
	case criteria.AutoFigureAtLeast:
		v, ok := ev.Figures[a.Figure]
		if !ok {
			return Proposal{0, fmt.Sprintf("%s không có số liệu (not reported)", a.Figure)}
		}
		p := c.Max
		if v < *a.FullAt {
			p = c.Max * math.Max(v, 0) / *a.FullAt
		}
		return Proposal{round2(p), fmt.Sprintf("%s = %s (đủ điểm từ %g)", a.Figure, fmtNum(v), *a.FullAt)}
	case criteria.AutoHasModel:
		if ev.ModelsRegistered > 0 {
			return Proposal{c.Max, fmt.Sprintf("đã đăng ký %d mô hình", ev.ModelsRegistered)}
		}
		return Proposal{0, "chưa đăng ký mô hình"}
	case criteria.AutoModelRecognised:
		if ev.ModelsRecognised > 0 {
			return Proposal{c.Max, fmt.Sprintf("%d mô hình được công nhận", ev.ModelsRecognised)}
		}
		return Proposal{0, "chưa có mô hình được công nhận"}
	case criteria.AutoInspectionsOnTime:
		if len(ev.Actions) == 0 {
			return Proposal{c.Max, "không có kiến nghị phải khắc phục"}
		}
		late := 0
		for _, act := range ev.Actions {
			if act.AnsweredAt == nil || act.AnsweredAt.After(act.Due) {
				late++
			}
		}
		if late == 0 {
			return Proposal{c.Max, fmt.Sprintf("%d/%d kiến nghị khắc phục đúng hạn", len(ev.Actions), len(ev.Actions))}
		}
		return Proposal{0, fmt.Sprintf("%d/%d kiến nghị khắc phục trễ hạn hoặc chưa khắc phục", late, len(ev.Actions))}
	}
	return Proposal{0, "unknown rule " + a.Kind}
}

// taskPoints gives full points when every named task is on time, half when
// any is late (none missing), none when any is missing.
func taskPoints(max float64, kinds []string, ev Evidence) Proposal {
	var parts []string
	worst := OnTime
	for _, k := range kinds {
		state := Missing
		for _, t := range ev.Tasks {
			if t.Kind == k {
				state = TaskTimeliness(t, ev.Now)
				if state == Open {
					state = Missing
				}
			}
		}
		parts = append(parts, k+": "+state)
		if state == Missing {
			worst = Missing
		} else if state == Late && worst == OnTime {
			worst = Late
		}
	}
	p := map[string]float64{OnTime: max, Late: max / 2, Missing: 0}[worst]
	return Proposal{round2(p), strings.Join(parts, ", ")}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func fmtNum(v float64) string { return fmt.Sprintf("%.4g", v) }

// Line is one criterion of a unit's result.
type Line struct {
	Criterion string    `json:"criterion"`
	Max       float64   `json:"max"`
	Self      *float64  `json:"self,omitempty"`
	Auto      *Proposal `json:"auto,omitempty"`
	Appraised float64   `json:"appraised"`
	// Source says where the appraised points came from: appraisal,
	// override (an appraisal replacing an automatic proposal), auto, or
	// self (no appraisal entry; the self-assessment stands).
	Source   string `json:"source"`
	Comment  string `json:"comment,omitempty"`
	Evidence string `json:"evidence,omitempty"`
}

// Result is one unit's evaluation.
type Result struct {
	Unit           string  `json:"unit"`
	Block          string  `json:"block"`
	SelfTotal      float64 `json:"self_total"`
	AutoTotal      float64 `json:"auto_total"`
	AppraisedTotal float64 `json:"appraised_total"`
	Lines          []Line  `json:"lines"`
	Grade          string  `json:"grade"`
	GradeLabel     string  `json:"grade_label"`
	// GradeByTotal is the grade the thresholds alone give; it differs from
	// Grade when the cap moved the unit down.
	GradeByTotal string   `json:"grade_by_total"`
	CappedDown   bool     `json:"capped_down"`
	Appraised    bool     `json:"appraised"`
	Reasons      []string `json:"reasons"`
}

// Score computes one unit's lines and totals (not yet its grade: that
// needs every unit, see Classify). self and appraisal may be nil.
func Score(set *criteria.Set, unit, block string, self, appraisal *Sheet, auto map[string]Proposal) Result {
	r := Result{Unit: unit, Block: block, Appraised: appraisal != nil}
	selfBy, apprBy := index(self), index(appraisal)
	for _, c := range set.Criteria() {
		l := Line{Criterion: c.Code, Max: c.Max}
		if e, ok := selfBy[c.Code]; ok {
			p := e.Points
			l.Self, l.Evidence = &p, e.Evidence
			r.SelfTotal += p
		}
		if pr, ok := auto[c.Code]; ok {
			pr := pr
			l.Auto = &pr
			r.AutoTotal += pr.Points
		}
		switch e, ok := apprBy[c.Code]; {
		case ok && l.Auto != nil && math.Abs(e.Points-l.Auto.Points) > 1e-9:
			l.Appraised, l.Source, l.Comment = e.Points, "override", strings.TrimSpace(e.Comment+" "+e.Reason)
		case ok:
			l.Appraised, l.Source, l.Comment = e.Points, "appraisal", e.Comment
		case l.Auto != nil:
			l.Appraised, l.Source = l.Auto.Points, "auto"
		case l.Self != nil:
			l.Appraised, l.Source = *l.Self, "self"
		default:
			l.Source = "none"
		}
		r.AppraisedTotal += l.Appraised
		r.Lines = append(r.Lines, l)
	}
	r.SelfTotal, r.AutoTotal, r.AppraisedTotal = round2(r.SelfTotal), round2(r.AutoTotal), round2(r.AppraisedTotal)
	return r
}

func index(s *Sheet) map[string]Entry {
	m := map[string]Entry{}
	if s != nil {
		for _, e := range s.Entries {
			m[e.Criterion] = e
		}
	}
	return m
}

// Classify grades every result by its appraised total and then applies the
// set's cap over all of them together: of the units in the capped grade,
// at most floor(max_share × number of units) keep it, highest appraised
// totals first (ties by unit code); the others drop one grade. Each result
// gets its reasons. Results are returned sorted by block, grade order and
// total.
func Classify(set *criteria.Set, results []Result) []Result {
	out := append([]Result(nil), results...)
	for i := range out {
		g := set.GradeFor(out[i].AppraisedTotal)
		out[i].Grade, out[i].GradeByTotal, out[i].GradeLabel = g.Grade, g.Grade, g.Label
		out[i].Reasons = []string{fmt.Sprintf("tổng điểm thẩm định %s/%g ≥ %g: %s", fmtNum(out[i].AppraisedTotal), set.MaxTotal, g.Min, g.Label)}
		if !out[i].Appraised {
			out[i].Reasons = append(out[i].Reasons, "chưa thẩm định: điểm theo tự đánh giá và điểm tự động")
		}
		for _, l := range out[i].Lines {
			if l.Source == "override" {
				out[i].Reasons = append(out[i].Reasons, fmt.Sprintf("%s: điểm tự động %g được thay bằng %g (%s)", l.Criterion, l.Auto.Points, l.Appraised, l.Comment))
			}
		}
	}
	if set.Cap != nil && len(out) > 0 {
		allowed := int(math.Floor(set.Cap.MaxShare*float64(len(out)) + 1e-9))
		var top []int
		for i := range out {
			if out[i].Grade == set.Cap.Grade {
				top = append(top, i)
			}
		}
		sort.SliceStable(top, func(a, b int) bool {
			ra, rb := out[top[a]], out[top[b]]
			if ra.AppraisedTotal != rb.AppraisedTotal {
				return ra.AppraisedTotal > rb.AppraisedTotal
			}
			return ra.Unit < rb.Unit
		})
		for rank, i := range top {
			if rank < allowed {
				out[i].Reasons = append(out[i].Reasons, fmt.Sprintf("trong giới hạn %d/%d đơn vị được xếp %s (%.0f%%)",
					allowed, len(out), set.Label(set.Cap.Grade), set.Cap.MaxShare*100))
				continue
			}
			below := set.Below(out[i].Grade)
			out[i].Grade, out[i].GradeLabel, out[i].CappedDown = below.Grade, below.Label, true
			out[i].Reasons = append(out[i].Reasons, fmt.Sprintf("vượt giới hạn %d/%d đơn vị được xếp %s (%.0f%%): hạ xuống %s",
				allowed, len(out), set.Label(set.Cap.Grade), set.Cap.MaxShare*100, below.Label))
		}
	}
	order := map[string]int{}
	for i, g := range set.Grades {
		order[g.Grade] = i
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Block != out[b].Block {
			return blockOrder(out[a].Block) < blockOrder(out[b].Block)
		}
		if order[out[a].Grade] != order[out[b].Grade] {
			return order[out[a].Grade] < order[out[b].Grade]
		}
		if out[a].AppraisedTotal != out[b].AppraisedTotal {
			return out[a].AppraisedTotal > out[b].AppraisedTotal
		}
		return out[a].Unit < out[b].Unit
	})
	return out
}

// blockOrder puts departments, districts, communes, then the rest.
func blockOrder(kind string) int {
	switch kind {
	case danvan.UnitDepartment:
		return 0
	case danvan.UnitDistrict:
		return 1
	case danvan.UnitCommune:
		return 2
	}
	return 3
}

// Publication is the list of results by block and grade.
type Publication struct {
	Blocks []PublishedBlock `json:"blocks"`
}

// PublishedBlock is one block's units grouped by grade.
type PublishedBlock struct {
	Block  string           `json:"block"`
	Grades []PublishedGrade `json:"grades"`
}

// PublishedGrade lists the units of one grade in a block.
type PublishedGrade struct {
	Grade string   `json:"grade"`
	Label string   `json:"label"`
	Units []string `json:"units"`
}

// Publish groups classified results by block and grade, grades in the
// set's order, empty grades kept so the list shows zero counts.
func Publish(set *criteria.Set, results []Result) Publication {
	var pub Publication
	byBlock := map[string]map[string][]string{}
	var blocks []string
	for _, r := range results {
		if byBlock[r.Block] == nil {
			byBlock[r.Block] = map[string][]string{}
			blocks = append(blocks, r.Block)
		}
		byBlock[r.Block][r.Grade] = append(byBlock[r.Block][r.Grade], r.Unit)
	}
	sort.SliceStable(blocks, func(a, b int) bool { return blockOrder(blocks[a]) < blockOrder(blocks[b]) })
	for _, b := range blocks {
		pb := PublishedBlock{Block: b}
		for _, g := range set.Grades {
			pb.Grades = append(pb.Grades, PublishedGrade{Grade: g.Grade, Label: g.Label, Units: append([]string{}, byBlock[b][g.Grade]...)})
		}
		pub.Blocks = append(pub.Blocks, pb)
	}
	return pub
}
