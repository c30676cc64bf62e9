// Package wordml writes .docx files: a small WordprocessingML generator of
// our own, because no well-kept Go library writes them. The fixed parts
// (content types, relationships, styles, the page-number header) are
// templates; the document body is built by code from paragraphs and tables.
// Page setup follows Nghị định 30/2020/NĐ-CP: A4, margins top and bottom
// 20 mm, left 30 mm, right 15 mm, Times New Roman, page numbers centred in
// the top margin and not shown on page 1.
package wordml

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"time"
)

// Alignments.
const (
	Left    = "left"
	Center  = "center"
	Right   = "right"
	Justify = "both"
)

// Run is text with one formatting. Size is in points (0 = the 14 pt
// default).
type Run struct {
	Text      string
	Bold      bool
	Italic    bool
	Underline bool
	Size      float64
	// Break puts a line break before the text.
	Break bool
}

// Para is a paragraph. Indent gives the first line the 1 cm indent of body
// text; SpaceAfter is in points (the decree asks for at least 6 between
// body paragraphs).
type Para struct {
	Runs            []Run
	Align           string
	Indent          bool
	SpaceBefore     float64
	SpaceAfter      float64
	KeepNext        bool
	PageBreakBefore bool
	// Rule draws a short line under the paragraph, as under the issuing
	// body's name; RuleIndent (twips) narrows it from both sides.
	Rule       bool
	RuleIndent int
}

// Text returns a paragraph of one plain run.
func Text(s string) Para {
	return Para{Runs: []Run{{Text: s}}, Align: Justify, Indent: true, SpaceAfter: 6}
}

// Cell is a table cell; Span > 1 merges it with the next cells of its row.
type Cell struct {
	Paras []Para
	Span  int
}

// C returns a cell holding one paragraph with text s in size pt; bold sets
// the run bold.
func C(s string, size float64, bold bool, align string) Cell {
	return Cell{Paras: []Para{{Runs: []Run{{Text: s, Bold: bold, Size: size}}, Align: align}}}
}

// Table is a grid. Widths are column widths in twips (1 mm ≈ 56.7);
// HeaderRows repeat on every page.
type Table struct {
	Widths     []int
	Rows       [][]Cell
	Borders    bool
	HeaderRows int
}

// Doc is a document being built.
type Doc struct {
	body  strings.Builder
	Title string
	// Created goes into the core properties; zero means now.
	Created time.Time
}

// Add appends paragraphs.
func (d *Doc) Add(ps ...Para) {
	for _, p := range ps {
		writePara(&d.body, p)
	}
}

// AddTable appends t. It returns an error when a row's cells do not fill
// the columns, since Word would show a broken grid.
func (d *Doc) AddTable(t Table) error {
	b := &d.body
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>`)
	if t.Borders {
		b.WriteString(`<w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
		}
		b.WriteString(`</w:tblBorders>`)
	}
	b.WriteString(`<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for _, w := range t.Widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	for i, row := range t.Rows {
		cols := 0
		for _, c := range row {
			cols += max(c.Span, 1)
		}
		if cols != len(t.Widths) {
			return fmt.Errorf("table row %d has %d columns, the table %d", i, cols, len(t.Widths))
		}
		b.WriteString(`<w:tr>`)
		if i < t.HeaderRows {
			b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		} else {
			b.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		col := 0
		for _, c := range row {
			span := max(c.Span, 1)
			w := 0
			for k := col; k < col+span; k++ {
				w += t.Widths[k]
			}
			col += span
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, w)
			if span > 1 {
				fmt.Fprintf(b, `<w:gridSpan w:val="%d"/>`, span)
			}
			b.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
			if len(c.Paras) == 0 {
				c.Paras = []Para{{}}
			}
			for _, p := range c.Paras {
				writePara(b, p)
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	// Word needs a paragraph between two tables and at the end of a cell
	// or body; an empty small one keeps the layout.
	writePara(b, Para{Runs: []Run{{Text: "", Size: 6}}})
	return nil
}

func writePara(b *strings.Builder, p Para) {
	b.WriteString(`<w:p><w:pPr>`)
	if p.KeepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	if p.PageBreakBefore {
		b.WriteString(`<w:pageBreakBefore/>`)
	}
	if p.Rule {
		b.WriteString(`<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	fmt.Fprintf(b, `<w:spacing w:before="%d" w:after="%d"/>`, int(p.SpaceBefore*20), int(p.SpaceAfter*20))
	switch {
	case p.Indent:
		b.WriteString(`<w:ind w:firstLine="567"/>`)
	case p.Rule && p.RuleIndent > 0:
		fmt.Fprintf(b, `<w:ind w:left="%d" w:right="%d"/>`, p.RuleIndent, p.RuleIndent)
	}
	if p.Align != "" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, p.Align)
	}
	b.WriteString(`</w:pPr>`)
	for _, r := range p.Runs {
		b.WriteString(`<w:r><w:rPr>`)
		if r.Bold {
			b.WriteString(`<w:b/>`)
		}
		if r.Italic {
			b.WriteString(`<w:i/>`)
		}
		if r.Underline {
			b.WriteString(`<w:u w:val="single"/>`)
		}
		if r.Size > 0 {
			fmt.Fprintf(b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, int(r.Size*2), int(r.Size*2))
		}
		b.WriteString(`</w:rPr>`)
		if r.Break {
			b.WriteString(`<w:br/>`)
		}
		for i, line := range strings.Split(r.Text, "\n") {
			if i > 0 {
				b.WriteString(`<w:br/>`)
			}
			fmt.Fprintf(b, `<w:t xml:space="preserve">%s</w:t>`, Escape(line))
		}
		b.WriteString(`</w:r>`)
	}
	b.WriteString(`</w:p>`)
}

// Escape makes s safe as XML character data, dropping characters XML 1.0
// cannot hold (control characters a pasted text may carry).
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 && r <= 0x10FFFF:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Bytes returns the .docx package.
func (d *Doc) Bytes() ([]byte, error) {
	created := d.Created
	if created.IsZero() {
		created = time.Now()
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", fmt.Sprintf(coreProps, Escape(d.Title), created.UTC().Format(time.RFC3339), created.UTC().Format(time.RFC3339))},
		{"docProps/app.xml", appProps},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", styles},
		{"word/settings.xml", settings},
		{"word/header1.xml", headerPageNumber},
		{"word/header2.xml", headerEmpty},
		{"word/document.xml", documentHead + d.body.String() + sectPr + `</w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
