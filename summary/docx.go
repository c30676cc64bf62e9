package summary

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/danvan/danvan/inspections"
	"github.com/danvan/danvan/summary/wordml"
)

// Letterhead is what the .docx needs beyond the figures: who issues it, to
// whom, who signs. Zero fields take the defaults DocxOptions documents.
type Letterhead struct {
	ParentBody string    `json:"parent_body"` // default: the cycle owner's name in capitals
	Body       string    `json:"body"`        // default "SỞ NỘI VỤ"
	Symbol     string    `json:"symbol"`      // default "BC-SNV"
	Number     string    `json:"number"`      // default empty: assigned after signature
	Place      string    `json:"place"`       // default: the owner's name without "UBND tỉnh"
	Date       time.Time `json:"date"`        // default: compile time, in Vietnam
	KinhGui    []string  `json:"kinh_gui"`    // default: the owner
	NoiNhan    []string  `json:"noi_nhan"`
	Authority  string    `json:"authority"` // default "KT. GIÁM ĐỐC"
	Position   string    `json:"position"`  // default "PHÓ GIÁM ĐỐC"
	Signer     string    `json:"signer"`
}

func (l Letterhead) withDefaults(s *Summary) Letterhead {
	if l.ParentBody == "" && s.Province.Name != "" && s.Province.Code != s.Owner.Code {
		l.ParentBody = strings.ToUpper(s.Province.Name)
	}
	if l.Body == "" {
		l.Body = "SỞ NỘI VỤ"
		if s.Owner.Kind == "department" && s.Owner.Name != "" {
			l.Body = strings.ToUpper(s.Owner.Name)
		}
	}
	if l.Symbol == "" {
		l.Symbol = "BC-SNV"
	}
	if l.Place == "" {
		// A wrong place is worse than a visible gap in a draft.
		l.Place = PlaceOf(s.Province.Name)
	}
	if l.Date.IsZero() {
		l.Date = s.CompiledAt.In(time.FixedZone("ICT", 7*3600))
	}
	if len(l.KinhGui) == 0 {
		if s.Province.Name != "" && s.Province.Code != s.Owner.Code {
			l.KinhGui = []string{s.Province.Name}
		} else {
			l.KinhGui = []string{"Ủy ban nhân dân tỉnh"}
		}
	}
	if len(l.NoiNhan) == 0 {
		l.NoiNhan = []string{"Như trên", "Ban Dân vận Tỉnh ủy", "Lưu: VT, XDCQ"}
	}
	if l.Authority == "" {
		l.Authority = "KT. GIÁM ĐỐC"
	}
	if l.Position == "" {
		l.Position = "PHÓ GIÁM ĐỐC"
	}
	return l
}

// PlaceOf returns the địa danh of a province's UBND name ("UBND tỉnh
// Quảng Ngãi" → "Quảng Ngãi"), or "……" to fill in when unknown.
func PlaceOf(province string) string {
	p := strings.TrimSpace(province)
	for _, prefix := range []string{"UBND tỉnh ", "Ủy ban nhân dân tỉnh ", "UBND thành phố ", "Ủy ban nhân dân thành phố ", "UBND "} {
		p = strings.TrimPrefix(p, prefix)
	}
	if p == "" {
		return "……"
	}
	return p
}

