package cite

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestExtract_NumberForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, number, typ, typeCode, issuerCode, issuer string
	}{
		{"state plan", "Thực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh.", "53/KH-UBND", "Kế hoạch", "KH", "UBND", "UBND tỉnh"},
		{"directive without số", "theo Chỉ thị 33/CT-TTg.", "33/CT-TTg", "Chỉ thị", "CT", "TTg", "Thủ tướng Chính phủ"},
		{"submission", "(Tờ trình số 1495/TTr-VP ngày 31/8/2022)", "1495/TTr-VP", "Tờ trình", "TTr", "VP", "Văn phòng UBND tỉnh"},
		{"normative decree", "Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ;", "04/2015/NĐ-CP", "Nghị định", "NĐ", "CP", "Chính phủ"},
		{"normative decision", "Quyết định số 48/2021/QĐ-UBND.", "48/2021/QĐ-UBND", "Quyết định", "QĐ", "UBND", "UBND tỉnh"},
		{"letter", "Công văn số 1787/SNV-XDCQ ngày 04/11/2022.", "1787/SNV-XDCQ", "Công văn", "", "SNV", "Sở Nội vụ"},
		{"letter no division", "theo văn bản số 452/PNV.", "452/PNV", "Công văn", "", "PNV", "Phòng Nội vụ"},
		{"letter unknown issuer", "Công văn số 77/UBMT-BTT ngày 3/3/2022", "77/UBMT-BTT", "Công văn", "", "UBMT", ""},
		{"party resolution", "Nghị quyết số 25-NQ/TW ngày 03/6/2013.", "25-NQ/TW", "Nghị quyết", "NQ", "TW", "Ban Chấp hành Trung ương"},
		{"party joint issuers", "Chương trình phối hợp số 12-CTrPH/BDVTU-BCSĐUBND ngày 18/4/2017", "12-CTrPH/BDVTU-BCSĐUBND", "Chương trình phối hợp", "CTrPH", "BDVTU-BCSĐUBND", "Ban Dân vận Tỉnh ủy - Ban Cán sự Đảng UBND tỉnh"},
		{"party bloc", "Kế hoạch số 02-KH/KDV-UBND.", "02-KH/KDV-UBND", "Kế hoạch", "KH", "KDV-UBND", "Khối Dân vận - UBND tỉnh"},
		{"party regulation", "Quy định số 12-QĐ/TU.", "12-QĐ/TU", "Quy định", "QĐ", "TU", "Tỉnh ủy"},
		{"party decision by default", "theo 306-QĐ/TU.", "306-QĐ/TU", "Quyết định", "QĐ", "TU", "Tỉnh ủy"},
		{"law", "Luật số 10/2022/QH15 ngày 10/11/2022.", "10/2022/QH15", "Luật", "", "QH", "Quốc hội"},
		{"space after hyphen", "Quyết định số 834/QĐ- UBND ngày 10/4/2019", "834/QĐ-UBND", "Quyết định", "QĐ", "UBND", "UBND tỉnh"},
		{"caret suffix", "Quyết định số 19^A/QĐ-UBND ngày 02/01/2020", "19A/QĐ-UBND", "Quyết định", "QĐ", "UBND", "UBND tỉnh"},
		{"letter suffix", "Nghị quyết số 30a/2008/NQ-CP của Chính phủ", "30a/2008/NQ-CP", "Nghị quyết", "NQ", "CP", "Chính phủ"},
		{"action programme", "Chương trình hành động số 16-CTr/TU ngày 15/8/2013", "16-CTr/TU", "Chương trình hành động", "CTr", "TU", "Tỉnh ủy"},
		{"ascii QD alias", "Quyết định số 5/QD-UBND ngày 1/2/2020", "5/QD-UBND", "Quyết định", "QĐ", "UBND", "UBND tỉnh"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Extract(tc.text, Options{})
			requireEqual(t, 1, len(r.Citations), r.Citations)
			c := r.Citations[0]
			requireEqual(t, KindNumbered, c.Kind)
			requireEqual(t, tc.number, c.Number)
			requireEqual(t, tc.typ, c.Type)
			requireEqual(t, tc.typeCode, c.TypeCode)
			requireEqual(t, tc.issuerCode, c.IssuerCode)
			requireEqual(t, tc.issuer, c.Issuer)
		})
	}
}

