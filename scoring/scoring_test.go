package scoring_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/criteria"
	"github.com/danvan/danvan/scoring"
)

func example(t *testing.T) *criteria.Set {
	s, err := criteria.Parse(criteria.ExampleTayNinh2022)
	require.NoError(t, err)
	return s
}

var (
	due = time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC)
	now = due.AddDate(0, 6, 0)
)

func task(kind, status string, submittedAfter time.Duration) danvan.Task {
	t := danvan.Task{UnitCode: "U", Kind: kind, Status: status, Due: due}
	if status != danvan.StatusPending && status != danvan.StatusOverdue {
		at := due.Add(submittedAfter)
		t.SubmittedAt = &at
	}
	return t
}

func TestTaskTimeliness(t *testing.T) {
	for name, tc := range map[string]struct {
		t    danvan.Task
		now  time.Time
		want string
	}{
		"accepted on time": {task("unit_plan", danvan.StatusAccepted, -time.Hour), now, scoring.OnTime},
		"accepted late":    {task("unit_plan", danvan.StatusAccepted, time.Hour), now, scoring.Late},
		"done_late":        {task("unit_plan", danvan.StatusDoneLate, -time.Hour), now, scoring.Late},
		"overdue":          {task("unit_plan", danvan.StatusOverdue, 0), now, scoring.Missing},
		"pending not due":  {task("unit_plan", danvan.StatusPending, 0), due.Add(-time.Hour), scoring.Open},
	} {
		require.Equal(t, tc.want, scoring.TaskTimeliness(tc.t, tc.now), name)
	}
}

func TestPropose(t *testing.T) {
	set := example(t)
	answered := due.Add(48 * time.Hour)
	ev := scoring.Evidence{Unit: "U", Now: now,
		Tasks: []danvan.Task{task("unit_plan", danvan.StatusAccepted, -time.Hour), task("midyear_report", danvan.StatusAccepted, time.Hour),
			task("annual_report", danvan.StatusAccepted, -time.Hour)},
		Figures:          map[string]float64{"don.ty_le_giai_quyet": 70, "tthc.ty_le_dung_han": 99, "doi_thoai.so_cuoc": 1},
		ModelsRegistered: 1,
		Actions:          []scoring.ActionTimeliness{{Due: due, AnsweredAt: &answered}},
	}
	p := scoring.Propose(set, ev)
	require.Equal(t, 5.0, p["TC1.1"].Points)  // plan on time
	require.Equal(t, 1.0, p["TC1.3"].Points)  // one report late: half of 2
	require.Equal(t, 2.0, p["TC2.2"].Points)  // 70 between 50 and 90: half of 4
	require.Equal(t, 10.0, p["TC4.1"].Points) // 99 ≥ 98
	require.Equal(t, 0.0, p["TC4.2"].Points)  // not reported
	require.Contains(t, p["TC4.2"].Reason, "not reported")
	require.Equal(t, 5.0, p["TC5.2"].Points) // 1 of 2 dialogues
	require.Equal(t, 10.0, p["TC6.1"].Points)
	require.Equal(t, 0.0, p["TC6.2"].Points)
	require.Equal(t, 0.0, p["TC6.3"].Points) // answered late
	require.Len(t, p, 10)
	ev.Actions = nil
	require.Equal(t, 4.0, scoring.Propose(set, ev)["TC6.3"].Points)
}

func TestSheetCheck_OverrideNeedsReason(t *testing.T) {
	set := example(t)
	auto := map[string]scoring.Proposal{"TC1.1": {Points: 5}}
	sh := &scoring.Sheet{Entries: []scoring.Entry{{Criterion: "TC1.1", Points: 3}, {Criterion: "TC9", Points: 1}, {Criterion: "TC1.2", Points: 4}}}
	e := danvan.AsError(sh.Check(set, auto, true))
	require.Equal(t, danvan.EInvalid, e.Code)
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	require.ElementsMatch(t, []string{"entries[0].reason", "entries[1].criterion", "entries[2].points"}, fields)
	sh.Entries = []scoring.Entry{{Criterion: "TC1.1", Points: 3, Reason: "kế hoạch thiếu nội dung"}}
	require.NoError(t, sh.Check(set, auto, true))
	require.NoError(t, (&scoring.Sheet{Entries: []scoring.Entry{{Criterion: "TC1.1", Points: 3}}}).Check(set, auto, false))
}

// full returns a sheet giving every criterion its max minus minus points
// taken from TC3.1.
func full(set *criteria.Set, minus float64) *scoring.Sheet {
	sh := &scoring.Sheet{}
	for _, c := range set.Criteria() {
		p := c.Max
		if c.Code == "TC3.1" {
			p -= minus
		}
		sh.Entries = append(sh.Entries, scoring.Entry{Criterion: c.Code, Points: p, Reason: "thẩm định"})
	}
	return sh
}

