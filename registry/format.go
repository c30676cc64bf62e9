package registry

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/danvan/danvan"
	"github.com/danvan/danvan/search"
)

// relationVI names relations the way staff say them.
var relationVI = map[string]string{
	danvan.RelCanCu:    "căn cứ",
	danvan.RelThucHien: "thực hiện",
	danvan.RelThayThe:  "thay thế",
	danvan.RelDanChieu: "dẫn chiếu",
}

// WriteTable writes v for a person (`danvan docs show`): the document's
// identity, what it cites, what cites it and its anomalies. It returns the
// first write error.
func WriteTable(w io.Writer, v *DocumentView) error {
	ew := &errWriter{w: w}
	d := v.Document
	ew.printf("%s\n", title(d))
	if d.Subject != "" {
		ew.printf("  %s\n", d.Subject)
	}
	ew.printf("  id %d · ban hành: %s · ngày: %s · văn bản: %s\n",
		d.ID, orDash(d.Issuer), orDash(danvan.DateVI(d.Date)), map[bool]string{true: "đã nhập", false: "chỉ được dẫn chiếu"}[d.HasText])
	status := v.StatusVI
	if status == "" {
		status = danvan.StatusVI(d.Status)
	}
	ew.printf("  hiệu lực: %s\n", status)
	if d.SourceFile != "" {
		ew.printf("  tệp: %s\n", d.SourceFile)
	}
	if len(v.Validity) > 0 {
		ew.printf("\nVề hiệu lực của văn bản này (%d):\n", len(v.Validity))
		for _, x := range v.Validity {
			by := ""
			if x.By != nil {
				by = " bởi " + titleDated(x.By)
			}
			ew.printf("  %s%s — theo %s: «%s»\n", x.KindVI, by, titleDated(x.SaidBy), clip(x.Sentence, 200))
		}
	}
	if len(v.ValidityBy) > 0 {
		ew.printf("\nVăn bản này tác động đến hiệu lực của (%d):\n", len(v.ValidityBy))
		for _, x := range v.ValidityBy {
			ew.printf("  %s %s — theo %s: «%s»\n", x.KindVI, titleDated(x.Cited), titleDated(x.SaidBy), clip(x.Sentence, 200))
		}
	}
	if len(v.Cites) > 0 {
		ew.printf("\nDẫn chiếu (%d):\n", len(v.Cites))
		writeRelations(ew, v.Cites)
	}
	ew.printf("\nĐược dẫn chiếu bởi (%d):\n", len(v.CitedBy))
	if len(v.CitedBy) == 0 {
		ew.printf("  (không có)\n")
	}
	writeRelations(ew, v.CitedBy)
	if len(v.Anomalies) > 0 {
		ew.printf("\nBất thường (%d):\n", len(v.Anomalies))
		for _, a := range v.Anomalies {
			msg := a.MessageVI
			if msg == "" {
				msg = a.Message
			}
			ew.printf("  ! %s\n", msg)
		}
	}
	return ew.err
}

func writeRelations(ew *errWriter, rels []danvan.Relation) {
	tw := tabwriter.NewWriter(ew, 0, 2, 2, ' ', 0)
	for _, r := range rels {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t×%d\t%s\n", relationVI[r.Type], title(r.Other), orDash(danvan.DateVI(r.Other.Date)),
			r.Mentions, clip(oneLine(r.Raw), 90))
	}
	_ = tw.Flush() // errors land in ew
}

// WriteResults writes search results for a person (`danvan search`): one
// line per hit with its number, type, date, issuer, cited-by count and
// subject, then the snippet with <mark> shown as [ ]. It returns the first
// write error.
func WriteResults(w io.Writer, r *search.Result) error {
	ew := &errWriter{w: w}
	ew.printf("%d kết quả (%.1f ms)\n", r.Total, r.TookMS)
	tw := tabwriter.NewWriter(ew, 0, 2, 2, ' ', 0)
	fmt.Fprintf(tw, "SỐ\tLOẠI\tNGÀY\tCƠ QUAN\tĐƯỢC DẪN\tHIỆU LỰC\tTRÍCH YẾU\n")
	for _, h := range r.Hits {
		num := h.Number
		if num == "" {
			num = h.Name
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", clip(num, 40), orDash(h.Type), orDash(danvan.DateVI(h.Date)),
			clip(orDash(h.Issuer), 30), h.CitedBy, danvan.StatusVI(h.Status), clip(oneLine(h.Subject), 70))
	}
	_ = tw.Flush()
	for _, h := range r.Hits {
		if h.Snippet != "" {
			label := h.Number
			if label == "" {
				label = clip(h.Name, 40)
			}
			ew.printf("\n%s: %s\n", orDash(label), clip(PlainSnippet(h.Snippet), 300))
		}
	}
	return ew.err
}

// WriteImportReport writes one line per input and a total. It returns the
// first write error.
func WriteImportReport(w io.Writer, r *ImportReport) error {
	ew := &errWriter{w: w}
	for _, f := range r.Files {
		switch {
		case f.Imported && f.Error == nil:
			id := f.Type + " " + f.Number
			if f.Number == "" {
				id = clip(f.Name, 80) + " (không số)"
			}
			ew.printf("✓ %s: %s — %d văn bản được dẫn, %d lần nhắc, %d bất thường\n",
				f.File, id, f.Citations, f.Mentions, f.Anomalies)
		case f.Imported:
			ew.printf("~ %s: %s %s — %s\n", f.File, f.Type, f.Number, f.Error.Error())
		default:
			ew.printf("✗ %s: %s\n", f.File, f.Error.Error())
		}
	}
	ew.printf("%d đã nhập, %d lỗi\n", r.Imported, r.Failed)
	return ew.err
}

var (
	markRE   = regexp.MustCompile(`</?mark>`)
	entityRE = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`)
)

// PlainSnippet turns an HTML snippet into terminal text: <mark>x</mark>
// becomes [x] and entities are decoded.
func PlainSnippet(s string) string {
	s = markRE.ReplaceAllStringFunc(s, func(m string) string {
		if m == "<mark>" {
			return "["
		}
		return "]"
	})
	return entityRE.Replace(s)
}

func title(d *danvan.Document) string {
	if d == nil {
		return "-"
	}
	return d.Title()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// errWriter keeps the first write error so formatting code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