func TestExtract_NotCitations(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"19/19 sở, ngành; 12/12 UBND huyện", "xếp thứ 56/63 tỉnh", "giai đoạn 2022-2025",
		"ngày 26/5/2022 tiến hành", "đạt 98%/năm", "Covid-19", "Lưu: VT, NC, (Hiệp.100b).",
		"Số: /BC-UBND", "các Nghị quyết, Chỉ thị của Đảng", "Nghị quyết Đại hội Đảng các cấp",
		"pháp luật của Nhà nước", "2/2022/abc", "tổ dân phố 5/KV2, phường 3",
	} {
		r := Extract(text, Options{})
		requireEqual(t, 0, len(r.Citations), text, r.Citations)
	}
}

func TestExtract_Dates(t *testing.T) {
	t.Parallel()
	tests := []struct{ text, raw, iso string }{
		{"Kế hoạch số 53/KH-UBND ngày 23/3/2022", "23/3/2022", "2022-03-23"},
		{"Quyết định số 02/QĐ-VP ngày 04/01/2022", "04/01/2022", "2022-01-04"},
		{"Chỉ thị số 16/CT-TTg ngày 16 tháng 5 năm 2016", "16 tháng 5 năm 2016", "2016-05-16"},
		{"Quyết định số 3/QĐ-UBND, ngày 18 tháng 12 năm 2017", "18 tháng 12 năm 2017", "2017-12-18"},
		{"Kế hoạch số 7/KH-UBND ngày 1-2-2021", "1-2-2021", "2021-02-01"},
		{"Quyết định số 1211/QĐ-UBND của UBND tỉnh ngày 02/11/2022", "02/11/2022", "2022-11-02"},
	}
	for _, tc := range tests {
		c := Extract(tc.text, Options{}).Citations[0]
		requireEqual(t, []string{tc.raw}, c.DatesSeen, tc.text)
		requireEqual(t, tc.iso, deref(c.Date), tc.text)
		requireEqual(t, tc.raw, c.MentionList[0].DateRaw)
	}
}

func TestExtract_LineAndPageBreaks(t *testing.T) {
	t.Parallel()
	text := "Thực hiện Kế hoạch số\n53/KH-UBND ngày 23/3/2022 của UBND tỉnh về thực hiện Quy chế dân\n\n" +
		"¹ Quyết định số 140/QĐ-UBND ngày 28/01/2022 về ban hành Kế hoạch.\n\n" +
		"chủ ở cơ sở năm 2022.\n\nKế hoạch số 54/KH-\nUBND ngày 1/4/2022."
	r := Extract(text, Options{})
	c := find(t, r, "53/KH-UBND")
	requireEqual(t, "về thực hiện Quy chế dân chủ ở cơ sở năm 2022", deref(c.Subject))
	m := c.MentionList[0]
	requireEqual(t, "Kế hoạch số\n53/KH-UBND ngày 23/3/2022 của UBND tỉnh", m.Raw)
	requireEqual(t, "Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh", m.Text)
	requireEqual(t, m.Raw, text[m.Start:m.End])
	f := find(t, r, "140/QĐ-UBND")
	requireEqual(t, "về ban hành Kế hoạch", deref(f.Subject))
	requireEqual(t, "2022-04-01", deref(find(t, r, "54/KH-UBND").Date))
	// Mentions are reported in text order even though footnotes are
	// scanned apart from the body.
	requireEqual(t, []string{"53/KH-UBND", "140/QĐ-UBND", "54/KH-UBND"},
		[]string{r.Citations[0].Number, r.Citations[1].Number, r.Citations[2].Number})
}

