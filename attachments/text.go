// Package attachments extracts the text of attached files for citation
// extraction and search: .docx and .txt through cite.ReadBytes (the reader
// the registry already uses), .pdf through github.com/ledongthuc/pdf.
//
// Why that library: it is pure Go (no cgo, no pdfium or poppler binary to
// ship in the container), it is a maintained fork of rsc.io/pdf with a
// plain-text API (Reader.GetPlainText), and it reads the text layer of the
// PDFs units export from Word. pdfcpu, the other maintained pure-Go PDF
// library, validates and edits PDFs but does not turn pages into text.
// A scanned PDF has no text layer: it is stored, with no text.
package attachments

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"

	"github.com/danvan/danvan/cite"
)

// maxPDFText bounds the text read from one PDF so a hostile file cannot
// exhaust memory.
const maxPDFText = 8 << 20

// Text returns the text of a file by its extension: .docx, .txt and .pdf
// have one; other formats (.doc, .xlsx, images) return "" and no error.
// It returns an error when a .docx, .txt or .pdf cannot be read.
func Text(name string, data []byte) (string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".docx", ".txt":
		return cite.ReadBytes(name, data)
	case ".pdf":
		return PDFText(data)
	}
	return "", nil
}

// PDFText returns the text layer of a PDF. It returns an error for a file
// that is not a readable PDF; the library's panics on malformed input are
// turned into that error.
func PDFText(data []byte) (text string, err error) {
	defer func() {
		if v := recover(); v != nil {
			text, err = "", fmt.Errorf("attachments: unreadable PDF: %v", v)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("attachments: not a PDF: %w", err)
	}
	rd, err := r.GetPlainText()
	if err != nil {
		return "", fmt.Errorf("attachments: reading PDF text: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(rd, maxPDFText))
	if err != nil {
		return "", fmt.Errorf("attachments: reading PDF text: %w", err)
	}
	b = bytes.ReplaceAll(b, []byte{0}, nil)
	if !utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	return string(b), nil
}
