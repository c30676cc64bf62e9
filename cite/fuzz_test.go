package cite

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzExtract checks that Extract never panics, that every string it
// returns is valid UTF-8 and that every span lies inside the input.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh về dân vận",
		"Số: 3235/QĐ-UBND\nSơn La, ngày 18 tháng 12 năm 2017\nCăn cứ Luật Tổ chức chính quyền địa phương năm 2015;",
		"12-CTrPH/BDVTU-BCSĐUBND 19^A/QĐ-UBND 1229-KH-VP 04/2015/NĐ-CP 10/2022/QH15 834/QĐ- UBND",
		"dân\n\n¹ Quyết định số 1/QĐ-UBND\n\ncư về x", "Nghị quyết Trung ương IV (khóa XII) về",
		"\xff\xfe 1/A- 2/B/ 3-C 4/2020/ ngày 31/4/2019 của (",
	} {
		f.Add(s)
	}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) > 4000 {
			f.Add(string(b[:4000]))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := Extract(text, Options{})
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(b) {
			t.Fatalf("invalid UTF-8 in JSON %q", b)
		}
		check := func(s string) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q", s)
			}
		}
		if d := r.Document; d != nil {
			for _, s := range []string{d.Number, d.Type, d.TypeCode, d.Date, d.Issuer, d.IssuerCode} {
				check(s)
			}
		}
		for _, c := range r.Citations {
			for _, s := range []string{c.Kind, c.Number, c.Type, c.TypeCode, c.Issuer, c.IssuerCode,
				c.FirstMention, deref(c.Subject), deref(c.Name), deref(c.Date)} {
				check(s)
			}
			for _, s := range c.DatesSeen {
				check(s)
			}
			for _, a := range c.Anomalies {
				check(a.Code)
				check(a.Message)
			}
			if c.Mentions != len(c.MentionList) || c.Mentions == 0 {
				t.Fatalf("mentions %d, list %d", c.Mentions, len(c.MentionList))
			}
			for _, m := range c.MentionList {
				if m.Start < 0 || m.End > len(text) || m.Start > m.End {
					t.Fatalf("span [%d,%d) outside %d bytes", m.Start, m.End, len(text))
				}
				if m.Raw != text[m.Start:m.End] {
					t.Fatalf("raw %q is not text[%d:%d]", m.Raw, m.Start, m.End)
				}
				for _, s := range []string{m.Text, m.Number, m.TypeWord, m.DateRaw, m.Issuer, m.Subject, m.Relation} {
					check(s)
				}
			}
		}
	})
}
