// Package models holds the rules of "Dân vận khéo" models: what a
// registration must contain (with each field named in Vietnamese) and the
// life of a model from registration through its interim (sơ kết) and final
// (tổng kết) reviews to the standing agency's result. It does no I/O.
package models

import (
	"fmt"
	"strings"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/reports"
)

// labels names a registration's fields as the form does (Văn bản
// 249/MTTQ-BTT), so an error tells a unit officer which box to fill.
var labels = map[string]string{
	"name":            "Tên mô hình",
	"field":           "Lĩnh vực",
	"kind":            "Loại (mô hình / điển hình)",
	"owner_type":      "Chủ thể (tập thể / cá nhân)",
	"owner_name":      "Tên tập thể, cá nhân thực hiện",
	"problem":         "Thực trạng, lý do xây dựng mô hình",
	"goals":           "Mục tiêu",
	"criteria":        "Tiêu chí đánh giá kết quả",
	"content":         "Nội dung, cách thức thực hiện",
	"area":            "Địa bàn",
	"beneficiaries":   "Đối tượng",
	"forces":          "Lực lượng thực hiện",
	"resources":       "Nguồn lực thực hiện",
	"start_date":      "Ngày bắt đầu",
	"milestones":      "Tiến độ",
	"evaluation_date": "Ngày đánh giá kết quả",
	"outputs":         "Sản phẩm, kết quả đầu ra",
	"sustainability":  "Khả năng duy trì, nhân rộng",
	"stage":           "Giai đoạn (sơ kết / tổng kết)",
	"period_from":     "Từ ngày",
	"period_to":       "Đến ngày",
	"done":            "Kết quả thực hiện so với kế hoạch",
	"effect":          "Hiệu quả",
	"proposal":        "Đề xuất",
	"proposal_note":   "Ghi chú đề xuất",
}

// label returns the Vietnamese name of a field path's top-level key.
func label(path string) string {
	top := path
	if i := strings.IndexAny(top, ".["); i >= 0 {
		top = top[:i]
	}
	return labels[top]
}

// withLabels puts the Vietnamese field name in front of each Vietnamese
// message: "Tên mô hình (name): bắt buộc phải nhập".
func withLabels(err error) error {
	e, ok := err.(*danvan.Error)
	if !ok {
		return err
	}
	for i := range e.Fields {
		f := &e.Fields[i]
		if l := label(f.Field); l != "" && !strings.HasPrefix(f.MessageVI, l) {
			f.MessageVI = l + " (" + f.MessageVI[:len(f.Field)] + ")" + f.MessageVI[len(f.Field):]
		}
	}
	return e
}

// CheckRegistration validates r: every field the form requires, the field
// (lĩnh vực) among the catalogue's, and dates in order. It returns an
// EInvalid *Error naming each bad field in English and Vietnamese.
func CheckRegistration(r *danvan.ModelRegistration, c *reports.Catalogue) error {
	if err := danvan.Validate(r); err != nil {
		return withLabels(err)
	}
	if c.ModelField(r.Field) == nil {
		keys := make([]string, len(c.ModelFields))
		for i, f := range c.ModelFields {
			keys[i] = f.Key + " (" + f.Name + ")"
		}
		return withLabels(danvan.Invalid("field", "must be one of: "+strings.Join(keys, ", "), "phải là một trong: "+strings.Join(keys, ", ")))
	}
	if r.EvaluationDate < r.StartDate {
		return withLabels(danvan.Invalid("evaluation_date", "must not be before start_date", "không được trước ngày bắt đầu"))
	}
	for i, m := range r.Milestones {
		if m.Date < r.StartDate {
			return withLabels(danvan.Invalid(fmt.Sprintf("milestones[%d].date", i), "must not be before start_date", "không được trước ngày bắt đầu"))
		}
	}
	lead := false
	for _, f := range r.Forces {
		lead = lead || f.Role == "chu_tri"
	}
	if !lead {
		return withLabels(danvan.Invalid("forces", "name the lead force (role chu_tri)", "phải có lực lượng chủ trì (role chu_tri)"))
	}
	return nil
}

// CheckReview validates a review and its period.
func CheckReview(r *danvan.ModelReview) error {
	if err := danvan.Validate(r); err != nil {
		return withLabels(err)
	}
	if r.PeriodTo < r.PeriodFrom {
		return withLabels(danvan.Invalid("period_to", "must not be before period_from", "không được trước ngày bắt đầu kỳ"))
	}
	return nil
}

// Results are the outcomes a standing agency may decide for a model.
var Results = []string{danvan.ModelRecognised, danvan.ModelTypical, danvan.ModelReplicated, danvan.ModelCommended, danvan.ModelNotRecognised}

// ReviewFrom returns the statuses a model may be in to receive a review of
// stage, and the status the review moves it to. It returns EInvalid for an
// unknown stage.
func ReviewFrom(stage string) (from []string, to string, err error) {
	switch stage {
	case "interim":
		return []string{danvan.ModelRegistered, danvan.ModelImplementing}, danvan.ModelInterimReview, nil
	case "final":
		return []string{danvan.ModelImplementing, danvan.ModelInterimReview}, danvan.ModelFinalReview, nil
	}
	return nil, "", danvan.Invalid("stage", "must be interim or final", "phải là interim (sơ kết) hoặc final (tổng kết)")
}

// DecideFrom returns the statuses from which result may be decided. A
// model is judged after its final review; a recognised model may later be
// found typical, then replicated, then commended (công nhận → tiêu biểu →
// nhân rộng → khen thưởng), never back. It returns EInvalid for an unknown
// result.
func DecideFrom(result string) ([]string, error) {
	switch result {
	case danvan.ModelRecognised, danvan.ModelNotRecognised:
		return []string{danvan.ModelFinalReview}, nil
	case danvan.ModelTypical:
		return []string{danvan.ModelFinalReview, danvan.ModelRecognised}, nil
	case danvan.ModelReplicated:
		return []string{danvan.ModelFinalReview, danvan.ModelRecognised, danvan.ModelTypical}, nil
	case danvan.ModelCommended:
		return []string{danvan.ModelFinalReview, danvan.ModelRecognised, danvan.ModelTypical, danvan.ModelReplicated}, nil
	}
	return nil, danvan.Invalid("result", "must be one of: "+strings.Join(Results, ", "),
		"phải là một trong: recognised (công nhận), typical (tiêu biểu), replicated (nhân rộng), commended (khen thưởng), not_recognised (không công nhận)")
}

// StartFrom is where a model may be from when its unit starts carrying it
// out.
var StartFrom = []string{danvan.ModelRegistered}