func TestExtract_WhitespaceAndNFD(t *testing.T) {
	t.Parallel()
	nbsp := "Kế\u00a0hoạch\u00a0số 53/KH-UBND ngày\u00a023/3/2022 của\tUBND  tỉnh"
	c := Extract(nbsp, Options{}).Citations[0]
	requireEqual(t, "Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh", c.FirstMention)
	requireEqual(t, "Kế hoạch", c.Type)

	nfd := norm.NFD.String("Quyết định số 12-QĐ/TU ngày 27/12/2019 của Ban Thường vụ Tỉnh ủy về đối thoại")
	r := Extract(nfd, Options{})
	c = find(t, r, "12-QĐ/TU")
	requireEqual(t, "Quy\u1ebft định", c.Type[:0]+norm.NFC.String(c.Type))
	requireEqual(t, "Quyết định", c.Type)
	requireEqual(t, "Ban Thường vụ Tỉnh ủy", c.Issuer)
	m := c.MentionList[0]
	requireTrue(t, m.End <= len(nfd) && strings.HasPrefix(nfd[m.Start:], "Quy"), m)
}

func TestExtract_ShortMentionMerges(t *testing.T) {
	t.Parallel()
	text := "Thực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh về dân vận năm 2022.\n" +
		"2.1. Kết quả theo Kế hoạch số 53/KH-UBND\nThực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022."
	r := Extract(text, Options{})
	requireEqual(t, 1, len(r.Citations))
	c := r.Citations[0]
	requireEqual(t, 3, c.Mentions)
	requireEqual(t, []string{"23/3/2022"}, c.DatesSeen)
	requireEqual(t, "Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh", c.FirstMention)
	requireEqual(t, 0, len(c.Anomalies))
}

func TestExtract_ShortMentionBeforeFull(t *testing.T) {
	t.Parallel()
	r := Extract("Kế hoạch 34-KH/TU của Ban Thường vụ Tỉnh ủy; Kế hoạch số 34-KH/TU ngày 06 tháng 12 năm 2016.", Options{})
	requireEqual(t, 1, len(r.Citations))
	c := r.Citations[0]
	requireEqual(t, "Kế hoạch 34-KH/TU của Ban Thường vụ Tỉnh ủy", c.FirstMention)
	requireEqual(t, "2016-12-06", deref(c.Date))
	requireEqual(t, 2016, *c.Year)
}

func TestExtract_HeaderIdentity(t *testing.T) {
	t.Parallel()
	text := "ỦY BAN NHÂN DÂN\nTỈNH SƠN LA\n\nSố: 3235/QĐ-UBND\n\nSơn La, ngày 18 tháng 12 năm 2017\n\nQUYẾT ĐỊNH\n" +
		"Căn cứ Chỉ thị số 16/CT-TTg ngày 16 tháng 5 năm 2016 của Thủ tướng Chính phủ;\n" +
		"Quyết định 3235/QĐ-UBND ngày 18/12/2017 về Đề án"
	r := Extract(text, Options{})
	requireTrue(t, r.Document != nil)
	requireEqual(t, Document{Number: "3235/QĐ-UBND", Type: "Quyết định", TypeCode: "QĐ", Date: "2017-12-18",
		Issuer: "UBND tỉnh", IssuerCode: "UBND"}, *r.Document)
	requireEqual(t, 1, len(r.Citations), r.Citations)
	requireEqual(t, "16/CT-TTg", r.Citations[0].Number)
}

func TestExtract_BlankHeaderNumber(t *testing.T) {
	t.Parallel()
	r := Extract("Số: /BC-UBND\n\nSơn La, ngày   tháng 01 năm 2022\n\nBÁO CÁO", Options{})
	requireTrue(t, r.Document == nil)
	requireEqual(t, 0, len(r.Citations))
	b, err := json.Marshal(r)
	requireEqual(t, nil, err)
	requireEqual(t, `{"document":null,"citations":[]}`, string(b))
}

