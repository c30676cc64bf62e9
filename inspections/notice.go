package inspections

import (
	"fmt"
	"strings"
	"time"

	"github.com/danvan/danvan/summary/wordml"
)

// NoticeOptions fill the letterhead of a conclusion notice.
type NoticeOptions struct {
	ParentBody string // e.g. "UBND TỈNH QUẢNG NGÃI"
	Body       string // the inspecting body; defaults to the plan's
	Symbol     string // e.g. "TB-SNV"
	Place      string
	Date       time.Time
	UnitName   string
	Authority  string // e.g. "KT. GIÁM ĐỐC"
	Position   string
	Signer     string
}

// Notice renders the thông báo kết luận kiểm tra of one unit as .docx: the
// Nghị định 30/2020 letterhead, the basis (the plan), the results per
// content item, the assessment, the conclusion and the corrective actions
// with their deadlines. It returns an error only when the document cannot
// be assembled.
func Notice(p *Plan, r *Record, actions []Action, o NoticeOptions) ([]byte, error) {
	if o.Body == "" {
		o.Body = p.Body
	}
	if o.Symbol == "" {
		o.Symbol = "TB"
	}
	if o.UnitName == "" {
		o.UnitName = r.Unit
	}
	d := &wordml.Doc{Title: "Thông báo kết luận kiểm tra " + o.UnitName, Created: o.Date}
	if err := d.AddHeader(wordml.Header{ParentBody: o.ParentBody, Body: o.Body, Symbol: o.Symbol, Place: o.Place, Date: o.Date,
		Kind: "THÔNG BÁO", Subject: "Kết luận kiểm tra công tác dân vận chính quyền tại " + o.UnitName}); err != nil {
		return nil, err
	}
	basis := fmt.Sprintf("Thực hiện %s", p.Title)
	if p.Number != "" {
		basis = fmt.Sprintf("Thực hiện Kế hoạch số %s%s của %s về %s", p.Number, dateSuffix(p.Date), p.Body, lowerFirst(p.Title))
	}
	d.Add(wordml.Text(basis + fmt.Sprintf("; ngày %s, Đoàn kiểm tra đã làm việc tại %s. Thành phần tham dự: %s.",
		vnDate(r.Date), o.UnitName, strings.Join(r.Participants, "; "))))
	d.Add(wordml.Text(fmt.Sprintf("Kỳ kiểm tra: từ ngày %s đến ngày %s. %s thông báo kết luận kiểm tra như sau:",
		vnDate(p.PeriodFrom), vnDate(p.PeriodTo), o.Body)))
	d.Heading(1, "I", "Kết quả kiểm tra")
	titles := map[string]string{}
	for _, c := range p.Content {
		titles[c.Code] = c.Title
	}
	for i, f := range r.Findings {
		d.Heading(2, fmt.Sprint(i+1), titles[f.Content])
		for _, line := range paragraphs(f.Text) {
			d.Add(wordml.Text(line))
		}
	}
	d.Heading(1, "II", "Nhận xét, đánh giá")
	d.Heading(2, "1", "Ưu điểm")
	for _, line := range paragraphsOr(r.Strengths, "(Đoàn kiểm tra bổ sung.)") {
		d.Add(wordml.Text(line))
	}
	d.Heading(2, "2", "Hạn chế, khuyết điểm")
	for _, line := range paragraphsOr(r.Limitations, "(Đoàn kiểm tra bổ sung.)") {
		d.Add(wordml.Text(line))
	}
	d.Heading(1, "III", "Kết luận")
	for _, line := range paragraphs(r.Conclusion) {
		d.Add(wordml.Text(line))
	}
	d.Add(wordml.Text("Xếp loại: " + RatingLabel[r.Rating] + "."))
	d.Heading(1, "IV", "Kiến nghị, yêu cầu khắc phục")
	if len(actions) == 0 {
		d.Add(wordml.Text("Không có kiến nghị phải khắc phục."))
	} else {
		d.Add(wordml.Text(fmt.Sprintf("Đề nghị %s thực hiện và báo cáo kết quả khắc phục (kèm tài liệu kiểm chứng) về %s theo thời hạn sau:", o.UnitName, o.Body)))
		w := wordml.TextWidth
		t := wordml.Table{Borders: true, HeaderRows: 1, Widths: []int{700, w - 700 - 2000, 2000}}
		t.Rows = append(t.Rows, []wordml.Cell{wordml.C("STT", 13, true, wordml.Center), wordml.C("Nội dung kiến nghị", 13, true, wordml.Center), wordml.C("Thời hạn", 13, true, wordml.Center)})
		for _, a := range actions {
			t.Rows = append(t.Rows, []wordml.Cell{wordml.C(fmt.Sprint(a.Seq), 13, false, wordml.Center), wordml.C(a.Text, 13, false, wordml.Justify), wordml.C(vnDate(a.Due), 13, false, wordml.Center)})
		}
		if err := d.AddTable(t); err != nil {
			return nil, err
		}
	}
	if err := d.AddSignature(wordml.Signature{Recipients: []string{o.UnitName, "Thành viên Đoàn kiểm tra", "Lưu: VT"},
		Authority: o.Authority, Position: orDefault(o.Position, "TRƯỞNG ĐOÀN"), Name: o.Signer}); err != nil {
		return nil, err
	}
	return d.Bytes()
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func paragraphsOr(s, fallback string) []string {
	if p := paragraphs(s); len(p) > 0 {
		return p
	}
	return []string{fallback}
}

func lowerFirst(s string) string {
	for _, prefix := range []string{"Kế hoạch ", "KẾ HOẠCH "} {
		s = strings.TrimPrefix(s, prefix)
	}
	return s
}

func dateSuffix(iso string) string {
	if iso == "" {
		return ""
	}
	return " ngày " + vnDate(iso)
}

// vnDate turns YYYY-MM-DD into D/M/YYYY; other input is returned as is.
func vnDate(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return fmt.Sprintf("%d/%d/%d", t.Day(), int(t.Month()), t.Year())
}
