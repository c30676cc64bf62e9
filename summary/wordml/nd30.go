package wordml

import (
	"fmt"
	"strings"
	"time"
)

// TextWidth is the width between the decree's margins on A4, in twips.
const TextWidth = 11906 - 1701 - 851

// Header is the first-page block of an administrative document under
// Nghị định 30/2020 (boxes 1–5 of its layout).
type Header struct {
	ParentBody string // ô 2, cơ quan chủ quản, e.g. "UBND TỈNH QUẢNG NGÃI"; optional
	Body       string // ô 2, cơ quan ban hành, e.g. "SỞ NỘI VỤ"
	// Number is left empty until the document is signed: the decree has
	// numbers assigned after signature, so the box reads "Số:   /BC-SNV".
	Number  string
	Symbol  string // e.g. "BC-SNV"
	Place   string // địa danh
	Date    time.Time
	Kind    string // tên loại, e.g. "BÁO CÁO"
	Subject string // trích yếu
}

// DateInWords renders "<place>, ngày DD tháng M năm YYYY": days below 10
// and the months 1 and 2 get a leading zero, as the decree's examples do.
func DateInWords(place string, d time.Time) string {
	m := fmt.Sprint(int(d.Month()))
	if d.Month() <= 2 {
		m = fmt.Sprintf("%02d", int(d.Month()))
	}
	s := fmt.Sprintf("ngày %02d tháng %s năm %d", d.Day(), m, d.Year())
	if place == "" {
		return s
	}
	return place + ", " + s
}

// NumberLine renders box 3: "Số: 12/BC-SNV", or "Số:      /BC-SNV" when
// the number is not yet assigned; numbers below 10 get a leading zero.
func NumberLine(number, symbol string) string {
	if number == "" {
		return "Số:        /" + symbol
	}
	if len(number) == 1 && number[0] >= '1' && number[0] <= '9' {
		number = "0" + number
	}
	return "Số: " + number + "/" + symbol
}

// AddHeader writes boxes 1–5: a two-column borderless table (issuing body
// and number on the left; quốc hiệu, tiêu ngữ, place and date on the right)
// and then the document kind and trích yếu centred.
func (d *Doc) AddHeader(h Header) error {
	left := []Para{}
	if h.ParentBody != "" {
		left = append(left, Para{Align: Center, Runs: []Run{{Text: strings.ToUpper(h.ParentBody), Size: 13}}})
	}
	left = append(left,
		Para{Align: Center, Rule: true, RuleIndent: 1100, Runs: []Run{{Text: strings.ToUpper(h.Body), Bold: true, Size: 13}}},
		Para{Align: Center, SpaceBefore: 6, Runs: []Run{{Text: NumberLine(h.Number, h.Symbol), Size: 13}}})
	right := []Para{
		{Align: Center, Runs: []Run{{Text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Bold: true, Size: 13}}},
		{Align: Center, Runs: []Run{{Text: "Độc lập - Tự do - Hạnh phúc", Bold: true, Underline: true, Size: 14}}},
		{Align: Center, SpaceBefore: 6, Runs: []Run{{Text: DateInWords(h.Place, h.Date), Italic: true, Size: 14}}},
	}
	if err := d.AddTable(Table{Widths: []int{3800, TextWidth - 3800}, Rows: [][]Cell{{{Paras: left}, {Paras: right}}}}); err != nil {
		return err
	}
	d.Add(Para{Align: Center, SpaceBefore: 12, Runs: []Run{{Text: strings.ToUpper(h.Kind), Bold: true, Size: 14}}},
		Para{Align: Center, Rule: true, RuleIndent: 2200, SpaceAfter: 12, Runs: []Run{{Text: h.Subject, Bold: true, Size: 14}}})
	return nil
}

