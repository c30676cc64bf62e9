package danvan_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
)

func TestValidate_FieldsInBothLanguages(t *testing.T) {
	t.Parallel()
	d := danvan.CycleDefinition{Year: 1999, Owner: "a b", Tasks: []danvan.TaskDef{{Kind: "X", Title: "t", Due: "2022-02-30"}},
		Reminders: danvan.ReminderPolicy{Before: []string{"-3d"}, OverdueEvery: "3 days"}}
	err := d.Check()
	e := danvan.AsError(err)
	require.Equal(t, danvan.EInvalid, e.Code)
	fields := map[string]danvan.FieldError{}
	for _, f := range e.Fields {
		fields[f.Field] = f
	}
	for _, want := range []string{"year", "title", "owner", "tasks[0].kind", "tasks[0].due", "reminders.before[0]", "reminders.overdue_every",
		"parent_plan.number"} {
		require.Contains(t, fields, want)
		require.NotEmpty(t, fields[want].MessageVI)
		require.NotEqual(t, fields[want].Message, fields[want].MessageVI)
	}
	require.Contains(t, err.Error(), "year: must be at least 2000")
}

func TestCycleDefinition_Check(t *testing.T) {
	t.Parallel()
	d := danvan.CycleDefinition{Year: 2022, Title: "t", Owner: "SNV",
		ParentPlan: danvan.PlanRef{Number: "53/KH-UBND", Date: "2022-03-23", Issuer: "UBND tỉnh"},
		Tasks:      []danvan.TaskDef{{Kind: "unit_plan", Title: "a", Due: "2022-04-08"}, {Kind: "unit_plan", Title: "b", Due: "2022-04-09T10:00:00+07:00"}}}
	require.ErrorContains(t, d.Check(), "scope")
	d.Scope.All = true
	require.ErrorContains(t, d.Check(), "appears twice")
	d.Tasks[1].Kind = "annual_report"
	require.NoError(t, d.Check())
}

func TestScope_UnmarshalJSON(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]danvan.Scope{
		`["A","B"]`:                  {Units: []string{"A", "B"}},
		`"all"`:                      {All: true},
		`{"subtree":"DP"}`:           {Subtree: "DP"},
		`{"units":["X"],"all":true}`: {Units: []string{"X"}, All: true},
	} {
		var s danvan.Scope
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		require.Equal(t, want, s, in)
	}
	var s danvan.Scope
	require.Error(t, json.Unmarshal([]byte(`"some"`), &s))
	require.Error(t, json.Unmarshal([]byte(`42`), &s))
}

func TestParseUnits(t *testing.T) {
	t.Parallel()
	units, err := danvan.ParseUnits([]byte("\xef\xbb\xbfcode,name,parent_code,kind,email,head_email\nQNG,UBND tỉnh,,province,a@b.vn,\nSNV, Sở Nội vụ ,QNG,department,,\n"))
	require.NoError(t, err)
	require.Len(t, units, 2)
	require.Equal(t, "Sở Nội vụ", units[1].Name)
	require.Equal(t, "QNG", units[1].ParentCode)

	units, err = danvan.ParseUnits([]byte(`[{"code":"A","name":"Đơn vị A","kind":"other"}]`))
	require.NoError(t, err)
	require.Equal(t, "A", units[0].Code)

	for name, in := range map[string]string{
		"empty":          "  ",
		"missing column": "code,name\nA,B\n",
		"no rows":        "code,name,parent_code,kind\n",
		"ragged":         "code,name,parent_code,kind\nA,B,,other,extra\n",
		"bad json":       `[{"code": 1}]`,
		"unknown field":  `[{"code":"A","nam":"x"}]`,
	} {
		_, err := danvan.ParseUnits([]byte(in))
		require.Equal(t, danvan.EInvalid, danvan.ErrorCode(err), name)
	}
}

func TestUser_Scoping(t *testing.T) {
	t.Parallel()
	officer := &danvan.User{Role: danvan.RoleOfficer, UnitCode: "A"}
	reader := &danvan.User{Role: danvan.RoleReader}
	admin := &danvan.User{Role: danvan.RoleAdmin}
	require.True(t, officer.CanActFor("A"))
	require.False(t, officer.CanActFor("B"))
	require.False(t, officer.CanRead("B"))
	require.True(t, reader.CanRead("B"))
	require.False(t, reader.CanActFor("B"))
	require.True(t, admin.CanActFor("B"))
	var nobody *danvan.User
	require.False(t, nobody.CanRead("A"))
}
