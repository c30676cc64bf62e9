package summary

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the .xlsx export.
const (
	SheetFigures    = "So lieu"
	SheetTimeliness = "Dung han"
	SheetScores     = "Xep loai"
)

// Xlsx renders the summary as a workbook: figures per unit with a subtotal
// row per tier and the total (rates recomputed, never averaged), task
// timeliness per unit, and scores and grades. Cells hold numbers, not
// text, so the agency can compute on them. It returns an error only when
// the workbook cannot be written.
func Xlsx(s *Summary, cat *Catalogue) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", SheetFigures); err != nil {
		return nil, err
	}
	keys := cat.Keys()
	head := []any{"Mã đơn vị", "Đơn vị", "Khối"}
	for _, k := range keys {
		name, unit := cat.Name(k)
		head = append(head, fmt.Sprintf("%s (%s) [%s]", name, unit, k))
	}
	var writers []*sheetWriter
	w := &sheetWriter{f: f, sheet: SheetFigures}
	writers = append(writers, w)
	w.row(bold, head...)
	for _, tier := range Tiers {
		n := 0
		for _, u := range s.Units {
			if tierOf(u.Kind) != tier {
				continue
			}
			n++
			w.row(0, append([]any{u.Unit, u.Name, TierLabel[tier]}, values(keys, u.Figures)...)...)
		}
		if n > 0 {
			w.row(bold, append([]any{"", "Cộng " + TierLabel[tier], TierLabel[tier]}, values(keys, s.ByTier[tier])...)...)
		}
	}
	w.row(bold, append([]any{"", "TỔNG CỘNG", ""}, values(keys, s.Totals)...)...)
	_ = f.SetColWidth(SheetFigures, "B", "B", 40)
	_ = f.SetPanes(SheetFigures, &excelize.Panes{Freeze: true, XSplit: 3, YSplit: 1, TopLeftCell: "D2", ActivePane: "bottomRight"})

	if _, err := f.NewSheet(SheetTimeliness); err != nil {
		return nil, err
	}
	w = &sheetWriter{f: f, sheet: SheetTimeliness}
	writers = append(writers, w)
	w.row(bold, "Mã đơn vị", "Nhiệm vụ được giao", "Hoàn thành đúng hạn", "Hoàn thành trễ hạn", "Chưa thực hiện", "Chưa đến hạn")
	for _, e := range s.Board.Timeliness {
		w.row(0, e.Unit, e.Assigned, e.OnTime, e.Late, e.NotDone, e.Open)
	}

	if _, err := f.NewSheet(SheetScores); err != nil {
		return nil, err
	}
	w = &sheetWriter{f: f, sheet: SheetScores}
	writers = append(writers, w)
	w.row(bold, "Mã đơn vị", "Khối", "Điểm tự chấm", "Điểm tự động", "Điểm thẩm định", "Xếp loại theo điểm", "Xếp loại", "Hạ do giới hạn tỷ lệ", "Lý do")
	for _, r := range s.Board.Results {
		capped := ""
		if r.CappedDown {
			capped = "x"
		}
		reasons := ""
		for i, x := range r.Reasons {
			if i > 0 {
				reasons += "; "
			}
			reasons += x
		}
		w.row(0, r.Unit, TierLabel[tierOf(r.Block)], r.SelfTotal, r.AutoTotal, r.AppraisedTotal, r.GradeByTotal, r.GradeLabel, capped, reasons)
	}
	_ = f.SetColWidth(SheetScores, "I", "I", 80)
	for _, sw := range writers {
		if sw.err != nil {
			return nil, sw.err
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func values(keys []string, m map[string]float64) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		if v, ok := m[k]; ok {
			out[i] = v
		} else {
			out[i] = nil
		}
	}
	return out
}

type sheetWriter struct {
	f     *excelize.File
	sheet string
	n     int
	err   error
}

func (w *sheetWriter) row(style int, vals ...any) {
	w.n++
	cell, _ := excelize.CoordinatesToCellName(1, w.n)
	if err := w.f.SetSheetRow(w.sheet, cell, &vals); err != nil && w.err == nil {
		w.err = err
	}
	if style != 0 {
		end, _ := excelize.CoordinatesToCellName(len(vals), w.n)
		_ = w.f.SetCellStyle(w.sheet, cell, end, style)
	}
}