// Docx renders the summary as a Báo cáo in the Nghị định 30/2020 layout.
// The text sections are a draft the agency edits in Word; figures and
// tables are exact. It returns an error only when the document cannot be
// assembled.
func Docx(s *Summary, l Letterhead) ([]byte, error) {
	l = l.withDefaults(s)
	subject := fmt.Sprintf("Kết quả công tác dân vận chính quyền năm %d", s.Year)
	d := &wordml.Doc{Title: subject, Created: s.CompiledAt}
	if err := d.AddHeader(wordml.Header{ParentBody: l.ParentBody, Body: l.Body, Number: l.Number, Symbol: l.Symbol,
		Place: l.Place, Date: l.Date, Kind: "BÁO CÁO", Subject: subject}); err != nil {
		return nil, err
	}
	d.AddKinhGui(l.KinhGui)
	d.Add(wordml.Text(fmt.Sprintf("Thực hiện %s, trên cơ sở báo cáo của %d/%d cơ quan, đơn vị, địa phương, %s báo cáo kết quả công tác dân vận chính quyền năm %d như sau:",
		s.Title, s.Reported, s.InScope, titleCase(l.Body), s.Year)))

	d.Heading(0, "I", "Kết quả thực hiện")
	d.Heading(1, "I", "Tình hình báo cáo của các cơ quan, đơn vị")
	d.Add(wordml.Text(fmt.Sprintf("Số đơn vị đã báo cáo: %d/%d. Đơn vị chưa báo cáo: %s. Đơn vị báo cáo trễ hạn: %s.",
		s.Reported, s.InScope, list(s.NotReported, s), list(s.ReportedLate, s))))
	d.Heading(1, "II", "Kết quả chủ yếu")
	n := 0
	for _, f := range s.Figures {
		if f.Total == nil {
			continue
		}
		n++
		text := fmt.Sprintf("%s: %s %s", f.Name, Num(*f.Total), f.Unit)
		if f.Change != nil {
			text += fmt.Sprintf(" (so với cùng kỳ năm trước: %s)", signed(*f.Change))
		}
		d.Add(wordml.Para{Indent: true, Align: wordml.Justify, SpaceAfter: 3, Runs: []wordml.Run{{Text: "- " + text + "."}}})
	}
	if n == 0 {
		d.Add(wordml.Text("Chưa có báo cáo nào được chấp nhận có số liệu."))
	}
	d.Add(wordml.Text("Số liệu chi tiết theo khối và tổng hợp tại Phụ lục I kèm theo Báo cáo này."))
	d.Heading(1, "III", "Phong trào thi đua \"Dân vận khéo\"")
	d.Add(wordml.Text(fmt.Sprintf("Đơn vị chưa đăng ký mô hình: %s. Đơn vị có mô hình được công nhận: %s.",
		list(s.WithoutModel, s), recognised(s))))
	d.Heading(1, "IV", "Công tác kiểm tra")
	if len(s.Inspections) == 0 {
		d.Add(wordml.Text("Trong kỳ chưa tổ chức kiểm tra."))
	}
	for _, in := range s.Inspections {
		d.Add(wordml.Text(fmt.Sprintf("%s%s: kiểm tra %d đơn vị, đã lập biên bản %d đơn vị; %d kiến nghị, còn %d kiến nghị chưa hoàn thành khắc phục%s.",
			in.Title, numberSuffix(in.Number), len(in.Units), len(in.Recorded), in.Actions, len(in.OpenActions), openList(in))))
	}
	d.Heading(1, "V", "Đánh giá, phân loại")
	if s.Board.CriteriaSet == "" {
		d.Add(wordml.Text("Chưa chọn bộ tiêu chí đánh giá cho chu kỳ này."))
	} else {
		counts := map[string]int{}
		for _, r := range s.Board.Results {
			counts[r.GradeLabel]++
		}
		var parts []string
		for _, blk := range s.Board.Publication.Blocks {
			for _, g := range blk.Grades {
				if len(g.Units) > 0 {
					parts = append(parts, fmt.Sprintf("%s %s: %d", TierLabel[tierOf(blk.Block)], strings.ToLower(g.Label), len(g.Units)))
				}
			}
		}
		d.Add(wordml.Text(fmt.Sprintf("Đánh giá theo bộ tiêu chí %s: %s. Kết quả chi tiết tại Phụ lục II.", s.Board.CriteriaSet, strings.Join(parts, "; "))))
		if s.Board.Example {
			d.Add(wordml.Text("Lưu ý: bộ tiêu chí đang dùng là BỘ VÍ DỤ, cần thay bằng quyết định của tỉnh trước khi công bố kết quả."))
		}
	}
	d.Heading(0, "II", "Đánh giá chung, phương hướng")
	d.Add(wordml.Text("(Dự thảo: cơ quan thường trực bổ sung ưu điểm, hạn chế, nguyên nhân và phương hướng, nhiệm vụ năm tới.)"))
	if err := d.AddSignature(wordml.Signature{Recipients: l.NoiNhan, Authority: l.Authority, Position: l.Position, Name: l.Signer}); err != nil {
		return nil, err
	}

	attached := fmt.Sprintf("Kèm theo Báo cáo số %s ngày %s của %s", strings.TrimPrefix(wordml.NumberLine(l.Number, l.Symbol), "Số: "),
		strings.TrimPrefix(wordml.DateInWords("", l.Date), "ngày "), titleCase(l.Body))
	d.AddAppendixTitle("I", "Tổng hợp số liệu kết quả công tác dân vận chính quyền năm "+strconv.Itoa(s.Year), attached)
	if err := figureTable(d, s); err != nil {
		return nil, err
	}
	d.AddAppendixTitle("II", "Kết quả đánh giá, phân loại và thực hiện nhiệm vụ đúng hạn", attached)
	if err := scoreTable(d, s); err != nil {
		return nil, err
	}
	return d.Bytes()
}

func figureTable(d *wordml.Doc, s *Summary) error {
	var tiers []string
	for _, t := range Tiers {
		if _, ok := s.ByTier[t]; ok {
			tiers = append(tiers, t)
		}
	}
	// Column widths in twips; the indicator's name takes what is left.
	fixed := 600 + 900 + 950 + 950 + 850 + 850*len(tiers)
	widths := []int{600, wordml.TextWidth - fixed, 900}
	head := []wordml.Cell{h("STT"), h("Chỉ tiêu"), h("Đơn vị tính")}
	for _, t := range tiers {
		widths = append(widths, 850)
		head = append(head, h(TierLabel[t]))
	}
	widths = append(widths, 950, 950, 850)
	head = append(head, h("Tổng"), h("Cùng kỳ"), h("Tăng (+), giảm (-)"))
	t := wordml.Table{Borders: true, HeaderRows: 1, Widths: widths, Rows: [][]wordml.Cell{head}}
	for i, f := range s.Figures {
		row := []wordml.Cell{c(strconv.Itoa(i+1), wordml.Center), c(f.Name, wordml.Left), c(f.Unit, wordml.Center)}
		for _, tier := range tiers {
			row = append(row, c(opt(f.ByTier, tier), wordml.Right))
		}
		row = append(row, c(optp(f.Total), wordml.Right), c(optp(f.Previous), wordml.Right), c(signedp(f.Change), wordml.Right))
		t.Rows = append(t.Rows, row)
	}
	return d.AddTable(t)
}

