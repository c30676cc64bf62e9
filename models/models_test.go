package models_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/models"
	"github.com/danvan/danvan/reports"
)

func example(t *testing.T) danvan.ModelRegistration {
	t.Helper()
	b, err := os.ReadFile("../examples/model.json")
	require.NoError(t, err)
	var r danvan.ModelRegistration
	require.NoError(t, json.Unmarshal(b, &r))
	return r
}

func TestCheckRegistration(t *testing.T) {
	c := reports.Default()
	r := example(t)
	require.NoError(t, models.CheckRegistration(&r, c))

	for field, mutate := range map[string]func(r *danvan.ModelRegistration){
		"name":            func(r *danvan.ModelRegistration) { r.Name = "" },
		"problem":         func(r *danvan.ModelRegistration) { r.Problem = "" },
		"goals":           func(r *danvan.ModelRegistration) { r.Goals = "" },
		"criteria":        func(r *danvan.ModelRegistration) { r.Criteria = "" },
		"content":         func(r *danvan.ModelRegistration) { r.Content = "" },
		"area":            func(r *danvan.ModelRegistration) { r.Area = "" },
		"beneficiaries":   func(r *danvan.ModelRegistration) { r.Beneficiaries = "" },
		"resources":       func(r *danvan.ModelRegistration) { r.Resources = "" },
		"sustainability":  func(r *danvan.ModelRegistration) { r.Sustainability = "" },
		"owner_name":      func(r *danvan.ModelRegistration) { r.OwnerName = "" },
		"outputs":         func(r *danvan.ModelRegistration) { r.Outputs = nil },
		"forces":          func(r *danvan.ModelRegistration) { r.Forces = nil },
		"kind":            func(r *danvan.ModelRegistration) { r.Kind = "khac" },
		"owner_type":      func(r *danvan.ModelRegistration) { r.OwnerType = "" },
		"start_date":      func(r *danvan.ModelRegistration) { r.StartDate = "1/4/2022" },
		"field":           func(r *danvan.ModelRegistration) { r.Field = "nong_nghiep" },
		"evaluation_date": func(r *danvan.ModelRegistration) { r.EvaluationDate = "2021-01-01" },
		"forces.lead": func(r *danvan.ModelRegistration) {
			r.Forces = []danvan.ModelForce{{Org: "X", Role: "tham_gia"}}
		},
	} {
		t.Run(field, func(t *testing.T) {
			bad := example(t)
			mutate(&bad)
			err := models.CheckRegistration(&bad, c)
			e := danvan.AsError(err)
			require.Equal(t, danvan.EInvalid, e.Code)
			require.NotEmpty(t, e.Fields)
			want := field
			if field == "forces.lead" {
				want = "forces"
			}
			require.Equal(t, want, e.Fields[0].Field)
			require.Contains(t, e.Fields[0].Message, want)
			require.Contains(t, e.Fields[0].MessageVI, "(") // Vietnamese label then the key
		})
	}
	t.Run("label", func(t *testing.T) {
		bad := example(t)
		bad.Name = ""
		e := danvan.AsError(models.CheckRegistration(&bad, c))
		require.Equal(t, "Tên mô hình (name): bắt buộc phải nhập", e.Fields[0].MessageVI)
	})
	t.Run("catalogue extends fields", func(t *testing.T) {
		cat := reports.Default()
		cat.ModelFields = append(cat.ModelFields, reports.ModelField{Key: "nong_thon_moi", Name: "Xây dựng nông thôn mới"})
		r := example(t)
		r.Field = "nong_thon_moi"
		require.NoError(t, models.CheckRegistration(&r, cat))
	})
}

func TestLifecycle(t *testing.T) {
	from, to, err := models.ReviewFrom("interim")
	require.NoError(t, err)
	require.Equal(t, danvan.ModelInterimReview, to)
	require.Contains(t, from, danvan.ModelRegistered)
	from, to, err = models.ReviewFrom("final")
	require.NoError(t, err)
	require.Equal(t, danvan.ModelFinalReview, to)
	require.NotContains(t, from, danvan.ModelRegistered)
	_, _, err = models.ReviewFrom("mid")
	require.Error(t, err)
	for _, r := range models.Results {
		f, err := models.DecideFrom(r)
		require.NoError(t, err)
		require.Contains(t, f, danvan.ModelFinalReview)
	}
	f, _ := models.DecideFrom(danvan.ModelRecognised)
	require.NotContains(t, f, danvan.ModelCommended) // never back down
	_, err = models.DecideFrom("famous")
	require.Error(t, err)

	rv := danvan.ModelReview{Stage: "final", PeriodFrom: "2022-06-01", PeriodTo: "2022-01-01", Done: "x", Outputs: "x", Effect: "x", Proposal: "nhan_rong"}
	require.Equal(t, "period_to", danvan.AsError(models.CheckReview(&rv)).Fields[0].Field)
}