// AddKinhGui writes box 9a: one recipient on the line, several one per
// line, "- …;" and the last ending with ".".
func (d *Doc) AddKinhGui(to []string) {
	if len(to) == 0 {
		return
	}
	if len(to) == 1 {
		d.Add(Para{Align: Center, SpaceAfter: 12, Runs: []Run{{Text: "Kính gửi: " + strings.TrimRight(to[0], ".;") + "."}}})
		return
	}
	d.Add(Para{Align: Center, Runs: []Run{{Text: "Kính gửi:"}}})
	for i, r := range to {
		end := ";"
		if i == len(to)-1 {
			end = "."
		}
		d.Add(Para{Align: Center, SpaceAfter: 0, Runs: []Run{{Text: "- " + strings.TrimRight(r, ".;") + end}}})
	}
	d.Add(Para{SpaceAfter: 6})
}

// Signature is box 7 and 9b: the recipients on the left, the signer's
// authority (TM./KT.), position and name on the right.
type Signature struct {
	Recipients []string // "Như trên", …; the last should be "Lưu: VT, …"
	Authority  string   // e.g. "KT. GIÁM ĐỐC" or "TM. ỦY BAN NHÂN DÂN"
	Position   string   // e.g. "PHÓ GIÁM ĐỐC"
	Name       string
}

// AddSignature writes the Nơi nhận list and the signature block side by
// side.
func (d *Doc) AddSignature(s Signature) error {
	left := []Para{{Runs: []Run{{Text: "Nơi nhận:", Bold: true, Italic: true, Size: 12}}}}
	for i, r := range s.Recipients {
		end := ";"
		if i == len(s.Recipients)-1 {
			end = "."
		}
		left = append(left, Para{Runs: []Run{{Text: "- " + strings.TrimRight(r, ".;") + end, Size: 11}}})
	}
	right := []Para{}
	if s.Authority != "" {
		right = append(right, Para{Align: Center, Runs: []Run{{Text: strings.ToUpper(s.Authority), Bold: true, Size: 14}}})
	}
	right = append(right, Para{Align: Center, Runs: []Run{{Text: strings.ToUpper(s.Position), Bold: true, Size: 14}}},
		Para{Align: Center, SpaceBefore: 72, Runs: []Run{{Text: s.Name, Bold: true, Size: 14}}})
	return d.AddTable(Table{Widths: []int{4400, TextWidth - 4400}, Rows: [][]Cell{{{Paras: left}, {Paras: right}}}})
}

// AddAppendixTitle starts an appendix on a new page: "Phụ lục I", its title
// in capitals and the italic "(Kèm theo …)" line.
func (d *Doc) AddAppendixTitle(number, title, attachedTo string) {
	d.Add(Para{Align: Center, PageBreakBefore: true, Runs: []Run{{Text: "Phụ lục " + number, Bold: true, Size: 14}}},
		Para{Align: Center, Runs: []Run{{Text: strings.ToUpper(title), Bold: true, Size: 13}}},
		Para{Align: Center, SpaceAfter: 12, Runs: []Run{{Text: "(" + attachedTo + ")", Italic: true, Size: 13}}})
}

// Heading writes a body heading: level 0 is "Phần I" and its title on its
// own line, level 1 "I. TITLE" in capitals, level 2 "1. Title" bold.
func (d *Doc) Heading(level int, number, title string) {
	switch level {
	case 0:
		d.Add(Para{Align: Center, SpaceBefore: 12, KeepNext: true, Runs: []Run{{Text: "Phần " + number, Bold: true}}},
			Para{Align: Center, SpaceAfter: 6, KeepNext: true, Runs: []Run{{Text: strings.ToUpper(title), Bold: true}}})
	case 1:
		d.Add(Para{Indent: true, SpaceBefore: 6, SpaceAfter: 6, KeepNext: true, Align: Justify, Runs: []Run{{Text: number + ". " + strings.ToUpper(title), Bold: true}}})
	default:
		d.Add(Para{Indent: true, SpaceAfter: 6, KeepNext: true, Align: Justify, Runs: []Run{{Text: number + ". " + title, Bold: true}}})
	}
}
