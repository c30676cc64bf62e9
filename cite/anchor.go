package cite

import "strings"

// The first pass: before anything is normalised, a byte scan marks the
// paragraphs that can hold a citation, so the full parser only ever reads
// those. It must never miss one (a miss loses a citation), so it errs on
// the side of keeping: any digit followed by a separator, any name keyword
// that opens a cited law or resolution, and any paragraph written in
// decomposed Unicode, whose keywords the byte scan cannot see.

// anchorByte marks the bytes worth a closer look: digits, the capitals
// that start a named-document keyword (Luật, Nghị quyết, Pháp lệnh,
// Hiến pháp, Bộ luật, each also in capitals), and the lead bytes of combining
// marks (U+0300–U+036F are 0xCC 0x80 … 0xCD 0xAF).
var anchorByte = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "LNPHB" {
		t[c] = true
	}
	t[0xCC], t[0xCD] = true, true
	return t
}()

// paraMatters reports whether paragraph p must be normalised: it may hold
// a citation, or it is a heading (a "CĂN CỨ PHÁP LÝ" heading makes the
// lines under it legal bases).
func paraMatters(src string, p para) bool {
	a, b := p.lines[0].a, p.lines[len(p.lines)-1].b
	if hasAnchor(src[a:b]) {
		return true
	}
	return len(p.lines) == 1 && isHeading(src[a:b])
}

// hasAnchor reports whether t holds a candidate anchor. It allocates
// nothing and looks at most a few bytes past each marked byte.
func hasAnchor(t string) bool {
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !anchorByte[c] {
			continue
		}
		switch {
		case c >= '0' && c <= '9':
			if numberAnchor(t, i+1) {
				return true
			}
		case c == 0xCC || c == 0xCD:
			return true
		case c == 'L':
			if strings.HasPrefix(t[i:], "Luật") || strings.HasPrefix(t[i:], "LUẬT") {
				return true
			}
		case c == 'N':
			if strings.HasPrefix(t[i:], "Nghị quyết") || strings.HasPrefix(t[i:], "NGHỊ QUYẾT") {
				return true
			}
		case c == 'P':
			if strings.HasPrefix(t[i:], "Pháp lệnh") || strings.HasPrefix(t[i:], "PHÁP LỆNH") {
				return true
			}
		case c == 'H':
			if strings.HasPrefix(t[i:], "Hiến pháp") || strings.HasPrefix(t[i:], "HIẾN PHÁP") {
				return true
			}
		case c == 'B':
			if strings.HasPrefix(t[i:], "Bộ luật") || strings.HasPrefix(t[i:], "BỘ LUẬT") {
				return true
			}
		}
	}
	return false
}

// numberAnchor reports whether the bytes after a digit at j-1 can continue
// a document number: a separator ('/', '-', a Unicode dash), possibly
// after one letter suffix, a caret or asterisk (19^A/QĐ) or an invisible
// character that normalisation drops, then an optional year segment
// ("2021/") and a capital letter, or any non-ASCII character, which may
// be one. A date (23/3/2022) is not an anchor.
func numberAnchor(t string, j int) bool {
	for n := 0; n < 4 && j < len(t); n++ {
		c := t[j]
		switch {
		case c == '/' || c == '-':
			return codeAfter(t, j+1)
		case c == '^' || c == '*' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
			j++
		case c == 0xE2 && j+2 < len(t) && t[j+1] == 0x80:
			// U+2010–U+2015 dashes, U+200B–U+200D zero-width characters.
			if d := t[j+2]; d >= 0x90 && d <= 0x95 {
				return codeAfter(t, j+3)
			} else if d >= 0x8B && d <= 0x8D {
				j += 3
			} else {
				return false
			}
		case c == 0xE2 && j+2 < len(t) && t[j+1] == 0x88 && t[j+2] == 0x92: // U+2212 minus
			return codeAfter(t, j+3)
		case c == 0xC2 && j+1 < len(t) && t[j+1] == 0xAD: // soft hyphen
			j += 2
		case c == 0xEF && j+2 < len(t) && t[j+1] == 0xBB && t[j+2] == 0xBF: // BOM
			j += 3
		default:
			return false
		}
	}
	return false
}

// codeAfter reports whether a code segment can start at j, right after a
// number's separator: an optional year segment, then a capital letter or
// a non-ASCII byte (Đ, or an invisible character normalisation drops).
func codeAfter(t string, j int) bool {
	if j+4 < len(t) && isDigit(t[j]) && isDigit(t[j+1]) && isDigit(t[j+2]) && isDigit(t[j+3]) && t[j+4] == '/' {
		j += 5
	}
	if j < len(t) && t[j] == ' ' {
		j++
	}
	if j >= len(t) {
		// A number cut at the end of the text or of its line.
		return true
	}
	c := t[j]
	return (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '\n' || c == '\r' || c == '*' || c == '^'
}