func TestExtract_NamedLaws(t *testing.T) {
	t.Parallel()
	text := "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;\nCăn cứ Luật Thực hiện dân chủ ở cơ sở;\n" +
		"Nghị quyết Trung ương IV (khóa XII) về tăng cường xây dựng Đảng;\n" +
		"theo quy định của Luật Ngân sách nhà nước và các quy định khác; Nghị quyết Đại hội XIII của Đảng, " +
		"Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XV; các Nghị quyết của Đảng; Hiến pháp năm 2013."
	r := Extract(text, Options{})
	want := []string{"Luật Tổ chức chính quyền địa phương năm 2015", "Luật Thực hiện dân chủ ở cơ sở",
		"Nghị quyết Trung ương IV (khóa XII)", "Luật Ngân sách nhà nước", "Nghị quyết Đại hội XIII của Đảng",
		"Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XV", "Hiến pháp năm 2013"}
	var got []string
	for _, c := range r.Citations {
		requireEqual(t, KindNamed, c.Kind)
		got = append(got, c.FirstMention)
	}
	requireEqual(t, want, got)
	requireEqual(t, 2015, *r.Citations[0].Year)
	requireEqual(t, "Luật", r.Citations[0].Type)
	requireEqual(t, "về tăng cường xây dựng Đảng", deref(r.Citations[2].Subject))
	requireEqual(t, RelationCanCu, r.Citations[0].MentionList[0].Relation)
}

func TestExtract_NamedLawWithNumber(t *testing.T) {
	t.Parallel()
	r := Extract("Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10/11/2022.", Options{})
	requireEqual(t, 1, len(r.Citations), r.Citations)
	c := r.Citations[0]
	requireEqual(t, "10/2022/QH15", c.Number)
	requireEqual(t, "Luật", c.Type)
	requireEqual(t, "Luật Thực hiện dân chủ ở cơ sở", deref(c.Name))
}

func TestExtract_Relations(t *testing.T) {
	t.Parallel()
	text := "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ;\n" +
		"Thực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh;\n" +
		"Quyết định ban hành để thay thế Quyết định số 33/2018/QĐ-UBND của UBND tỉnh.\n" +
		"theo Nghị định số 71/1998/NĐ-CP (nay là Nghị định số 04/2015/NĐ-CP).\n" +
		"theo Công văn số 1787/SNV-XDCQ ngày 04/11/2022."
	r := Extract(text, Options{})
	for n, rel := range map[string]string{"30/2020/NĐ-CP": RelationCanCu, "53/KH-UBND": RelationThucHien,
		"33/2018/QĐ-UBND": RelationThayThe, "71/1998/NĐ-CP": RelationThayThe, "04/2015/NĐ-CP": RelationThayThe,
		"1787/SNV-XDCQ": RelationDanChieu} {
		requireEqual(t, rel, find(t, r, n).MentionList[0].Relation, n)
	}
}

func TestExtract_IssuerFromListAndContext(t *testing.T) {
	t.Parallel()
	text := "Kế hoạch số 25/KH-VPUB ngày 31/5/2020 và Kế hoạch số 22/KH-VPUB ngày 01/02/2021 của Văn phòng UBND tỉnh về đối thoại;\n" +
		"UBND tỉnh đã ban hành Quyết định số 1962/QĐ-UBND ngày 19 tháng 7 năm 2017 về việc phê duyệt Đề án; " +
		"Thông báo số 07-TB/ĐUVP ngày 09/3/2021 về Lịch tiếp công dân của Bí thư Đảng ủy."
	r := Extract(text, Options{})
	c := find(t, r, "25/KH-VPUB")
	requireEqual(t, "Văn phòng UBND tỉnh", c.Issuer)
	requireEqual(t, "list", c.IssuerSource)
	requireEqual(t, "về đối thoại", deref(c.Subject))
	requireEqual(t, "Kế hoạch số 25/KH-VPUB ngày 31/5/2020", c.FirstMention)
	c = find(t, r, "1962/QĐ-UBND")
	requireEqual(t, "UBND tỉnh", c.Issuer)
	requireEqual(t, "context", c.IssuerSource)
	c = find(t, r, "07-TB/ĐUVP")
	requireEqual(t, "về Lịch tiếp công dân của Bí thư Đảng ủy", deref(c.Subject))
	requireEqual(t, "Đảng ủy Văn phòng", c.Issuer)
	requireEqual(t, "dictionary", c.IssuerSource)
}