func TestScoreAndClassify_CapMovesUnitDown(t *testing.T) {
	set := example(t) // cap: 20% excellent
	var results []scoring.Result
	// Five units: four reach the excellent threshold (≥90) on appraisal;
	// 20% of 5 = 1 keeps it, three drop to good.
	for code, minus := range map[string]float64{"A": 0, "B": 2, "C": 5, "D": 8, "E": 30} {
		results = append(results, scoring.Score(set, code, danvan.UnitDepartment, full(set, 0), full(set, minus), nil))
	}
	out := scoring.Classify(set, results)
	grades := map[string]scoring.Result{}
	for _, r := range out {
		grades[r.Unit] = r
	}
	require.Equal(t, 100.0, grades["A"].AppraisedTotal)
	require.Equal(t, 100.0, grades["A"].SelfTotal)
	require.Equal(t, "hoan_thanh_xuat_sac", grades["A"].Grade)
	require.False(t, grades["A"].CappedDown)
	for _, u := range []string{"B", "C", "D"} {
		require.Equal(t, "hoan_thanh_xuat_sac", grades[u].GradeByTotal, u)
		require.Equal(t, "hoan_thanh_tot", grades[u].Grade, u)
		require.True(t, grades[u].CappedDown, u)
		require.Contains(t, grades[u].Reasons[len(grades[u].Reasons)-1], "hạ xuống Hoàn thành tốt")
	}
	require.Equal(t, "hoan_thanh", grades["E"].Grade) // 70: no cap involved
	require.False(t, grades["E"].CappedDown)
	require.Equal(t, []string{"A", "B", "C", "D", "E"}, []string{out[0].Unit, out[1].Unit, out[2].Unit, out[3].Unit, out[4].Unit})

	pub := scoring.Publish(set, out)
	require.Len(t, pub.Blocks, 1)
	require.Equal(t, []string{"A"}, pub.Blocks[0].Grades[0].Units)
	require.Equal(t, []string{"B", "C", "D"}, pub.Blocks[0].Grades[1].Units)
	require.Equal(t, []string{"E"}, pub.Blocks[0].Grades[2].Units)
	require.Empty(t, pub.Blocks[0].Grades[3].Units)
}

func TestScore_Sources(t *testing.T) {
	set := example(t)
	auto := map[string]scoring.Proposal{"TC1.1": {Points: 5, Reason: "unit_plan: on_time"}, "TC1.3": {Points: 1}}
	self := &scoring.Sheet{Entries: []scoring.Entry{{Criterion: "TC1.1", Points: 5}, {Criterion: "TC1.2", Points: 3}, {Criterion: "TC2.1", Points: 4}}}
	appr := &scoring.Sheet{Entries: []scoring.Entry{{Criterion: "TC1.1", Points: 2, Reason: "kế hoạch chưa đạt"}, {Criterion: "TC1.2", Points: 2, Comment: "thiếu biên bản"}}}
	r := scoring.Score(set, "U", danvan.UnitCommune, self, appr, auto)
	src := map[string]string{}
	for _, l := range r.Lines {
		src[l.Criterion] = l.Source
	}
	require.Equal(t, "override", src["TC1.1"])
	require.Equal(t, "appraisal", src["TC1.2"])
	require.Equal(t, "auto", src["TC1.3"])
	require.Equal(t, "self", src["TC2.1"])
	require.Equal(t, "none", src["TC3.1"])
	require.Equal(t, 12.0, r.SelfTotal)
	require.Equal(t, 6.0, r.AutoTotal)
	require.Equal(t, 2.0+2+1+4, r.AppraisedTotal)
	out := scoring.Classify(set, []scoring.Result{r})
	require.Equal(t, "khong_hoan_thanh", out[0].Grade)
	require.Contains(t, out[0].Reasons[1], "TC1.1: điểm tự động 5 được thay bằng 2")
}

func TestTimeliness_ND335(t *testing.T) {
	tasks := []danvan.Task{task("a", danvan.StatusAccepted, -time.Hour), task("b", danvan.StatusAccepted, time.Hour), task("c", danvan.StatusOverdue, 0)}
	open := task("d", danvan.StatusPending, 0)
	open.Due = now.Add(time.Hour)
	tasks = append(tasks, open)
	ev := scoring.Timeliness(tasks, now)
	require.Equal(t, []scoring.TaskEvidence{{Unit: "U", Assigned: 4, OnTime: 1, Late: 1, NotDone: 1, Open: 1}}, ev)
}
