package cite

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteTable(t *testing.T) {
	t.Parallel()
	r := Extract("Số: 3/BC-UBND\n\nQuyết định số 31/QĐ-VP ngày 31/4/2019 của Chánh Văn phòng UBND tỉnh; Luật Khiếu nại.", Options{})
	var b bytes.Buffer
	requireEqual(t, nil, WriteTable(&b, "x.txt", r))
	out := b.String()
	for _, want := range []string{"x.txt", "document: Báo cáo 3/BC-UBND", "31/QĐ-VP", "31/4/2019?",
		"! impossible_date", "Luật Khiếu nại", "2 citation(s)"} {
		requireTrue(t, strings.Contains(out, want), want, "\n", out)
	}
	b.Reset()
	requireEqual(t, nil, WriteTable(&b, "y.txt", nil))
	requireTrue(t, strings.Contains(b.String(), "(no header number)"), b.String())
}
