// Package criteria holds evaluation criteria sets as data: sections,
// criteria with maximum points and evidence, optional automatic rules, grade
// thresholds and an optional cap on the share of the top grade. A set is
// one province's for one year; importing it again makes a new version.
package criteria

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/danvan/danvan"
)

// Automatic rule kinds, as the import format names them.
const (
	AutoTaskOnTime        = "task_on_time"
	AutoTasksOnTime       = "tasks_on_time"
	AutoFigureRatio       = "figure_ratio"
	AutoFigureAtLeast     = "figure_at_least"
	AutoHasModel          = "has_model"
	AutoModelRecognised   = "model_recognised"
	AutoInspectionsOnTime = "inspection_actions_on_time"
	exampleNotice         = "EXAMPLE: replace with your province's own decision before using results"
	maxSetBytes           = 2 << 20
)

// ExampleTayNinh2022 is the shipped example set (Tây Ninh 1563/QĐ-UBND,
// 2022, with made-up sub-criteria, rules, thresholds and cap). It is an
// example to replace, and Parse labels it so wherever it is shown.
//
//go:embed example-tay-ninh-2022.json
var ExampleTayNinh2022 []byte

// Decision is the document that issued the set.
type Decision struct {
	Number string `json:"number"`
	Date   string `json:"date"`
	Issuer string `json:"issuer"`
	Title  string `json:"title"`
}

// Auto is a criterion's automatic rule: the points it proposes come from the
// system's own records (tasks, figures, models, corrective actions).
type Auto struct {
	Kind   string   `json:"kind"`
	Task   string   `json:"task,omitempty"`
	Tasks  []string `json:"tasks,omitempty"`
	Figure string   `json:"figure,omitempty"`
	FullAt *float64 `json:"full_at,omitempty"`
	ZeroAt *float64 `json:"zero_at,omitempty"`
}

// Criterion is one scored item.
type Criterion struct {
	Code     string  `json:"code"`
	Title    string  `json:"title"`
	Max      float64 `json:"max"`
	Evidence string  `json:"evidence,omitempty"`
	Auto     *Auto   `json:"auto,omitempty"`
}

// Section groups criteria; its max is the sum of theirs.
type Section struct {
	Code     string      `json:"code"`
	Title    string      `json:"title"`
	Max      float64     `json:"max"`
	Criteria []Criterion `json:"criteria"`
}

// Grade is a classification band: a total at or above Min earns it.
type Grade struct {
	Grade string  `json:"grade"`
	Label string  `json:"label"`
	Min   float64 `json:"min"`
}

// Cap limits the share of units in one grade; units beyond it, lowest
// appraised totals first, drop one grade.
type Cap struct {
	Grade    string  `json:"grade"`
	MaxShare float64 `json:"max_share"`
	Note     string  `json:"note,omitempty"`
}

// Set is a criteria set. Province and Year key it (taken from the decision
// when the file leaves them out); Version counts imports of that key.
type Set struct {
	ID        string    `json:"id"`
	About     string    `json:"about,omitempty"`
	Province  string    `json:"province"`
	Year      int       `json:"year"`
	Version   int       `json:"version"`
	Example   bool      `json:"example"`
	Decision  Decision  `json:"decision"`
	AppliesTo []string  `json:"applies_to,omitempty"`
	MaxTotal  float64   `json:"max_total"`
	Sections  []Section `json:"sections"`
	Grades    []Grade   `json:"grades"`
	Cap       *Cap      `json:"cap,omitempty"`
	AutoKinds string    `json:"auto_kinds,omitempty"`
}

