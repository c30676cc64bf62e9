package cite

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDocxXML bounds how much of word/document.xml is read, so a hostile
// zip cannot exhaust memory.
const maxDocxXML = 64 << 20

// ReadFile reads a .txt (UTF-8; invalid bytes become U+FFFD so extraction
// still works) or .docx file (paragraphs become lines, footnotes follow
// the body) and returns its text. It returns an error when the file cannot
// be read, is not a valid .docx, or has another extension.
func ReadFile(path string) (string, error) {
	if err := checkExt(path); err != nil {
		return "", err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cite: read %s: %w", path, err)
	}
	return ReadBytes(path, b)
}

func checkExt(name string) error {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".docx", ".txt", ".md", "":
		return nil
	}
	return fmt.Errorf("cite: %s: unsupported file type (want .txt or .docx)", name)
}

// ExtractFile extracts citations from a file: a .txt file is streamed
// through an Extractor, so its size does not bound memory; a .docx file is
// read whole (ReadFile) and passed to Extract. It returns an error when the
// file cannot be read, is not a valid .docx, or has another extension.
func ExtractFile(path string, opts Options) (*Result, error) {
	if err := checkExt(path); err != nil {
		return nil, err
	}
	if strings.ToLower(filepath.Ext(path)) == ".docx" {
		text, err := ReadFile(path)
		if err != nil {
			return nil, err
		}
		return Extract(text, opts), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cite: read %s: %w", path, err)
	}
	defer f.Close()
	res, err := ExtractReader(f, opts)
	if err != nil {
		return nil, fmt.Errorf("cite: read %s: %w", path, err)
	}
	return res, nil
}

// ReadBytes is ReadFile for content already in memory (an upload); name
// gives the format by its extension and names the file in errors.
func ReadBytes(name string, b []byte) (string, error) {
	if err := checkExt(name); err != nil {
		return "", err
	}
	if strings.ToLower(filepath.Ext(name)) == ".docx" {
		return readDocx(name, b)
	}
	if text, ok := utf16Text(b); ok {
		return text, nil
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	// NUL never belongs in a text and Postgres refuses it.
	b = bytes.ReplaceAll(b, []byte{0}, nil)
	if !utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	return string(b), nil
}

// utf16Text decodes a file saved as UTF-16 with a byte-order mark (what
// Windows Notepad calls "Unicode"), which would otherwise arrive as text
// full of NUL bytes.
func utf16Text(b []byte) (string, bool) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		order = binary.LittleEndian
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		order = binary.BigEndian
	default:
		return "", false
	}
	b = b[2:]
	units := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if u := order.Uint16(b[i:]); u != 0 {
			units = append(units, u)
		}
	}
	return string(utf16.Decode(units)), true
}

func readDocx(path string, data []byte) (string, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("cite: open %s as .docx: %w", path, err)
	}
	var body, notes string
	found := false
	for _, f := range z.File {
		switch f.Name {
		case "word/document.xml":
			found = true
			if body, err = docxText(f); err != nil {
				return "", fmt.Errorf("cite: %s: %w", path, err)
			}
		case "word/footnotes.xml":
			if notes, err = docxText(f); err != nil {
				return "", fmt.Errorf("cite: %s: %w", path, err)
			}
		}
	}
	if !found {
		return "", fmt.Errorf("cite: %s: no word/document.xml, not a .docx", path)
	}
	if strings.TrimSpace(notes) != "" {
		body += "\n\n" + notes
	}
	return body, nil
}

// docxText turns WordprocessingML into text: one line per paragraph, tabs
// and breaks as whitespace.
func docxText(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxDocxXML))
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("parse %s: %w", f.Name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				b.WriteString("\n")
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}