func scoreTable(d *wordml.Doc, s *Summary) error {
	names := map[string]string{}
	for _, u := range s.Units {
		names[u.Unit] = u.Name
	}
	tl := map[string][5]int{}
	for _, e := range s.Board.Timeliness {
		tl[e.Unit] = [5]int{e.Assigned, e.OnTime, e.Late, e.NotDone, e.Open}
	}
	widths := []int{600, 0, 900, 900, 1500, 700, 700, 700, 700}
	sum := 0
	for _, w := range widths {
		sum += w
	}
	widths[1] = wordml.TextWidth - sum
	t := wordml.Table{Borders: true, HeaderRows: 1, Widths: widths, Rows: [][]wordml.Cell{{h("STT"), h("Đơn vị"), h("Tự chấm"), h("Thẩm định"),
		h("Xếp loại"), h("Nhiệm vụ giao"), h("Đúng hạn"), h("Trễ hạn"), h("Chưa thực hiện")}}}
	i := 0
	row := func(unit, self, appr, grade string) {
		i++
		e := tl[unit]
		t.Rows = append(t.Rows, []wordml.Cell{c(strconv.Itoa(i), wordml.Center), c(orCode(names[unit], unit), wordml.Left), c(self, wordml.Right), c(appr, wordml.Right),
			c(grade, wordml.Center), c(strconv.Itoa(e[0]), wordml.Right), c(strconv.Itoa(e[1]), wordml.Right), c(strconv.Itoa(e[2]), wordml.Right), c(strconv.Itoa(e[3]), wordml.Right)})
	}
	if len(s.Board.Results) > 0 {
		for _, r := range s.Board.Results {
			g := r.GradeLabel
			if r.CappedDown {
				g += " (hạ do giới hạn tỷ lệ)"
			}
			row(r.Unit, Num(r.SelfTotal), Num(r.AppraisedTotal), g)
		}
	} else {
		for _, u := range s.Units {
			row(u.Unit, "", "", "")
		}
	}
	return d.AddTable(t)
}

func h(s string) wordml.Cell        { return wordml.C(s, 11, true, wordml.Center) }
func c(s, align string) wordml.Cell { return wordml.C(s, 11, false, align) }

func orCode(name, code string) string {
	if name == "" {
		return code
	}
	return name
}

func opt(m map[string]float64, k string) string {
	if v, ok := m[k]; ok {
		return Num(v)
	}
	return ""
}

func optp(v *float64) string {
	if v == nil {
		return ""
	}
	return Num(*v)
}

func signedp(v *float64) string {
	if v == nil {
		return ""
	}
	return signed(*v)
}

func signed(v float64) string {
	if v > 0 {
		return "+" + Num(v)
	}
	return Num(v)
}

// Num writes v the Vietnamese way: "." between thousands, "," before
// decimals, at most two decimals.
func Num(v float64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatFloat(round(v, 2), 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "," + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

func list(codes []string, s *Summary) string {
	if len(codes) == 0 {
		return "không có"
	}
	names := map[string]string{}
	for _, u := range s.Units {
		names[u.Unit] = u.Name
	}
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = orCode(names[c], c)
	}
	return strings.Join(out, ", ")
}

func recognised(s *Summary) string {
	var codes []string
	for _, u := range s.Units {
		if n := s.ModelsRecognised[u.Unit]; n > 0 {
			codes = append(codes, fmt.Sprintf("%s (%d)", orCode(u.Name, u.Unit), n))
		}
	}
	if len(codes) == 0 {
		return "không có"
	}
	return strings.Join(codes, ", ")
}

func numberSuffix(n string) string {
	if n == "" {
		return ""
	}
	return " (số " + n + ")"
}

// titleCase turns "SỞ NỘI VỤ" into "Sở Nội vụ" for use inside a sentence.
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if i < 2 {
			r := []rune(w)
			words[i] = strings.ToUpper(string(r[0])) + string(r[1:])
		}
	}
	return strings.Join(words, " ")
}

// openList names the units with open actions, for the inspection line.
func openList(in inspections.Summary) string {
	seen := map[string]bool{}
	var units []string
	for _, a := range in.OpenActions {
		if !seen[a.Unit] {
			seen[a.Unit] = true
			units = append(units, a.Unit)
		}
	}
	if len(units) == 0 {
		return ""
	}
	return " (" + strings.Join(units, ", ") + ")"
}