// Parse reads a set in the import format and checks it. It returns an
// EInvalid *danvan.Error listing every problem by field path; nothing of a
// bad file is kept.
func Parse(data []byte) (*Set, error) {
	if len(data) > maxSetBytes {
		return nil, danvan.Errorf(danvan.EInvalid, "criteria file is larger than 2 MiB", "tệp tiêu chí lớn hơn 2 MiB")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Set
	if err := dec.Decode(&s); err != nil {
		return nil, danvan.Errorf(danvan.EInvalid, "criteria file is not valid JSON in the import format: %v",
			"tệp tiêu chí không đúng định dạng JSON: %v", err)
	}
	s.fillKey()
	if err := s.Check(); err != nil {
		return nil, err
	}
	return &s, nil
}

// fillKey derives province and year from the decision when missing, and
// marks a set whose id or description says it is an example.
func (s *Set) fillKey() {
	if s.Province == "" {
		p := strings.TrimSpace(s.Decision.Issuer)
		for _, prefix := range []string{"UBND tỉnh ", "UBND thành phố ", "Ủy ban nhân dân tỉnh ", "Ủy ban nhân dân thành phố ", "UBND TP "} {
			p = strings.TrimPrefix(p, prefix)
		}
		s.Province = p
	}
	if s.Year == 0 && len(s.Decision.Date) >= 4 {
		s.Year, _ = strconv.Atoi(s.Decision.Date[:4])
	}
	if strings.Contains(strings.ToLower(s.ID), "example") || strings.Contains(s.About, "EXAMPLE") {
		s.Example = true
	}
	if s.Example && !strings.HasPrefix(s.About, exampleNotice) {
		s.About = exampleNotice + ". " + s.About
	}
}

// Check returns an EInvalid error naming every inconsistency, or nil.
func (s *Set) Check() error {
	var fe []danvan.FieldError
	bad := func(field, en, vi string) {
		fe = append(fe, danvan.FieldError{Field: field, Rule: "criteria", Message: field + ": " + en, MessageVI: field + ": " + vi})
	}
	if s.ID == "" {
		bad("id", "is required", "bắt buộc")
	}
	if s.Province == "" {
		bad("province", "is required (or a decision issuer naming the province)", "bắt buộc (hoặc cơ quan ban hành ghi tên tỉnh)")
	}
	if s.Year < 2000 || s.Year > 2100 {
		bad("year", "must be between 2000 and 2100 (or a decision date)", "phải từ 2000 đến 2100 (hoặc ngày quyết định)")
	}
	if s.MaxTotal <= 0 {
		bad("max_total", "must be above 0", "phải lớn hơn 0")
	}
	if len(s.Sections) == 0 {
		bad("sections", "at least one section is required", "cần ít nhất một nhóm tiêu chí")
	}
	codes := map[string]bool{}
	var total float64
	for i, sec := range s.Sections {
		p := fmt.Sprintf("sections[%d]", i)
		if sec.Code == "" || codes[sec.Code] {
			bad(p+".code", "is missing or repeated", "thiếu hoặc trùng")
		}
		codes[sec.Code] = true
		var sum float64
		for j, c := range sec.Criteria {
			cp := fmt.Sprintf("%s.criteria[%d]", p, j)
			if c.Code == "" || codes[c.Code] {
				bad(cp+".code", "is missing or repeated", "thiếu hoặc trùng")
			}
			codes[c.Code] = true
			if c.Max <= 0 {
				bad(cp+".max", "must be above 0", "phải lớn hơn 0")
			}
			sum += c.Max
			if c.Auto != nil {
				checkAuto(cp+".auto", c.Auto, bad)
			}
		}
		if len(sec.Criteria) == 0 {
			bad(p+".criteria", "at least one criterion is required", "cần ít nhất một tiêu chí")
		} else if !near(sum, sec.Max) {
			bad(p+".max", fmt.Sprintf("is %g but its criteria add up to %g", sec.Max, sum),
				fmt.Sprintf("là %g nhưng tổng điểm các tiêu chí là %g", sec.Max, sum))
		}
		total += sec.Max
	}
	if len(s.Sections) > 0 && !near(total, s.MaxTotal) {
		bad("max_total", fmt.Sprintf("is %g but the sections add up to %g", s.MaxTotal, total),
			fmt.Sprintf("là %g nhưng tổng điểm các nhóm là %g", s.MaxTotal, total))
	}
	if len(s.Grades) < 2 {
		bad("grades", "at least two grades are required", "cần ít nhất hai mức xếp loại")
	}
	grades := map[string]bool{}
	for i, g := range s.Grades {
		p := fmt.Sprintf("grades[%d]", i)
		if g.Grade == "" || grades[g.Grade] {
			bad(p+".grade", "is missing or repeated", "thiếu hoặc trùng")
		}
		grades[g.Grade] = true
		if i > 0 && g.Min >= s.Grades[i-1].Min {
			bad(p+".min", "grades must be listed from the highest threshold down", "các mức phải xếp từ ngưỡng cao xuống thấp")
		}
		if g.Min < 0 || g.Min > s.MaxTotal {
			bad(p+".min", "must be between 0 and max_total", "phải từ 0 đến tổng điểm tối đa")
		}
	}
	if s.Cap != nil {
		if !grades[s.Cap.Grade] {
			bad("cap.grade", "names no grade of the set", "không phải mức xếp loại của bộ tiêu chí")
		} else if len(s.Grades) > 0 && s.Cap.Grade == s.Grades[len(s.Grades)-1].Grade {
			bad("cap.grade", "the lowest grade cannot be capped", "không thể giới hạn mức thấp nhất")
		}
		if s.Cap.MaxShare <= 0 || s.Cap.MaxShare > 1 {
			bad("cap.max_share", "must be above 0 and at most 1", "phải lớn hơn 0 và không quá 1")
		}
	}
	if len(fe) > 0 {
		return &danvan.Error{Code: danvan.EInvalid, Message: "the criteria set is invalid", MessageVI: "bộ tiêu chí không hợp lệ", Fields: fe}
	}
	return nil
}

func checkAuto(p string, a *Auto, bad func(field, en, vi string)) {
	switch a.Kind {
	case AutoTaskOnTime:
		if a.Task == "" {
			bad(p+".task", "is required for task_on_time", "bắt buộc với task_on_time")
		}
	case AutoTasksOnTime:
		if len(a.Tasks) == 0 {
			bad(p+".tasks", "is required for tasks_on_time", "bắt buộc với tasks_on_time")
		}
	case AutoFigureRatio:
		if a.Figure == "" || a.FullAt == nil || a.ZeroAt == nil {
			bad(p, "figure_ratio needs figure, full_at and zero_at", "figure_ratio cần figure, full_at và zero_at")
		} else if *a.FullAt <= *a.ZeroAt {
			bad(p+".full_at", "must be above zero_at", "phải lớn hơn zero_at")
		}
	case AutoFigureAtLeast:
		if a.Figure == "" || a.FullAt == nil || *a.FullAt <= 0 {
			bad(p, "figure_at_least needs figure and full_at above 0", "figure_at_least cần figure và full_at lớn hơn 0")
		}
	case AutoHasModel, AutoModelRecognised, AutoInspectionsOnTime:
	default:
		bad(p+".kind", fmt.Sprintf("unknown automatic rule %q", a.Kind), fmt.Sprintf("quy tắc tự động %q không có", a.Kind))
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// Criteria returns every criterion in order.
func (s *Set) Criteria() []Criterion {
	var out []Criterion
	for _, sec := range s.Sections {
		out = append(out, sec.Criteria...)
	}
	return out
}

// Find returns the criterion with code, or nil.
func (s *Set) Find(code string) *Criterion {
	for i := range s.Sections {
		for j := range s.Sections[i].Criteria {
			if s.Sections[i].Criteria[j].Code == code {
				return &s.Sections[i].Criteria[j]
			}
		}
	}
	return nil
}

// GradeFor returns the highest grade whose threshold total reaches; the
// lowest grade when none does.
func (s *Set) GradeFor(total float64) Grade {
	sorted := append([]Grade(nil), s.Grades...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Min > sorted[j].Min })
	for _, g := range sorted {
		if total+1e-9 >= g.Min {
			return g
		}
	}
	return sorted[len(sorted)-1]
}

// Below returns the grade one step below g, or g when it is the lowest.
func (s *Set) Below(g string) Grade {
	for i, x := range s.Grades {
		if x.Grade == g && i+1 < len(s.Grades) {
			return s.Grades[i+1]
		}
	}
	for _, x := range s.Grades {
		if x.Grade == g {
			return x
		}
	}
	return Grade{Grade: g, Label: g}
}

// Label returns the display label of grade code g.
func (s *Set) Label(g string) string {
	for _, x := range s.Grades {
		if x.Grade == g {
			return x.Label
		}
	}
	return g
}
