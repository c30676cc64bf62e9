package cite

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile_Text(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	requireEqual(t, nil, os.WriteFile(p, []byte("\xef\xbb\xbfKế hoạch số 53/KH-UBND\xff"), 0o600))
	s, err := ReadFile(p)
	requireEqual(t, nil, err)
	requireEqual(t, "Kế hoạch số 53/KH-UBND\uFFFD", s)
	requireEqual(t, "53/KH-UBND", Extract(s, Options{}).Citations[0].Number)
}

func TestReadFile_Docx(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "a.docx")
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("word/document.xml")
	_, _ = w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="x"><w:body>` +
		`<w:p><w:r><w:t>Số: 3235/QĐ-UBND</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t xml:space="preserve">Căn cứ Chỉ thị số </w:t></w:r><w:r><w:t>16/CT-TTg</w:t></w:r></w:p>` +
		`</w:body></w:document>`))
	requireEqual(t, nil, z.Close())
	requireEqual(t, nil, os.WriteFile(p, buf.Bytes(), 0o600))
	s, err := ReadFile(p)
	requireEqual(t, nil, err)
	requireEqual(t, "Số: 3235/QĐ-UBND\nCăn cứ Chỉ thị số 16/CT-TTg\n", s)
	r := Extract(s, Options{})
	requireEqual(t, "3235/QĐ-UBND", r.Document.Number)
	requireEqual(t, RelationCanCu, r.Citations[0].MentionList[0].Relation)
}

func TestReadFile_Errors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.docx")
	requireEqual(t, nil, os.WriteFile(bad, []byte("not a zip"), 0o600))
	for _, p := range []string{filepath.Join(dir, "missing.txt"), bad, filepath.Join(dir, "x.pdf")} {
		_, err := ReadFile(p)
		requireTrue(t, err != nil && strings.HasPrefix(err.Error(), "cite: "), p, err)
	}
}

func TestReadBytes_UTF16AndNUL(t *testing.T) {
	t.Parallel()
	le := []byte{0xff, 0xfe}
	for _, r := range "Kế hoạch số 53/KH-UBND" {
		le = append(le, byte(r), byte(r>>8))
	}
	got, err := ReadBytes("plan.txt", le)
	if err != nil || got != "Kế hoạch số 53/KH-UBND" {
		t.Fatalf("UTF-16LE: got %q, %v", got, err)
	}
	got, err = ReadBytes("x.txt", []byte("a\x00b"))
	if err != nil || got != "ab" {
		t.Fatalf("NUL: got %q, %v", got, err)
	}
}

// TestExtractFile_TextAndErrors streams a .txt file to the same result as
// Extract and refuses unknown extensions and missing files.
func TestExtractFile_TextAndErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	text := "\xef\xbb\xbfThực hiện Kế hoạch số 53/KH-UBND ngày 23/3/2022 của UBND tỉnh về dân vận.\n"
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ExtractFile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ReadFile(p)
	requireEqual(t, jsonOf(t, Extract(want, Options{})), jsonOf(t, got), "streamed result")
	if _, err := ExtractFile(filepath.Join(dir, "a.pdf"), Options{}); err == nil {
		t.Error("want an error for .pdf")
	}
	if _, err := ExtractFile(filepath.Join(dir, "missing.txt"), Options{}); err == nil {
		t.Error("want an error for a missing file")
	}
}
