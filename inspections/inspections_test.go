package inspections_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/scoring"
)

func load(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("../examples/" + name)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

func TestExamples(t *testing.T) {
	var p inspections.Plan
	load(t, "inspection-plan.json", &p)
	require.NoError(t, p.Check())
	var r inspections.Record
	load(t, "inspection-record.json", &r)
	r.Unit = "DP"
	require.NoError(t, r.Check(&p))
	set, err := criteria.Parse(criteria.ExampleTayNinh2022)
	require.NoError(t, err)
	var self, appr scoring.Sheet
	load(t, "self-assessment.json", &self)
	load(t, "appraisal.json", &appr)
	require.NoError(t, self.Check(set, nil, false))
	require.NoError(t, appr.Check(set, map[string]scoring.Proposal{"TC1.1": {Points: 5}}, true))
}

func TestPlanCheck(t *testing.T) {
	var base inspections.Plan
	load(t, "inspection-plan.json", &base)
	for name, tc := range map[string]struct {
		edit  func(p *inspections.Plan)
		field string
	}{
		"visit outside window": {func(p *inspections.Plan) { p.Units[0].Date = "2022-07-15" }, "units[0].date"},
		"two heads":            {func(p *inspections.Plan) { p.Team[1].Role = inspections.RoleHead }, "team"},
		"bad role":             {func(p *inspections.Plan) { p.Team[1].Role = "boss" }, "team[1].role"},
		"period reversed":      {func(p *inspections.Plan) { p.PeriodTo = "2020-01-01" }, "period_to"},
		"no units":             {func(p *inspections.Plan) { p.Units = nil }, "units"},
		"unit twice":           {func(p *inspections.Plan) { p.Units = append(p.Units, p.Units[0]) }, "units[1].unit"},
	} {
		t.Run(name, func(t *testing.T) {
			p := base
			p.Units = append([]inspections.Visit(nil), base.Units...)
			p.Team = append([]inspections.Member(nil), base.Team...)
			tc.edit(&p)
			e := danvan.AsError(p.Check())
			require.NotNil(t, e)
			require.Equal(t, danvan.EInvalid, e.Code)
			require.NotEmpty(t, e.Fields)
			require.Equal(t, tc.field, e.Fields[0].Field)
			require.NotEmpty(t, e.Fields[0].MessageVI)
		})
	}
}

func TestSelfReportDue(t *testing.T) {
	p := &inspections.Plan{}
	v := inspections.Visit{Unit: "A", Date: "2030-06-15"}
	due, err := p.SelfReportDue(v, time.Date(2030, 5, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, "2030-06-08", due)
	due, err = p.SelfReportDue(v, time.Date(2030, 6, 14, 10, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, "2030-06-15", due, "at the earliest the day after planning")
}

func TestStateOf(t *testing.T) {
	require.Equal(t, inspections.ActionOpen, inspections.StateOf(nil))
	require.Equal(t, inspections.ActionAnswered, inspections.StateOf(&danvan.Task{Status: danvan.StatusSubmitted}))
	require.Equal(t, inspections.ActionReturned, inspections.StateOf(&danvan.Task{Status: danvan.StatusReturned}))
	require.Equal(t, inspections.ActionAccepted, inspections.StateOf(&danvan.Task{Status: danvan.StatusDoneLate}))
	require.Equal(t, inspections.ActionOpen, inspections.StateOf(&danvan.Task{Status: danvan.StatusOverdue}))
}