func TestExtract_SpansAndUTF8(t *testing.T) {
	t.Parallel()
	text := "\xffKế hoạch số 53/KH-UBND ngày 23/3/2022\xfe của UBND tỉnh"
	r := Extract(text, Options{})
	c := r.Citations[0]
	requireTrue(t, utf8.ValidString(c.FirstMention), c.FirstMention)
	m := c.MentionList[0]
	requireTrue(t, m.Start >= 0 && m.End <= len(text) && m.Start <= m.End)
	requireEqual(t, text[m.Start:m.End], m.Raw)
}

func TestCitation_JSONKeys(t *testing.T) {
	t.Parallel()
	r := Extract("Luật Khiếu nại; Kế hoạch số 53/KH-UBND ngày 23/3/2022.", Options{})
	b, err := json.Marshal(r.Citations[1])
	requireEqual(t, nil, err)
	var m map[string]any
	requireEqual(t, nil, json.Unmarshal(b, &m))
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	requireEqual(t, 14, len(keys), keys)
	for _, k := range []string{"kind", "number", "type", "type_code", "issuer", "issuer_code", "date",
		"dates_seen", "year", "subject", "name", "mentions", "first_mention", "anomalies"} {
		_, ok := m[k]
		requireTrue(t, ok, k)
	}
	var back Citation
	requireEqual(t, nil, json.Unmarshal(b, &back))
	requireEqual(t, r.Citations[1].Number, back.Number)
	named, _ := json.Marshal(r.Citations[0])
	requireTrue(t, strings.Contains(string(named), `"number":null`), string(named))
	fr, _ := json.Marshal(FileResult{File: "a.txt", Result: r})
	requireTrue(t, strings.HasPrefix(string(fr), `{"file":"a.txt","document":null,"citations":[`), string(fr))
}

func TestExtract_BasisSection(t *testing.T) {
	t.Parallel()
	text := "I. CĂN CỨ PHÁP LÝ\n\nNghị quyết số 25-NQ/TW ngày 03 tháng 6 năm 2013 của BCHTW Đảng khoá XI;\n\n" +
		"II. CƠ SỞ THỰC TIỄN\n\ntheo Nghị quyết số 30a/2008/NQ-CP của Chính phủ"
	r := Extract(text, Options{})
	requireEqual(t, RelationCanCu, find(t, r, "25-NQ/TW").MentionList[0].Relation)
	requireEqual(t, RelationDanChieu, find(t, r, "30a/2008/NQ-CP").MentionList[0].Relation)
	requireEqual(t, "BCHTW Đảng khoá XI", find(t, r, "25-NQ/TW").Issuer)
}

func TestFoldVietnamese(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Quyết định Đề án ủy ban hoà": "Quyet dinh De an uy ban hoa",
		"QĐ-UBND":           "QD-UBND",
		"Quye\u0302\u0301t": "Quyet", // decomposed marks are dropped too
		"ascii 53/KH":       "ascii 53/KH",
		"Ω ☃":               "Ω ☃",
	} {
		if got := foldVietnamese(in); got != want {
			t.Errorf("foldVietnamese(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestExtract_SubjectSemicolons: a title may carry ";" (Party resolutions),
// but a ";" before a new reference, a number or after a closed quote ends
// the subject.
func TestExtract_SubjectSemicolons(t *testing.T) {
	t.Parallel()
	subj := func(text, number string) string {
		for _, c := range Extract(text, Options{}).Citations {
			if c.Number == number && c.Subject != nil {
				return *c.Subject
			}
		}
		return ""
	}
	requireEqual(t, "về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái",
		subj("Nghị quyết số 04-NQ/TW về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái;\n", "04-NQ/TW"))
	requireEqual(t, "về công tác dân vận",
		subj("Căn cứ Chỉ thị số 33/CT-TTg về công tác dân vận; căn cứ Quyết định số 5/QĐ-UBND về x.", "33/CT-TTg"))
	requireEqual(t, "về công tác dân vận",
		subj("Chỉ thị số 33/CT-TTg về công tác dân vận; giai đoạn 2021-2025 triển khai.", "33/CT-TTg"))
	requireEqual(t, "về Quy chế dân vận",
		subj(`Quyết định số 36-QĐ/TU về "Quy chế dân vận"; hàng năm ban hành chương trình.`, "36-QĐ/TU"))
}
