package attachments_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danvan/danvan/attachments"
)

// minimalPDF builds a one-page PDF whose text layer says text, with a
// correct cross-reference table.
func minimalPDF(text string) []byte {
	content := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestPDFText(t *testing.T) {
	text, err := attachments.Text("bao-cao.pdf", minimalPDF("Thuc hien Ke hoach so 53/KH-UBND ngay 23/3/2022"))
	require.NoError(t, err)
	require.Contains(t, text, "53/KH-UBND")

	_, err = attachments.Text("hong.pdf", []byte("%PDF-1.4 garbage"))
	require.Error(t, err)
	_, err = attachments.Text("x.pdf", minimalPDF("x")[:100])
	require.Error(t, err)
}

func TestText_OtherFormats(t *testing.T) {
	text, err := attachments.Text("ke-hoach.txt", []byte("Kế hoạch số 495/KH-VP"))
	require.NoError(t, err)
	require.Equal(t, "Kế hoạch số 495/KH-VP", text)
	text, err = attachments.Text("anh.png", []byte{0x89, 'P', 'N', 'G'})
	require.NoError(t, err)
	require.Empty(t, text)
}
